// RBAC on the real apiserver (scenario 5): the ServiceAccount bound by deploy/rbac.yaml can run a
// cleanup; a user without `delete` gets a clear error naming the missing permission.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { KubernetesObjectApi, loadAllYaml, type KubernetesObject } from '@kubernetes/client-node'
import { readFileSync } from 'node:fs'
import type { CycleResult } from '../../src/domain/result.js'
import { runAction } from '../fixtures/bundle.js'
import { scrub } from '../fixtures/scrub.js'
import {
  admin,
  adminKubeconfigText,
  clusterInfo,
  createDeployment,
  createNamespace,
  deleteNamespace,
  isCrashLooping,
  kubeConfigFrom,
  listPods,
  scrubbed,
  waitForPods
} from '../fixtures/cluster.js'

/** A kubeconfig for the same server as the admin one, with another bearer token. */
function kubeconfigWithToken(token: string, user: string): string {
  const kc = kubeConfigFrom(adminKubeconfigText())
  const cluster = kc.getCurrentCluster()!
  return `apiVersion: v1
kind: Config
clusters: [{name: local, cluster: {server: "${cluster.server}", certificate-authority-data: "${cluster.caData ?? ''}"${cluster.caData ? '' : ', insecure-skip-tls-verify: true'}}}]
users: [{name: ${user}, user: {token: "${token}"}}]
contexts: [{name: ${user}, context: {cluster: local, user: ${user}}}]
current-context: ${user}
`
}

describe('output checks see no random data (bug 6)', () => {
  it('a token, a uid or a random name holding "403" cannot fail `not.toMatch(/403/)`', () => {
    // A service-account token whose signature holds "2403", as one minted on a fresh clone did.
    const jwt = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJwb2QtY2xlYW5lciJ9.c2lnbmF0dXJl2403-x_Y'
    const output = [
      `::add-mask::${jwt}`,
      `users: [{name: sa, user: {token: "${jwt}"}}]`,
      'Deleted it-rbac-a403bc/crasher-5d8f7c9b4-x7k2p (uid 0f1e2d3c-4b5a-4403-8f7e-6d5c4b3a2403)',
      'static token 9c2403ab1f'
    ].join('\n')
    expect(output).toMatch(/403/)
    expect(scrub(output)).not.toMatch(/403|forbidden/i)
    expect(scrub(output)).toContain('Deleted it-rbac-<random>/crasher-')
    // A secret the product failed to mask is not made to look masked.
    expect(scrub('authorization=s3cr3t', ['s3cr3t'])).toBe('authorization=<secret>')
  })
})

describe('RBAC', () => {
  let ns: string
  const readOnlyRole = 'pod-cleaner-it-readonly'

  beforeAll(async () => {
    const objects = loadAllYaml(readFileSync('deploy/rbac.yaml', 'utf8')) as KubernetesObject[]
    const api = KubernetesObjectApi.makeApiClient(admin().kc)
    for (const object of objects)
      await api
        .create(object)
        .catch((e: { code?: number }) => (e.code === 409 ? undefined : Promise.reject(e)))
    await admin().rbac.createClusterRole({
      body: {
        metadata: { name: readOnlyRole },
        rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get', 'list', 'watch'] }]
      }
    })
    await admin().rbac.createClusterRoleBinding({
      body: {
        metadata: { name: readOnlyRole },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: readOnlyRole },
        subjects: [
          {
            apiGroup: 'rbac.authorization.k8s.io',
            kind: 'User',
            name: clusterInfo().restrictedUser
          }
        ]
      }
    })
    ns = await createNamespace('it-rbac')
    await createDeployment(ns, 'crasher', { fault: 'crashloop' })
    await waitForPods(ns, 'app=crasher', 1, isCrashLooping)
  })

  afterAll(async () => {
    await deleteNamespace(ns)
    await admin()
      .rbac.deleteClusterRoleBinding({ name: readOnlyRole })
      .catch(() => undefined)
    await admin()
      .rbac.deleteClusterRole({ name: readOnlyRole })
      .catch(() => undefined)
  })

  it('a user without delete: the error names the permission; fail-on decides the exit', async () => {
    const kubeconfig = kubeconfigWithToken(
      clusterInfo().restrictedToken,
      clusterInfo().restrictedUser
    )
    const before = (await listPods(ns)).map(p => p.metadata?.uid)
    const failed = await runAction({
      kubeconfig,
      namespaces: ns,
      'min-pod-age': '0',
      'min-restarts': '1'
    })
    expect(failed.code).toBe(1)
    const [row] = JSON.parse(failed.outputs.result as string).pods
    expect(row).toMatchObject({
      decision: 'failed',
      detail: expect.stringMatching(
        /403 Forbidden: pods ".*" is forbidden: User "restricted" cannot delete resource "pods"/
      )
    })
    expect(scrubbed(failed.stdout)).toMatch(
      /::error::Pod Cleaner: 1 pod\(s\) could not be deleted \(fail-on: error\)/
    )
    expect(failed.stdout).toContain(`::add-mask::${clusterInfo().restrictedToken}`)
    expect(failed.stdout.replace(/::add-mask::.*\n/g, '')).not.toContain(
      clusterInfo().restrictedToken
    )
    expect((await listPods(ns)).map(p => p.metadata?.uid)).toEqual(before)

    const tolerated = await runAction({
      kubeconfig,
      namespaces: ns,
      'min-pod-age': '0',
      'min-restarts': '1',
      'fail-on': 'never'
    })
    expect(tolerated.code).toBe(0)
    expect(tolerated.outputs['failed-count']).toBe('1')
  })

  it('a user who cannot list pods: the run fails with the apiserver’s reason', async () => {
    const run = await runAction({
      kubeconfig: kubeconfigWithToken('not-a-valid-token', 'nobody'),
      namespaces: ns
    })
    expect(run.code).toBe(1)
    expect(scrubbed(run.stdout, 'not-a-valid-token')).toMatch(/401 Unauthorized/)
  })

  it('the ServiceAccount of deploy/rbac.yaml runs a full cleanup', async () => {
    const token = await admin().core.createNamespacedServiceAccountToken({
      name: 'pod-cleaner',
      namespace: 'pod-cleaner',
      body: { spec: { expirationSeconds: 600, audiences: [] } }
    })
    const [old] = await listPods(ns)
    const run = await runAction({
      kubeconfig: kubeconfigWithToken(token.status?.token as string, 'pod-cleaner'),
      namespaces: ns,
      'min-pod-age': '0',
      'min-restarts': '1'
    })
    // No permission missing: not for the cycle (structured), not for the diagnosis (its notice),
    // nowhere in the log once the freshly minted token (which may hold "403") is taken out.
    const result = JSON.parse(run.outputs.result as string) as CycleResult
    expect(result.errors).toEqual([])
    expect(result.pods).toEqual([expect.objectContaining({ decision: 'deleted' })])
    expect(result.pods[0]?.diagnosis?.notes ?? []).toEqual([])
    expect(scrubbed(run.stdout, token.status?.token)).not.toMatch(/403|forbidden/i)
    expect(run.code).toBe(0)
    expect(run.outputs['deleted-count']).toBe('1')
    await waitForPods(ns, 'app=crasher', 1, p => p.metadata?.uid !== old?.metadata?.uid)
  })
})
