// RBAC on the real apiserver (scenario 5): the ServiceAccount bound by deploy/rbac.yaml can run a
// cleanup; a user without `delete` gets a clear error naming the missing permission.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { KubernetesObjectApi, loadAllYaml, type KubernetesObject } from '@kubernetes/client-node'
import { readFileSync } from 'node:fs'
import { runAction } from '../fixtures/bundle.js'
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
    expect(failed.stdout).toMatch(
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
    expect(run.stdout).toMatch(/401 Unauthorized/)
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
    expect(run.stdout).not.toMatch(/403|forbidden/i)
    expect(run.code).toBe(0)
    expect(run.outputs['deleted-count']).toBe('1')
    await waitForPods(ns, 'app=crasher', 1, p => p.metadata?.uid !== old?.metadata?.uid)
  })
})
