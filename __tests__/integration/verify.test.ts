// Recovery verification and memory across runs (issue 4), through the bundle, on the real
// control plane: recovered, crash-looping replacement, StatefulSet by uid, budget exhausted,
// and giving up after three unrecovered cleanups.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { V1Pod } from '@kubernetes/client-node'
import type { CycleResult } from '../../src/domain/result.js'
import { runAction } from '../fixtures/bundle.js'
import {
  admin,
  baseInputs,
  breakPod,
  clusterInfo,
  createDeployment,
  createNamespace,
  createStatefulSet,
  deleteNamespace,
  isCrashLooping,
  isReady,
  listPods,
  scrubbed,
  uniqueName,
  waitForPods
} from '../fixtures/cluster.js'

const parse = (outputs: Record<string, string>): CycleResult => JSON.parse(outputs.result as string)

describe('verification', () => {
  let ns: string
  beforeAll(async () => {
    ns = await createNamespace('it-verify')
  })
  afterAll(() => deleteNamespace(ns))

  it('a replacement that becomes Ready → recovered, with the time it took', async () => {
    await createDeployment(ns, 'web', { replicas: 2 })
    const pods = await waitForPods(ns, 'app=web', 2, isReady)
    const victim = pods[0]?.metadata?.name as string
    await breakPod(ns, victim)
    const run = await runAction(
      baseInputs({ namespaces: ns, 'label-selector': 'app=web', 'verify-timeout': '60s' })
    )
    expect(run.code).toBe(0)
    const result = parse(run.outputs)
    expect(result.pods).toHaveLength(1)
    const [row] = result.pods
    expect(row).toMatchObject({ pod: victim, decision: 'deleted', outcome: 'recovered' })
    // The healthy sibling that existed before is never mistaken for the replacement.
    expect(row?.replacement).not.toBe(pods[1]?.metadata?.name)
    expect(row?.recoveredInMs).toBeLessThan(60_000)
    expect(run.outputs).toMatchObject({ 'recovered-count': '1', 'unrecovered-count': '0' })
    expect(result.verification?.budgetSeconds).toBe(60)
    expect(scrubbed(run.summary)).toMatch(/deleted \| recovered in [\d.]+ (ms|s) \|/)
  })

  it('a replacement that crash-loops too → not recovered, with the reason; fail-on: unrecovered fails', async () => {
    await createDeployment(ns, 'crasher', { fault: 'crashloop' })
    await waitForPods(ns, 'app=crasher', 1, isCrashLooping)
    const run = await runAction(
      baseInputs({
        namespaces: ns,
        'label-selector': 'app=crasher',
        'verify-timeout': '90s',
        'fail-on': 'unrecovered'
      })
    )
    expect(run.code).toBe(1)
    const [row] = parse(run.outputs).pods
    expect(row).toMatchObject({
      decision: 'deleted',
      outcome: 'not-recovered',
      outcomeDetail: expect.stringMatching(/^replacement crasher-\S+ CrashLoopBackOff \(exit 1\)$/)
    })
    expect(run.outputs['unrecovered-count']).toBe('1')
    expect(scrubbed(run.stdout)).toMatch(
      /::error title=Pod Cleaner%3A .* did not recover::replacement crasher-/
    )
    expect(scrubbed(run.stdout)).toMatch(
      /::error::Pod Cleaner: 1 pod\(s\) did not recover \(fail-on: unrecovered\)/
    )
    // Settled as soon as the replacement crash-looped, not at the end of the budget.
    expect(parse(run.outputs).verification?.durationMs).toBeLessThan(60_000)
  })

  it('a replacement failing for a cause a new pod cannot fix → not recovered at once, even when delete-reasons lists it', async () => {
    await createDeployment(ns, 'configless', { fault: 'configerror' })
    const configError = (p: V1Pod) =>
      p.status?.containerStatuses?.[0]?.state?.waiting?.reason === 'CreateContainerConfigError'
    await waitForPods(ns, 'app=configless', 1, configError)
    const run = await runAction(
      baseInputs({
        namespaces: ns,
        'label-selector': 'app=configless',
        'delete-reasons': 'CrashLoopBackOff,CreateContainerConfigError',
        diagnose: 'false', // a diagnosis would make it report-only (a missing Secret)
        'verify-timeout': '120s'
      })
    )
    const result = parse(run.outputs)
    const [row] = result.pods
    expect(row).toMatchObject({ decision: 'deleted', outcome: 'not-recovered' })
    expect(row?.replacement).not.toBe(row?.pod)
    expect(row?.outcomeDetail).toBe(`replacement ${row?.replacement} CreateContainerConfigError`)
    // Settled as soon as the replacement failed the same way, not at the end of the budget.
    expect(result.verification?.budgetSeconds).toBe(120)
    expect(result.verification?.durationMs).toBeLessThan(60_000)
    process.stderr.write(
      `[verify] unfixable replacement settled in ${result.verification?.durationMs} ms (budget 120 s)\n`
    )
  })

  it('a StatefulSet pod comes back with the same name: judged by uid', async () => {
    await createStatefulSet(ns, 'db')
    const [old] = await waitForPods(ns, 'app=db', 1, isReady)
    await breakPod(ns, 'db-0')
    const run = await runAction(
      baseInputs({ namespaces: ns, 'label-selector': 'app=db', 'verify-timeout': '60s' })
    )
    expect(run.code).toBe(0)
    const [row] = parse(run.outputs).pods
    // The whole decision in the comparison, so that a failure shows why (skipped, blocked …).
    expect({
      pod: row?.pod,
      uid: row?.uid,
      decision: row?.decision,
      detail: row?.detail,
      outcome: row?.outcome,
      outcomeDetail: row?.outcomeDetail,
      replacement: row?.replacement
    }).toEqual({
      pod: 'db-0',
      uid: old?.metadata?.uid,
      decision: 'deleted',
      detail: undefined,
      outcome: 'recovered',
      outcomeDetail: expect.anything(),
      replacement: 'db-0'
    })
    const [now] = await listPods(ns, 'app=db')
    expect(now?.metadata?.uid).not.toBe(old?.metadata?.uid)
  })

  it('budget exhausted with the replacement unschedulable → not recovered, never recovered', async () => {
    const pool = uniqueName('pool')
    const node = clusterInfo().nodes[0] as string
    const label = (value: string | null) =>
      admin().core.patchNode({
        name: node,
        body: [
          {
            op: value ? 'add' : 'remove',
            path: '/metadata/labels/pod-cleaner-it~1pool',
            ...(value ? { value } : {})
          }
        ]
      })
    await label(pool)
    try {
      await admin().apps.createNamespacedReplicaSet({
        namespace: ns,
        body: {
          metadata: { name: 'pinned' },
          spec: {
            replicas: 1,
            selector: { matchLabels: { app: 'pinned' } },
            template: {
              metadata: { labels: { app: 'pinned' } },
              spec: {
                nodeSelector: { 'pod-cleaner-it/pool': pool },
                terminationGracePeriodSeconds: 0,
                containers: [{ name: 'app', image: 'busybox:1.36' }]
              }
            }
          }
        }
      })
      const [pod] = await waitForPods(ns, 'app=pinned', 1, isReady)
      await breakPod(ns, pod?.metadata?.name as string)
      await label(null) // the replacement will have nowhere to go
      const run = await runAction(
        baseInputs({ namespaces: ns, 'label-selector': 'app=pinned', 'verify-timeout': '6s' })
      )
      const [row] = parse(run.outputs).pods
      expect(row).toMatchObject({
        decision: 'deleted',
        outcome: 'not-recovered',
        outcomeDetail: expect.stringMatching(
          /^replacement pinned-\S+ Pending: Unschedulable .* after 6 s$/
        )
      })
      expect(run.code).toBe(0) // fail-on: error — an unrecovered pod alone does not fail the run
    } finally {
      await label(null).catch(() => undefined)
    }
  })
})

describe('memory across runs', () => {
  let ns: string
  let stateFile: string
  beforeAll(async () => {
    ns = await createNamespace('it-memory')
    stateFile = join(mkdtempSync(join(tmpdir(), 'pod-cleaner-state-')), 'state.json')
    await createDeployment(ns, 'hopeless', { fault: 'crashloop' })
    await waitForPods(ns, 'app=hopeless', 1, isCrashLooping)
  })
  afterAll(() => deleteNamespace(ns))

  it('three unrecovered cleanups → the third gives up and escalates; the fourth deletes nothing', async () => {
    const inputs = baseInputs({ namespaces: ns, 'state-file': stateFile, 'verify-timeout': '60s' })
    const results: Array<{ code: number | null; result: CycleResult; stdout: string }> = []
    for (let i = 0; i < 4; i++) {
      await waitForPods(ns, 'app=hopeless', 1, isCrashLooping)
      const run = await runAction(inputs)
      results.push({ code: run.code, result: parse(run.outputs), stdout: run.stdout })
    }
    const [first, second, third, fourth] = results
    for (const r of [first, second, third])
      expect(r?.result.pods[0]).toMatchObject({ decision: 'deleted', outcome: 'not-recovered' })
    expect(first?.result.escalations).toEqual([])
    expect(second?.result.escalations).toEqual([])
    expect(first?.code).toBe(0)
    expect(third?.result.escalations).toEqual([
      expect.objectContaining({
        namespace: ns,
        owner: expect.objectContaining({ kind: 'ReplicaSet' }),
        unrecovered: 3
      })
    ])
    expect(third?.code).toBe(1)
    expect(scrubbed(third?.stdout ?? '')).toMatch(
      /::error title=Pod Cleaner%3A gave up on ReplicaSet\/hopeless-/
    )
    expect(fourth?.result.pods[0]).toMatchObject({
      decision: 'given-up',
      detail: expect.stringMatching(/^given up: 3 cleanups did not heal ReplicaSet\/hopeless-/)
    })
    expect(fourth?.result.counts.deleted).toBe(0)
    expect(fourth?.result.escalations).toEqual([]) // escalated once; again only after realert-interval
    const state = JSON.parse(readFileSync(stateFile, 'utf8'))
    expect(Object.values(state.owners)).toEqual([
      expect.objectContaining({ unrecovered: 3, givenUp: true })
    ])
  })

  it('a corrupt state file is a warning and a fresh start', async () => {
    const corrupt = join(mkdtempSync(join(tmpdir(), 'pod-cleaner-state-')), 'state.json')
    writeFileSync(corrupt, '{not json')
    const run = await runAction(
      baseInputs({ namespaces: ns, 'state-file': corrupt, 'dry-run': 'true' })
    )
    expect(run.code).toBe(0)
    expect(scrubbed(run.stdout)).toMatch(/::warning::state-file .* is corrupt/)
    expect(parse(run.outputs).warnings[0]).toMatch(/starting fresh/)
  })
})
