// What the real server decides about deletes: the uid precondition (409), already gone (404),
// a replacement created between list and delete (scenario 4), and StatefulSet grace periods.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { buildConfig } from '../../src/config/config.js'
import { runCycle, type ClusterApi } from '../../src/cycle/run.js'
import { createCluster } from '../../src/kube/cluster.js'
import { loadKubeConfig } from '../../src/kube/kubeconfig.js'
import { deletePod } from '../../src/kube/pods.js'
import { createLogger } from '../../src/lib/logger.js'
import { silentSink } from '../fixtures/logs.js'
import {
  adminKubeconfigText,
  admin,
  createDeployment,
  createNamespace,
  createStatefulSet,
  deleteNamespace,
  isCrashLooping,
  listPods,
  waitForPods
} from '../fixtures/cluster.js'

const logger = createLogger(silentSink(), 'text')
const realCluster = () =>
  createCluster(loadKubeConfig(adminKubeconfigText(), undefined), {
    requestTimeoutMs: 10_000,
    deadline: Date.now() + 120_000
  })

describe('delete preconditions on the real apiserver', () => {
  let ns: string
  beforeAll(async () => {
    ns = await createNamespace('it-precond')
    await createDeployment(ns, 'web', { fault: 'crashloop' })
    await createStatefulSet(ns, 'db', { fault: 'crashloop' })
    await waitForPods(ns, 'app=web', 1, isCrashLooping)
    await waitForPods(ns, 'app=db', 1, isCrashLooping)
  })
  afterAll(() => deleteNamespace(ns))

  it('a stale uid answers 409 and the pod survives; a missing pod answers 404', async () => {
    const { client } = realCluster()
    const [web] = await listPods(ns, 'app=web')
    const name = web?.metadata?.name as string
    expect(
      await deletePod(client, {
        namespace: ns,
        name,
        uid: '00000000-0000-0000-0000-000000000000',
        dryRun: false
      })
    ).toEqual({ result: 'replaced' })
    expect((await listPods(ns, 'app=web'))[0]?.metadata?.uid).toBe(web?.metadata?.uid)
    expect(
      await deletePod(client, { namespace: ns, name: 'no-such-pod', uid: 'x', dryRun: false })
    ).toEqual({ result: 'gone' })
  })

  it('a StatefulSet pod replaced between list and delete is not deleted (scenario 4)', async () => {
    const [old] = await listPods(ns, 'app=db')
    const real = realCluster()
    let replacementUid: string | undefined
    // Between the listing and the delete, the pod is replaced by one with the same name.
    const racing: ClusterApi = {
      ...real,
      async *listPods(scope, reduce) {
        yield* real.listPods(scope, reduce)
        await admin().core.deleteNamespacedPod({
          name: 'db-0',
          namespace: ns,
          gracePeriodSeconds: 0
        })
        const [fresh] = await waitForPods(
          ns,
          'app=db',
          1,
          p => p.metadata?.uid !== old?.metadata?.uid
        )
        replacementUid = fresh?.metadata?.uid
      }
    }
    const config = buildConfig(
      name =>
        ({ namespaces: ns, 'label-selector': 'app=db', 'min-pod-age': '0', 'min-restarts': '1' })[
          name as string
        ] ?? ''
    )
    const result = await runCycle(config, { cluster: racing, logger })
    expect(result.pods).toHaveLength(1)
    expect(result.pods[0]).toMatchObject({
      pod: 'db-0',
      uid: old?.metadata?.uid,
      decision: 'skipped',
      detail: expect.stringMatching(/replaced since listing: uid changed \(409\)/)
    })
    const [now] = await listPods(ns, 'app=db')
    expect(now?.metadata?.uid).toBe(replacementUid)
    expect(now?.metadata?.deletionTimestamp).toBeUndefined()
  })
})
