// Keyless login (auth: github-oidc, issue 16), for real: a SECOND control plane whose apiserver runs
// with --authentication-config = deploy/github-oidc/authentication-config.yaml (issuer and audience
// pointed at a local HTTPS issuer), the user it maps bound by deploy/github-oidc/rbac.yaml to
// deploy/rbac.yaml's ClusterRole, and a stand-in for the Actions ID-token endpoint that the bundle's
// @actions/core calls. The fault proxy in front of that apiserver logs every request.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import {
  AppsV1Api,
  CoreV1Api,
  KubeConfig,
  KubernetesObjectApi,
  loadAllYaml,
  type KubernetesObject
} from '@kubernetes/client-node'
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { request as httpsRequest } from 'node:https'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parse, stringify } from 'yaml'
import { runAction, type ActionRun } from '../fixtures/bundle.js'
import { FAULT_LABEL, waitFor } from '../fixtures/cluster.js'
import { startFaultProxy, statusBody, testPki, type FaultProxy } from '../fixtures/fault-proxy.js'
import {
  githubClaims,
  startIssuer,
  startTokenEndpoint,
  type OidcIssuer,
  type TokenEndpoint
} from '../fixtures/github-oidc.js'

const REPOSITORY = 'acme/shop'
const AUDIENCE = 'pod-cleaner-it'

interface SecondCluster {
  dir: string
  server: string
  caFile: string
  adminToken: string
  core: CoreV1Api
  apps: AppsV1Api
  objects: KubernetesObjectApi
}

/** deploy/github-oidc/authentication-config.yaml, pointed at the local issuer and our names. */
function authenticationConfig(issuer: OidcIssuer): string {
  const text = readFileSync('deploy/github-oidc/authentication-config.yaml', 'utf8').replaceAll(
    'OWNER/REPO',
    REPOSITORY
  )
  const doc = parse(text) as {
    jwt: Array<{ issuer: { url: string; audiences: string[]; certificateAuthority?: string } }>
  }
  const [jwt] = doc.jwt
  expect(jwt?.issuer.url).toBe('https://token.actions.githubusercontent.com')
  jwt!.issuer = {
    ...jwt!.issuer,
    url: issuer.url,
    audiences: [AUDIENCE],
    certificateAuthority: issuer.caPem
  }
  return stringify(doc)
}

function startSecondCluster(authnConfig: string): SecondCluster {
  const dir = mkdtempSync(join(tmpdir(), 'pod-cleaner-oidc-'))
  writeFileSync(join(dir, 'authentication-config.yaml'), authnConfig)
  const started = Date.now()
  execFileSync('bash', ['hack/cluster.sh', 'up', join(dir, 'cluster')], {
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, POD_CLEANER_AUTHN_CONFIG: join(dir, 'authentication-config.yaml') },
    timeout: 20 * 60_000
  })
  process.stderr.write(
    `[github-oidc] second control plane with --authentication-config up in ${((Date.now() - started) / 1000).toFixed(1)} s\n`
  )
  const info = JSON.parse(readFileSync(join(dir, 'cluster', 'cluster.json'), 'utf8')) as {
    server: string
    caFile: string
    adminToken: string
    adminKubeconfig: string
  }
  const kc = new KubeConfig()
  kc.loadFromFile(info.adminKubeconfig)
  return {
    dir,
    server: info.server,
    caFile: info.caFile,
    adminToken: info.adminToken,
    core: kc.makeApiClient(CoreV1Api),
    apps: kc.makeApiClient(AppsV1Api),
    objects: KubernetesObjectApi.makeApiClient(kc)
  }
}

async function apply(cluster: SecondCluster, file: string): Promise<void> {
  const text = readFileSync(file, 'utf8').replaceAll('OWNER/REPO', REPOSITORY)
  for (const object of loadAllYaml(text) as KubernetesObject[])
    await cluster.objects
      .create(object)
      .catch((e: { code?: number }) => (e.code === 409 ? undefined : Promise.reject(e)))
}

async function crashLooping(cluster: SecondCluster, ns: string, name: string): Promise<void> {
  await cluster.apps.createNamespacedDeployment({
    namespace: ns,
    body: {
      metadata: { name },
      spec: {
        replicas: 1,
        selector: { matchLabels: { app: name } },
        template: {
          metadata: { labels: { app: name, [FAULT_LABEL]: 'crashloop' } },
          spec: {
            terminationGracePeriodSeconds: 0,
            containers: [{ name: 'app', image: 'busybox:1.36', command: ['sleep', '3600'] }]
          }
        }
      }
    }
  })
}

/** POST a SelfSubjectReview with `token` straight to the apiserver: its status code. */
function whoAmI(cluster: SecondCluster, token: string): Promise<number | undefined> {
  const url = new URL(`${cluster.server}/apis/authentication.k8s.io/v1/selfsubjectreviews`)
  return new Promise(resolve => {
    const req = httpsRequest(
      {
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method: 'POST',
        ca: readFileSync(cluster.caFile),
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }
      },
      res => {
        res.resume()
        resolve(res.statusCode)
      }
    )
    req.on('error', () => resolve(undefined))
    req.end(JSON.stringify({ apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' }))
  })
}

const podUids = async (cluster: SecondCluster, ns: string) =>
  (await cluster.core.listNamespacedPod({ namespace: ns })).items.map(p => p.metadata?.uid).sort()

const lastError = (run: ActionRun) =>
  run.stdout
    .split('\n')
    .filter(l => l.startsWith('::error::'))
    .at(-1) ?? ''

describe('auth: github-oidc against an apiserver that trusts a (local) GitHub issuer', () => {
  let issuer: OidcIssuer
  let cluster: SecondCluster
  let proxy: FaultProxy
  let ns: string
  const endpoints: TokenEndpoint[] = []

  const endpoint = async (repository: string, lifetimeSeconds = 300) => {
    const e = await startTokenEndpoint(issuer, { repository, lifetimeSeconds })
    endpoints.push(e)
    return e
  }
  const inputs = (extra: Record<string, string> = {}) => ({
    auth: 'github-oidc',
    server: proxy.url,
    'certificate-authority': testPki().caCert,
    audience: AUDIENCE,
    namespaces: ns,
    'min-pod-age': '0',
    'min-restarts': '1',
    ...extra
  })

  beforeAll(async () => {
    issuer = await startIssuer()
    cluster = startSecondCluster(authenticationConfig(issuer))
    proxy = await startFaultProxy({
      server: cluster.server,
      caFile: cluster.caFile,
      adminToken: cluster.adminToken
    })
    await apply(cluster, 'deploy/rbac.yaml')
    await apply(cluster, 'deploy/github-oidc/rbac.yaml')
    ns = `it-oidc-${Date.now().toString(36)}`
    await cluster.core.createNamespace({ body: { metadata: { name: ns } } })
    for (const name of ['crash-a', 'crash-b', 'crash-c']) await crashLooping(cluster, ns, name)
    await waitFor('three crash-looping pods', async () => {
      const pods = (await cluster.core.listNamespacedPod({ namespace: ns })).items
      return (
        pods.length === 3 &&
        pods.every(p =>
          p.status?.containerStatuses?.some(c => c.state?.waiting?.reason === 'CrashLoopBackOff')
        )
      )
    })
    // The apiserver fetches the issuer's keys in the background: wait until a token works.
    const probe = issuer.mint(githubClaims(REPOSITORY, AUDIENCE, 120))
    await waitFor(
      'the apiserver to trust the issuer',
      async () => (await whoAmI(cluster, probe)) === 201,
      60_000
    )
  }, 30 * 60_000)

  afterAll(async () => {
    await proxy?.close()
    for (const e of endpoints) await e.close()
    await issuer?.close()
    if (cluster) {
      execFileSync('bash', ['hack/cluster.sh', 'down', join(cluster.dir, 'cluster')], {
        stdio: ['ignore', 'ignore', 'inherit'],
        timeout: 120_000
      })
      rmSync(cluster.dir, { recursive: true, force: true })
    }
  }, 180_000)

  it('the allowed repository runs a full cleanup as github:acme/shop (the role of deploy/rbac.yaml)', async () => {
    const tokens = await endpoint(REPOSITORY)
    const before = await podUids(cluster, ns)
    const run = await runAction(inputs({ 'verify-timeout': '5s' }), { env: tokens.env })
    const result = JSON.parse(run.outputs.result as string)
    expect(result.errors).toEqual([])
    expect(run.code).toBe(0)
    expect(result.cluster).toMatchObject({
      identity: { username: `github:${REPOSITORY}`, confirmed: true },
      credentials: `GitHub OIDC token (audience "${AUDIENCE}")`
    })
    expect(result.counts.deleted).toBe(3)
    // No permission was missing: not for the deletes, the diagnosis or the verification.
    expect(
      result.pods.flatMap((r: { diagnosis?: { notes: string[] } }) => r.diagnosis?.notes ?? [])
    ).toEqual([])
    expect(await podUids(cluster, ns)).not.toEqual(before)
    // Exactly how @actions/core asks: the audience, the request token.
    expect(tokens.requests.length).toBeGreaterThanOrEqual(1)
    for (const request of tokens.requests)
      expect(request).toMatchObject({ audience: AUDIENCE, authorized: true })
    // Every ID token handed out was masked and never printed.
    const masks = run.stdout.split('\n').filter(l => l.startsWith('::add-mask::'))
    const printed = [
      run.stdout
        .split('\n')
        .filter(l => !l.startsWith('::add-mask::'))
        .join('\n'),
      run.stderr,
      run.summary,
      JSON.stringify(run.outputs)
    ]
    for (const token of tokens.issued) {
      expect(masks.includes(`::add-mask::${token}`)).toBe(true)
      expect(printed.some(text => text.includes(token))).toBe(false)
    }
    await waitFor('replacements crash-looping again', async () => {
      const pods = (await cluster.core.listNamespacedPod({ namespace: ns })).items
      return (
        pods.length === 3 &&
        pods.every(p =>
          p.status?.containerStatuses?.some(c => c.state?.waiting?.reason === 'CrashLoopBackOff')
        )
      )
    })
  })

  it('a token of another repository is refused (401): a clear error, nothing deleted', async () => {
    const tokens = await endpoint('evil/fork')
    const before = await podUids(cluster, ns)
    const writes = proxy.writes().length
    const run = await runAction(inputs(), { env: tokens.env })
    expect(run.code).toBe(1)
    const error = lastError(run)
    for (const token of tokens.issued) expect(error.includes(token)).toBe(false)
    expect(error).toMatch(
      /^::error::401 Unauthorized: the apiserver rejected the GitHub OIDC token \(audience "pod-cleaner-it"; repository evil\/fork, ref refs\/heads\/main\); expected the cluster's authentication configuration to trust the issuer https:\/\/127\.0\.0\.1:\d+ for this audience, with claim rules that allow this repository \(see deploy\/github-oidc\/\)$/
    )
    expect(run.stdout.split('\n').filter(l => l.startsWith('::error::'))).toHaveLength(1)
    expect(proxy.writes().length).toBe(writes)
    expect(await podUids(cluster, ns)).toEqual(before)
  })

  it('no token endpoint (the job lacks id-token: write): an error naming the permission, no request', async () => {
    const before = await podUids(cluster, ns)
    const requests = proxy.log.length
    const run = await runAction(inputs())
    expect(run.code).toBe(1)
    expect(lastError(run)).toBe(
      "::error::auth: github-oidc could not get the job's OIDC token: this job may not request an OIDC token (ACTIONS_ID_TOKEN_REQUEST_URL is not set); expected 'permissions: id-token: write' on the job or the workflow (a reusable workflow's caller must grant it too)"
    )
    expect(proxy.log.length).toBe(requests)
    expect(await podUids(cluster, ns)).toEqual(before)
  })

  it('a token that expires mid-run is fetched again before it expires; no request is refused', async () => {
    const lifetimeSeconds = 5
    const tokens = await endpoint(REPOSITORY, lifetimeSeconds)
    // Besides the apiserver's own check of exp: refuse any request after the newest token's expiry
    // (the apiserver may cache a good token for 10 s), and slow every request so the run outlives
    // more than one token.
    proxy.script([
      {
        name: 'expiry',
        fault: () =>
          Date.now() > tokens.validUntil()
            ? { kind: 'status', status: 401, body: statusBody(401, 'Unauthorized', 'expired') }
            : { kind: 'delay', ms: 1200 }
      }
    ])
    const started = Date.now()
    const logFrom = proxy.log.length
    const run = await runAction(
      inputs({ 'page-size': '1', 'verify-timeout': '0', diagnose: 'false' }),
      {
        env: tokens.env
      }
    )
    proxy.script([])
    const seconds = (Date.now() - started) / 1000
    expect(JSON.parse(run.outputs.result as string).errors).toEqual([])
    expect(run.code).toBe(0)
    expect(run.outputs['deleted-count']).toBe('3')
    expect(proxy.log.slice(logFrom).filter(e => e.status === 401)).toEqual([])
    expect(seconds).toBeGreaterThan(lifetimeSeconds * 1.2)
    expect(tokens.requests.length).toBeGreaterThanOrEqual(2)
    process.stderr.write(
      `[github-oidc] run of ${seconds.toFixed(1)} s with ${lifetimeSeconds} s ID tokens: ${tokens.requests.length} token requests, no 401\n`
    )
  })
})
