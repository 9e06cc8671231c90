// The test control plane itself: where the suite relies on kwok acting like a kubelet, prove it.
// kwok v0.7.0 deleted pods by name; a delete it played late (for a pod already gone) removed the
// StatefulSet replacement that had taken the name — the cause of rare "replaced twice" failures
// in the StatefulSet tests. hack/kwok/uid-preconditions.patch makes it delete by uid, as
// the kubelet does. This test makes kwok late on purpose (SIGSTOP) so the race always happens.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import {
  admin,
  createNamespace,
  createStatefulSet,
  deleteNamespace,
  isCrashLooping,
  listPods,
  waitFor,
  waitForPods
} from '../fixtures/cluster.js'

const kwokPid = () =>
  Number(
    readFileSync(
      join(dirname(process.env.POD_CLEANER_CLUSTER as string), 'pids', 'kwok.pid'),
      'utf8'
    ).trim()
  )

describe('the control plane (kwok) deletes like a kubelet', () => {
  let ns: string
  beforeAll(async () => {
    ns = await createNamespace('it-kwok')
    await createStatefulSet(ns, 'db', { fault: 'crashloop' })
    await waitForPods(ns, 'app=db', 1, isCrashLooping)
  })
  afterAll(() => deleteNamespace(ns))

  it('a late delete for a pod that is gone leaves the StatefulSet replacement alone', async () => {
    const [old] = await listPods(ns, 'app=db')
    const pid = kwokPid()
    let replacementUid: string | undefined
    process.kill(pid, 'SIGSTOP')
    try {
      // Grace 0 still writes a deletionTimestamp first: kwok's pod-delete stage will see it late.
      await admin().core.deleteNamespacedPod({ name: 'db-0', namespace: ns, gracePeriodSeconds: 0 })
      const fresh = await waitFor('the StatefulSet replacement', async () => {
        const [pod] = await listPods(ns, 'app=db')
        return pod && pod.metadata?.uid !== old?.metadata?.uid ? pod : undefined
      })
      replacementUid = fresh.metadata?.uid
    } finally {
      process.kill(pid, 'SIGCONT')
    }
    // kwok now plays the stale stage; then it gives the replacement its crash-loop status.
    const [now] = await waitForPods(ns, 'app=db', 1, isCrashLooping)
    await new Promise(resolve => setTimeout(resolve, 2_000))
    const [after] = await listPods(ns, 'app=db')
    expect(now?.metadata?.uid).toBe(replacementUid)
    expect(after?.metadata?.uid).toBe(replacementUid)
    expect(after?.metadata?.deletionTimestamp).toBeUndefined()
  })
})
