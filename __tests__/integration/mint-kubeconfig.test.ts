// deploy/mint-kubeconfig.sh against the real apiserver: the kubeconfig it prints (server, CA, a
// token bounded by --duration) runs a full cleanup cycle through the bundle, with the ClusterRole
// of deploy/rbac.yaml and with the namespaced Role of deploy/rbac-namespaced.yaml.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { execFile } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { parse } from 'yaml'
import type { CycleResult, PodRow } from '../../src/domain/result.js'
import { runAction } from '../fixtures/bundle.js'
import {
  clusterInfo,
  createDeployment,
  createNamespace,
  deleteNamespace,
  isCrashLooping,
  listPods,
  scrubbed,
  uniqueName,
  waitForPods
} from '../fixtures/cluster.js'

interface Exec {
  code: number
  stdout: string
  stderr: string
}

function exec(file: string, args: string[]): Promise<Exec> {
  return new Promise(resolve => {
    execFile(file, args, { timeout: 60_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0
      resolve({ code, stdout, stderr })
    })
  })
}

// cluster.json has more than the fixture's ClusterInfo: kubectl and the CA file.
const info = () =>
  clusterInfo() as ReturnType<typeof clusterInfo> & { kubectl: string; caFile: string }

/** kubectl as the cluster admin; fails the test on a non-zero exit. */
async function kubectl(...args: string[]): Promise<string> {
  const run = await exec(info().kubectl, ['--kubeconfig', info().adminKubeconfig, ...args])
  if (run.code !== 0) throw new Error(`kubectl ${args.join(' ')}: ${run.stderr}`)
  return run.stdout
}

/** The script as a user runs it, authenticated as the cluster admin. */
const mint = (...args: string[]) =>
  exec('bash', [
    'deploy/mint-kubeconfig.sh',
    '--kubeconfig',
    info().adminKubeconfig,
    '--kubectl',
    info().kubectl,
    ...args
  ])

interface MintedKubeconfig {
  clusters: Array<{ cluster: { server: string; 'certificate-authority-data': string } }>
  users: Array<{ name: string; user: { token: string } }>
  contexts: Array<{ name: string; context: { cluster: string; user: string; namespace: string } }>
  'current-context': string
}

function jwtClaims(token: string): { exp: number; iat: number; sub: string } {
  const payload = token.split('.')[1] as string
  return JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'))
}

const rowsOf = (outputs: Record<string, string>): PodRow[] =>
  JSON.parse(outputs.result as string).pods

/** The token inside a minted kubeconfig (YAML, or YAML in base64). */
function tokenOf(minted: string): string | undefined {
  const text = minted.trim().startsWith('apiVersion')
    ? minted
    : Buffer.from(minted.trim(), 'base64').toString()
  return (parse(text) as MintedKubeconfig).users[0]?.user.token
}

/** No permission was missing anywhere: no cycle error, no failed row, no diagnosis note. */
function expectNoDenial(outputs: Record<string, string>): void {
  const result = JSON.parse(outputs.result as string) as CycleResult
  expect(result.errors).toEqual([])
  expect(result.pods.filter(r => r.decision === 'failed')).toEqual([])
  expect(result.pods.flatMap(r => r.diagnosis?.notes ?? [])).toEqual([])
}

describe('deploy/mint-kubeconfig.sh with deploy/rbac.yaml', () => {
  let ns: string
  const label = uniqueName('mint')

  beforeAll(async () => {
    await kubectl('apply', '-f', 'deploy/rbac.yaml')
    ns = await createNamespace('it-mint')
  })

  afterAll(async () => {
    await deleteNamespace(ns)
  })

  it('prints a kubeconfig: the server, the CA, and a token bounded by --duration', async () => {
    const before = Math.floor(Date.now() / 1000)
    const run = await mint('--duration', '2h')
    expect(scrubbed(run.stderr)).not.toMatch(/warning|error/i)
    expect(run.code).toBe(0)
    const kc = parse(run.stdout) as MintedKubeconfig
    const cluster = kc.clusters[0]?.cluster
    expect(cluster?.server).toBe(info().server)
    expect(Buffer.from(cluster?.['certificate-authority-data'] ?? '', 'base64').toString()).toBe(
      readFileSync(info().caFile, 'utf8')
    )
    expect(kc.contexts[0]?.name).toBe(kc['current-context'])
    expect(kc.contexts[0]?.context.user).toBe(kc.users[0]?.name)

    const claims = jwtClaims(kc.users[0]?.user.token as string)
    expect(claims.sub).toBe('system:serviceaccount:pod-cleaner:pod-cleaner')
    expect(claims.exp - claims.iat).toBe(2 * 3600)
    expect(claims.exp).toBeGreaterThanOrEqual(before + 2 * 3600)
    expect(claims.exp).toBeLessThanOrEqual(before + 2 * 3600 + 60)
    // The expiry is announced (on stderr, never mixed into the kubeconfig).
    expect(run.stderr).toContain(
      `expires ${new Date(claims.exp * 1000).toISOString().replace(/\.\d+Z$/, 'Z')}`
    )
  })

  it('defaults to a one-year token; --base64 prints the same kubeconfig on one line', async () => {
    const run = await mint('--base64')
    expect(run.code).toBe(0)
    expect(run.stdout.trim()).toMatch(/^[A-Za-z0-9+/]+=*$/)
    const kc = parse(Buffer.from(run.stdout.trim(), 'base64').toString()) as MintedKubeconfig
    expect(kc.clusters[0]?.cluster.server).toBe(info().server)
    const claims = jwtClaims(kc.users[0]?.user.token as string)
    expect(claims.exp - claims.iat).toBe(8760 * 3600)
  })

  it('refuses clearly: a missing ServiceAccount, a bad duration, an unknown flag', async () => {
    const missing = await mint('--service-account', 'no-such-account')
    expect(missing.code).toBe(1)
    expect(missing.stdout).toBe('')
    expect(scrubbed(missing.stderr)).toMatch(
      /ServiceAccount pod-cleaner\/no-such-account not found .*apply deploy\/rbac\.yaml first/
    )
    const duration = await mint('--duration', '1y')
    expect(duration.code).toBe(1)
    expect(scrubbed(duration.stderr)).toMatch(/--duration '1y' is not a duration/)
    expect((await mint('--bogus')).code).toBe(2)
  })

  it('the minted kubeconfig runs a full cycle: the crash-looping pod is deleted', async () => {
    await createDeployment(ns, 'crasher', {
      fault: 'crashloop',
      labels: { 'pod-cleaner-it': label }
    })
    const [old] = await waitForPods(ns, 'app=crasher', 1, isCrashLooping)
    const minted = await mint('--base64', '--duration', '1h')
    expect(minted.code).toBe(0)

    // Cluster-wide (no `namespaces`), as the ClusterRole allows; the label keeps it to our pod.
    const run = await runAction({
      kubeconfig: minted.stdout.trim(),
      'label-selector': `pod-cleaner-it=${label}`,
      'min-pod-age': '0',
      'min-restarts': '1'
    })
    expectNoDenial(run.outputs)
    expect(scrubbed(run.stdout, tokenOf(minted.stdout))).not.toMatch(
      /40[13]|forbidden|unauthorized/i
    )
    expect(run.code).toBe(0)
    expect(run.outputs['deleted-count']).toBe('1')
    expect(rowsOf(run.outputs)).toEqual([
      expect.objectContaining({ namespace: ns, pod: old?.metadata?.name, decision: 'deleted' })
    ])
    // namespaces list is granted: verify-timeout auto sizes the budget by the real cluster.
    expect(JSON.parse(run.outputs.result as string).verification).toMatchObject({
      namespacesInCluster: expect.any(Number),
      budgetSeconds: expect.any(Number)
    })
    const [replacement] = await waitForPods(
      ns,
      'app=crasher',
      1,
      p => p.metadata?.uid !== old?.metadata?.uid
    )
    expect(replacement?.metadata?.uid).not.toBe(old?.metadata?.uid)
  })
})

describe('deploy/rbac-namespaced.yaml (a Role per namespace)', () => {
  let home: string
  let other: string
  let kubeconfig: string
  const label = uniqueName('mint-ns')
  const base = () => ({
    kubeconfig,
    'label-selector': `pod-cleaner-it=${label}`,
    'min-pod-age': '0',
    'min-restarts': '1'
  })

  beforeAll(async () => {
    home = await createNamespace('it-team-a')
    other = await createNamespace('it-team-b')
    // As the file's comments say: everything in the home namespace; in the other one only the
    // Role, bound to the home namespace's ServiceAccount.
    await kubectl('apply', '-n', home, '-f', 'deploy/rbac-namespaced.yaml')
    await kubectl(
      'apply',
      '-n',
      other,
      '-f',
      'deploy/rbac-namespaced.yaml',
      '-l',
      'pod-cleaner.io/part=role'
    )
    await kubectl(
      'create',
      'rolebinding',
      'pod-cleaner',
      '-n',
      other,
      '--role',
      'pod-cleaner',
      '--serviceaccount',
      `${home}:pod-cleaner`
    )
    const minted = await mint('--namespace', home, '--duration', '1h')
    expect(minted.code).toBe(0)
    kubeconfig = minted.stdout
    for (const ns of [home, other])
      await createDeployment(ns, 'crasher', {
        fault: 'crashloop',
        labels: { 'pod-cleaner-it': label }
      })
    await waitForPods(home, 'app=crasher', 1, isCrashLooping)
    await waitForPods(other, 'app=crasher', 1, isCrashLooping)
  })

  afterAll(async () => {
    await deleteNamespace(home)
    await deleteNamespace(other)
  })

  it('without `namespaces` the run fails with 403: listing pods cluster-wide needs a ClusterRole', async () => {
    const uids = async () =>
      [...(await listPods(home)), ...(await listPods(other))].map(p => p.metadata?.uid).sort()
    const before = await uids()
    const run = await runAction(base())
    expect(run.code).toBe(1)
    const log = scrubbed(run.stdout, tokenOf(kubeconfig))
    expect(log).toMatch(/403 Forbidden/)
    expect(log).toMatch(/cannot list resource "pods" in API group "" at the cluster scope/)
    expect(await uids()).toEqual(before)
  })

  it('with `namespaces` set: a full cycle in both namespaces; verify-timeout auto falls back to 120s', async () => {
    const old = new Map<string, string | undefined>()
    for (const ns of [home, other])
      old.set(ns, (await listPods(ns, 'app=crasher'))[0]?.metadata?.uid)

    const run = await runAction({ ...base(), namespaces: `${home},${other}` })
    expectNoDenial(run.outputs)
    expect(scrubbed(run.stdout, tokenOf(kubeconfig))).not.toMatch(/40[13]|forbidden/i)
    expect(run.code).toBe(0)
    expect(run.outputs['deleted-count']).toBe('2')
    expect(
      rowsOf(run.outputs)
        .map(r => [r.namespace, r.decision])
        .sort()
    ).toEqual(
      [
        [home, 'deleted'],
        [other, 'deleted']
      ].sort()
    )
    // `list namespaces` is cluster-scoped, so the budget is the largest clusters' one.
    const verification = JSON.parse(run.outputs.result as string).verification
    expect(verification.budgetSeconds).toBe(120)
    expect(verification.namespacesInCluster).toBeUndefined()
    for (const ns of [home, other])
      await waitForPods(ns, 'app=crasher', 1, p => p.metadata?.uid !== old.get(ns))
  })
})
