// Bug 8 on the real control plane, through the bundle: with `diagnose` on (the default) no pod is
// deleted before it has been diagnosed — neither the sibling of a pod diagnosed "a delete cannot
// fix this", nor the pod a max-deletions slot passes to. Assertions read the structured result and
// the cluster (decision per pod uid, counts, which uids still exist), never patterns over the log.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import type { V1Pod } from '@kubernetes/client-node'
import { DEFAULT_DELETE_REASONS } from '../../src/domain/reasons.js'
import type { CycleResult, PodRow } from '../../src/domain/result.js'
import { runAction, type ActionRun } from '../fixtures/bundle.js'
import {
  baseInputs,
  createDeployment,
  createNamespace,
  deleteNamespace,
  isCrashLooping,
  listPods,
  waitForPods,
  warnPod
} from '../fixtures/cluster.js'

const resultOf = (run: ActionRun): CycleResult => JSON.parse(run.outputs.result as string)
const uidOf = (pod: V1Pod | undefined): string => pod?.metadata?.uid as string
const uidsOf = (pods: readonly V1Pod[]): string[] => pods.map(uidOf).sort()
const decisionsOf = (result: CycleResult): Record<string, string> =>
  Object.fromEntries(result.pods.map(r => [r.uid, r.decision]))
const rowOf = (result: CycleResult, pod: V1Pod | undefined): PodRow | undefined =>
  result.pods.find(r => r.uid === uidOf(pod))

/** Decisions that change a pod, or would in a dry run (failed/blocked: a change was tried). */
const TOUCHING = new Set(['deleted', 'evicted', 'would-delete', 'would-evict', 'failed', 'blocked'])

/** The invariant of bug 8: with diagnosis on, every pod touched was diagnosed first. */
function expectNoneTouchedUndiagnosed(result: CycleResult): void {
  const undiagnosed = result.pods.filter(r => TOUCHING.has(r.decision) && !r.diagnosis)
  expect(undiagnosed.map(r => `${r.pod}: ${r.decision}`)).toEqual([])
}

/** What the kubelet records when a container's env names a Secret that does not exist. */
const missingSecret = (pod: V1Pod, secret: string) =>
  warnPod(pod, 'Failed', `Error: secret "${secret}" not found`, 3)

const isConfigError = (pod: V1Pod): boolean =>
  pod.status?.containerStatuses?.[0]?.state?.waiting?.reason === 'CreateContainerConfigError'

describe('bug 8: two crash-looping pods of one Deployment miss a Secret (default inputs)', () => {
  let ns: string
  let pods: V1Pod[]
  const inputs = (extra: Record<string, string> = {}) =>
    baseInputs({ namespaces: ns, 'label-selector': 'app=api', ...extra })

  beforeAll(async () => {
    ns = await createNamespace('it-diag-first')
    await createDeployment(ns, 'api', { replicas: 2, fault: 'crashloop' })
    pods = await waitForPods(ns, 'app=api', 2, isCrashLooping)
    for (const pod of pods) await missingSecret(pod, 'api-creds')
  })
  afterAll(() => deleteNamespace(ns))

  it('a dry run predicts no delete: both pods report only', async () => {
    const run = await runAction(inputs({ 'dry-run': 'true' }))
    expect(run.code).toBe(0)
    const result = resultOf(run)
    expect(decisionsOf(result)).toEqual({ [uidOf(pods[0])]: 'report', [uidOf(pods[1])]: 'report' })
    expect(result.pods.filter(r => r.decision === 'would-delete')).toEqual([])
    expect(result.counts).toMatchObject({ unhealthy: 2, deleted: 0, reportOnly: 2 })
    expect(run.outputs['deleted-count']).toBe('0')
    expectNoneTouchedUndiagnosed(result)
    expect(uidsOf(await listPods(ns, 'app=api'))).toEqual(uidsOf(pods))
  })

  it('both pods are diagnosed "missing Secret" and reported; both still exist, same uids', async () => {
    const run = await runAction(inputs())
    expect(run.code).toBe(0)
    const result = resultOf(run)
    expect(decisionsOf(result)).toEqual({ [uidOf(pods[0])]: 'report', [uidOf(pods[1])]: 'report' })
    for (const pod of pods)
      expect(rowOf(result, pod)).toMatchObject({
        cause: 'missing Secret api-creds',
        detail: 'missing Secret api-creds: a delete cannot fix it',
        diagnosis: {
          events: [expect.objectContaining({ reason: 'Failed', count: 3 })],
          notes: []
        }
      })
    expect(result.counts).toMatchObject({ unhealthy: 2, deleted: 0, reportOnly: 2, failed: 0 })
    expect(run.outputs).toMatchObject({ 'deleted-count': '0', 'report-only-count': '2' })
    expectNoneTouchedUndiagnosed(result)
    expect(uidsOf(await listPods(ns, 'app=api'))).toEqual(uidsOf(pods))
  })
})

describe('bug 8: CreateContainerConfigError moved into delete-reasons, pods missing a Secret', () => {
  let ns: string
  let pods: V1Pod[]
  const inputs = (extra: Record<string, string> = {}) =>
    baseInputs({
      namespaces: ns,
      'label-selector': 'app=worker',
      'delete-reasons': [...DEFAULT_DELETE_REASONS, 'CreateContainerConfigError'].join(','),
      ...extra
    })

  beforeAll(async () => {
    ns = await createNamespace('it-diag-config')
    // The container's env comes from a Secret that does not exist: CreateContainerConfigError,
    // 'secret "db-creds" not found' (kwok's configerror stage reports what the kubelet would).
    await createDeployment(ns, 'worker', {
      replicas: 2,
      fault: 'configerror',
      envFromSecret: 'db-creds'
    })
    pods = await waitForPods(ns, 'app=worker', 2, isConfigError)
  })
  afterAll(() => deleteNamespace(ns))

  it('a dry run predicts no delete', async () => {
    const run = await runAction(inputs({ 'dry-run': 'true' }))
    expect(run.code).toBe(0)
    const result = resultOf(run)
    expect(decisionsOf(result)).toEqual({ [uidOf(pods[0])]: 'report', [uidOf(pods[1])]: 'report' })
    expect(run.outputs['deleted-count']).toBe('0')
    expectNoneTouchedUndiagnosed(result)
    expect(uidsOf(await listPods(ns, 'app=worker'))).toEqual(uidsOf(pods))
  })

  it('both are diagnosed unfixable and reported; nothing is deleted', async () => {
    const run = await runAction(inputs())
    expect(run.code).toBe(0)
    const result = resultOf(run)
    expect(decisionsOf(result)).toEqual({ [uidOf(pods[0])]: 'report', [uidOf(pods[1])]: 'report' })
    for (const pod of pods)
      expect(rowOf(result, pod)).toMatchObject({
        reason: 'CreateContainerConfigError',
        cause: 'missing Secret db-creds',
        detail: 'missing Secret db-creds: a delete cannot fix it',
        diagnosis: expect.objectContaining({ notes: [] })
      })
    expect(result.counts).toMatchObject({ unhealthy: 2, deleted: 0, reportOnly: 2, failed: 0 })
    expectNoneTouchedUndiagnosed(result)
    expect(uidsOf(await listPods(ns, 'app=worker'))).toEqual(uidsOf(pods))
  })
})

describe('bug 8: max-deletions 1, two owners, the first one unfixable', () => {
  let ns: string
  let broken: V1Pod | undefined
  let crasher: V1Pod | undefined

  beforeAll(async () => {
    ns = await createNamespace('it-diag-max')
    // Pods are decided in name order: a-broken's pod takes the one slot first.
    await createDeployment(ns, 'a-broken', { fault: 'crashloop' })
    await createDeployment(ns, 'b-crasher', { fault: 'crashloop' })
    ;[broken] = await waitForPods(ns, 'app=a-broken', 1, isCrashLooping)
    ;[crasher] = await waitForPods(ns, 'app=b-crasher', 1, isCrashLooping)
    await missingSecret(broken as V1Pod, 'a-creds')
  })
  afterAll(() => deleteNamespace(ns))

  it('the slot passes to the second owner, whose pod is diagnosed before it is deleted', async () => {
    const run = await runAction(
      baseInputs({ namespaces: ns, 'max-deletions': '1', 'verify-timeout': '0' })
    )
    expect(run.code).toBe(0)
    const result = resultOf(run)
    expect(decisionsOf(result)).toEqual({
      [uidOf(broken)]: 'report',
      [uidOf(crasher)]: 'deleted'
    })
    expect(rowOf(result, broken)).toMatchObject({ cause: 'missing Secret a-creds' })
    // Its previous container log was read (a delete destroys it): the diagnosis came first.
    const row = rowOf(result, crasher)
    expect(row?.cause).toEqual(
      expect.stringMatching(/^exits 1 .*: panic: failed to connect to database after 5 attempts$/)
    )
    expect(row?.diagnosis?.logTail).toEqual(
      expect.arrayContaining([
        'panic: failed to connect to database after 5 attempts',
        'exit status 1'
      ])
    )
    expect(result.counts).toMatchObject({ unhealthy: 2, deleted: 1, reportOnly: 1, failed: 0 })
    expectNoneTouchedUndiagnosed(result)
    // The unfixable pod is untouched; the deleted one was replaced by its ReplicaSet.
    expect(uidsOf(await listPods(ns, 'app=a-broken'))).toEqual([uidOf(broken)])
    await waitForPods(ns, 'app=b-crasher', 1, p => uidOf(p) !== uidOf(crasher))
  })
})
