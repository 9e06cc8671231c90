// Exec credential plugins through the bundle on the real apiserver (issue 16): the way EKS, GKE and
// AKS kubeconfigs log in. The plugin is a sh script that prints an ExecCredential with the admin
// token (kept out of the kubeconfig) and an expirationTimestamp; the fault proxy in front of the
// apiserver logs every request, and can refuse requests made after the newest token expired.
import { describe, expect, it } from '@jest/globals'
import { randomBytes } from 'node:crypto'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { runAction, type ActionRun } from '../fixtures/bundle.js'
import {
  clusterInfo,
  createDeployment,
  isCrashLooping,
  listPods,
  waitForPods
} from '../fixtures/cluster.js'
import { execKubeconfig, execUserYaml, testPlugin } from '../fixtures/exec-plugin.js'
import { statusBody, testPki } from '../fixtures/fault-proxy.js'
import { proxiedNamespace } from '../fixtures/proxied-namespace.js'

const uids = async (ns: string) => (await listPods(ns)).map(p => p.metadata?.uid).sort()

/** stdout without the ::add-mask:: lines, every given secret replaced (so patterns never see one). */
function visible(run: ActionRun, secrets: string[]): string {
  let text = run.stdout
    .split('\n')
    .filter(l => !l.startsWith('::add-mask::'))
    .join('\n')
  for (const secret of secrets) text = text.split(secret).join('<LEAKED>')
  return text
}

const masks = (run: ActionRun) =>
  new Set(
    run.stdout
      .split('\n')
      .filter(l => l.startsWith('::add-mask::'))
      .map(l => l.slice('::add-mask::'.length))
  )

const lastError = (text: string) =>
  text
    .split('\n')
    .filter(l => l.startsWith('::error::'))
    .at(-1) ?? ''

describe('a kubeconfig whose user runs an exec plugin', () => {
  const space = proxiedNamespace('it-exec', async ns => {
    await createDeployment(ns, 'crasher', { fault: 'crashloop' })
    await waitForPods(ns, 'app=crasher', 1, isCrashLooping)
  })
  const token = () => clusterInfo().adminToken
  const kubeconfig = (command: string, extra: Record<string, unknown> = {}) =>
    execKubeconfig(space.proxy.url, testPki().caCert, { command, ...extra })

  it('as the input: the plugin runs once, its token is masked, the cleanup runs', async () => {
    const plugin = testPlugin({ token: token(), lifetimeSeconds: 600 })
    const [old] = await listPods(space.ns)
    const run = await runAction(space.inputs({ kubeconfig: kubeconfig(plugin.command) }))
    const out = visible(run, [token()])
    expect(out).not.toContain('<LEAKED>')
    expect(run.stderr.includes(token()) || run.summary.includes(token())).toBe(false)
    expect(masks(run).has(token())).toBe(true)
    expect(run.code).toBe(0)
    expect(run.outputs['deleted-count']).toBe('1')
    expect(plugin.runs()).toBe(1)
    expect(JSON.parse(run.outputs.result as string).cluster).toMatchObject({
      identity: { username: 'admin', confirmed: true },
      credentials: 'exec plugin "plugin.sh" (user "plugin-user") from input'
    })
    await waitForPods(space.ns, 'app=crasher', 1, p => p.metadata?.uid !== old?.metadata?.uid)
    await waitForPods(space.ns, 'app=crasher', 1, isCrashLooping)
  })

  it('through KUBECONFIG with several files (kubectl merge: first wins, missing files skipped)', async () => {
    const plugin = testPlugin({ token: token(), lifetimeSeconds: 600 })
    const dir = mkdtempSync(join(tmpdir(), 'pc-kubeconfigs-'))
    const ca = Buffer.from(testPki().caCert).toString('base64')
    // File 1: the context and its cluster. File 2: the user, named with a relative command, and a
    // second definition of the cluster (ignored: the first file wins). File 3 does not exist.
    writeFileSync(
      join(dir, 'cluster.yaml'),
      `apiVersion: v1
kind: Config
clusters: [{name: test, cluster: {server: "${space.proxy.url}", certificate-authority-data: "${ca}"}}]
contexts: [{name: test, context: {cluster: test, user: plugin-user}}]
current-context: test
users: []
`
    )
    writeFileSync(
      join(dir, 'user.yaml'),
      `apiVersion: v1
kind: Config
clusters: [{name: test, cluster: {server: "https://127.0.0.1:1"}}]
contexts: [{name: other, context: {cluster: test, user: plugin-user}}]
current-context: other
users: [${execUserYaml('plugin-user', { command: plugin.command })}]
`
    )
    const before = await uids(space.ns)
    const run = await runAction(
      space.inputs({ kubeconfig: '', 'dry-run': 'true', 'min-pod-age': '0' }),
      {
        env: {
          KUBECONFIG: [
            join(dir, 'cluster.yaml'),
            join(dir, 'user.yaml'),
            join(dir, 'absent.yaml')
          ].join(':')
        }
      }
    )
    expect(visible(run, [token()])).not.toContain('<LEAKED>')
    expect(run.code).toBe(0)
    expect(JSON.parse(run.outputs.result as string).pods).toMatchObject([
      { decision: 'would-delete' }
    ])
    expect(JSON.parse(run.outputs.result as string).cluster.credentials).toBe(
      `exec plugin "plugin.sh" (user "plugin-user") from KUBECONFIG (${join(dir, 'cluster.yaml')}:${join(dir, 'user.yaml')}:${join(dir, 'absent.yaml')})`
    )
    expect(plugin.runs()).toBe(1)
    expect(await uids(space.ns)).toEqual(before)
  })

  it.each([
    [
      'aws',
      ['eks', 'get-token', '--cluster-name', 'prod'],
      /aws-actions\/configure-aws-credentials/
    ],
    [
      'gke-gcloud-auth-plugin',
      [],
      /google-github-actions\/setup-gcloud.*gke-gcloud-auth-plugin.*google-github-actions\/get-gke-credentials/
    ],
    [
      'kubelogin',
      ['get-token', '--login', 'azurecli'],
      /azure\/use-kubelogin.*azure\/aks-set-context/
    ]
  ])(
    'the command %s missing: one error naming it and what provides it; nothing deleted',
    async (command, args, provider) => {
      const writes = space.proxy.writes().length
      const before = await uids(space.ns)
      const empty = mkdtempSync(join(tmpdir(), 'pc-empty-path-'))
      const run = await runAction(space.inputs({ kubeconfig: kubeconfig(command, { args }) }), {
        env: { PATH: empty }
      })
      expect(run.code).toBe(1)
      const error = lastError(run.stdout)
      expect(error).toMatch(
        new RegExp(`exec credential plugin "${command}" .*command "${command}" was not found`)
      )
      expect(error).toMatch(provider)
      expect(run.stdout.split('\n').filter(l => l.startsWith('::error::'))).toHaveLength(1)
      expect(space.proxy.writes().length).toBe(writes)
      expect(await uids(space.ns)).toEqual(before)
    }
  )

  it('the plugin failing: its exit code and stderr in the error, secrets scrubbed; nothing deleted', async () => {
    const envSecret = `sso-secret-${randomBytes(8).toString('hex')}`
    const plugin = testPlugin({
      token: token(),
      fail: {
        exitCode: 3,
        stderr: `error: SSO session expired (session ${envSecret}); run aws sso login`
      }
    })
    const writes = space.proxy.writes().length
    const before = await uids(space.ns)
    const run = await runAction(
      space.inputs({
        kubeconfig: kubeconfig(plugin.command, {
          env: [{ name: 'AWS_SESSION_TOKEN', value: envSecret }]
        })
      })
    )
    const out = visible(run, [envSecret, token()])
    expect(out).not.toContain('<LEAKED>')
    expect(run.summary.includes(envSecret)).toBe(false)
    expect(masks(run).has(envSecret)).toBe(true)
    expect(run.code).toBe(1)
    expect(lastError(out)).toMatch(
      /exec credential plugin ".*plugin\.sh" \(kubeconfig user "plugin-user"\) exited with code 3: error: SSO session expired \(session \*\*\*\); run aws sso login/
    )
    expect(plugin.runs()).toBe(1)
    expect(space.proxy.writes().length).toBe(writes)
    expect(await uids(space.ns)).toEqual(before)
  })
})

describe('an exec token that expires during the run', () => {
  const space = proxiedNamespace('it-exec-expiry', async ns => {
    // Three owners (one delete per owner per run), three healthy pods: seven list pages of one.
    for (const name of ['crash-a', 'crash-b', 'crash-c'])
      await createDeployment(ns, name, { fault: 'crashloop' })
    await createDeployment(ns, 'healthy', { replicas: 3 })
    for (const name of ['crash-a', 'crash-b', 'crash-c'])
      await waitForPods(ns, `app=${name}`, 1, isCrashLooping)
  })

  it('is asked for again before it expires; the run goes on with no 401', async () => {
    const lifetimeSeconds = 4
    const plugin = testPlugin({ token: clusterInfo().adminToken, lifetimeSeconds })
    // The apiserver's view of expiry: a request after the newest token's expirationTimestamp is
    // refused; every other request is slowed down, so the run outlives several tokens.
    space.proxy.script([
      {
        name: 'expiry',
        fault: () =>
          Date.now() > plugin.validUntil()
            ? { kind: 'status', status: 401, body: statusBody(401, 'Unauthorized', 'expired') }
            : { kind: 'delay', ms: 600 }
      }
    ])
    const started = Date.now()
    const run = await runAction(
      space.inputs({
        kubeconfig: execKubeconfig(space.proxy.url, testPki().caCert, { command: plugin.command }),
        'page-size': '1'
      })
    )
    const seconds = (Date.now() - started) / 1000
    expect(run.code).toBe(0)
    expect(run.outputs['deleted-count']).toBe('3')
    expect(space.proxy.log.filter(e => e.status === 401)).toEqual([])
    // The run outlived its first token, and the plugin was asked again.
    expect(seconds).toBeGreaterThan(lifetimeSeconds * 1.5)
    expect(plugin.runs()).toBeGreaterThanOrEqual(2)
    process.stderr.write(
      `[exec-plugin] run of ${seconds.toFixed(1)} s with ${lifetimeSeconds} s tokens: plugin ran ${plugin.runs()} times, ${space.proxy.log.length} requests, no 401\n`
    )
  })
})
