// The Action, through the committed bundle, against the real control plane: what is deleted,
// what is left alone and why; dry run; eviction with a blocking PDB; the circuit breaker.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import type { PodRow } from '../../src/domain/result.js'
import { runAction, runCli } from '../fixtures/bundle.js'
import {
  admin,
  baseInputs,
  createBarePod,
  createDeployment,
  createNamespace,
  deleteNamespace,
  isCrashLooping,
  isReady,
  listPods,
  scrubbed,
  uniqueName,
  waitForPods
} from '../fixtures/cluster.js'

const rowsOf = (outputs: Record<string, string>): PodRow[] =>
  JSON.parse(outputs.result as string).pods
const byPod = (rows: PodRow[]) => new Map(rows.map(r => [r.pod, r]))

describe('one cleanup cycle (issue 2/3, scenario 1)', () => {
  const run = uniqueName('run')
  const selector = `pod-cleaner-it=${run}`
  const labels = { 'pod-cleaner-it': run }
  let ns: string
  const sysDeployment = uniqueName('sys-crasher')

  beforeAll(async () => {
    ns = await createNamespace('it-cleanup')
    await createDeployment(ns, 'crasher', { replicas: 2, fault: 'crashloop', labels })
    await createDeployment(ns, 'healthy', { replicas: 2, labels })
    await createBarePod(ns, 'bare-crasher', { fault: 'crashloop', labels })
    await createDeployment('kube-system', sysDeployment, { fault: 'crashloop', labels })
    await waitForPods(ns, `app=crasher,${selector}`, 2, isCrashLooping)
    await waitForPods(ns, `app=healthy,${selector}`, 2, isReady)
    await waitForPods(ns, `app=bare-crasher,${selector}`, 1, isCrashLooping)
    await waitForPods('kube-system', `app=${sysDeployment}`, 1, isCrashLooping)
  })

  afterAll(async () => {
    await deleteNamespace(ns)
    await admin()
      .apps.deleteNamespacedDeployment({ name: sysDeployment, namespace: 'kube-system' })
      .catch(() => undefined)
  })

  it('scan (CLI) decides without touching anything', async () => {
    const before = (await listPods(ns, selector)).map(p => p.metadata?.uid).sort()
    const cli = await runCli(
      [
        'scan',
        '--label-selector',
        selector,
        '--min-pod-age',
        '0',
        '--min-restarts',
        '1',
        '--output',
        'json'
      ],
      {
        env: { KUBECONFIG: (await import('../fixtures/cluster.js')).clusterInfo().adminKubeconfig }
      }
    )
    expect(scrubbed(cli.stderr)).not.toMatch(/error/i)
    expect(cli.code).toBe(0)
    const findings = JSON.parse(cli.stdout).findings as Array<{
      name: string
      decision: string
      skipReason: string | null
    }>
    expect(findings).toHaveLength(4)
    expect(findings.filter(f => f.decision === 'delete')).toHaveLength(1)
    expect((await listPods(ns, selector)).map(p => p.metadata?.uid).sort()).toEqual(before)
  })

  it('dry run deletes nothing and reports what it would delete (server-side dryRun)', async () => {
    const before = (await listPods(ns, selector)).map(p => p.metadata?.uid).sort()
    const result = await runAction(baseInputs({ 'label-selector': selector, 'dry-run': 'true' }))
    expect(result.code).toBe(0)
    const rows = rowsOf(result.outputs)
    expect(rows.filter(r => r.decision === 'would-delete')).toHaveLength(1)
    expect(result.outputs['deleted-count']).toBe('1')
    expect(result.summary).toContain('(dry run)')
    expect((await listPods(ns, selector)).map(p => p.metadata?.uid).sort()).toEqual(before)
  })

  it('deletes only the Deployment’s broken pod; the ReplicaSet recreates it; the rest is reported', async () => {
    const crashers = await listPods(ns, `app=crasher,${selector}`)
    const healthyBefore = (await listPods(ns, `app=healthy,${selector}`))
      .map(p => p.metadata?.uid)
      .sort()
    const result = await runAction(baseInputs({ 'label-selector': selector }))
    expect(result.stderr).toBe('')
    expect(result.code).toBe(0)
    const rows = byPod(rowsOf(result.outputs))
    expect(rows.size).toBe(4)

    const deleted = [...rows.values()].filter(r => r.decision === 'deleted')
    expect(deleted).toHaveLength(1)
    expect(deleted[0]).toMatchObject({
      namespace: ns,
      owner: { kind: 'ReplicaSet' },
      reason: 'CrashLoopBackOff',
      exitCode: 1
    })
    const other = crashers.find(p => p.metadata?.name !== deleted[0]?.pod)?.metadata?.name as string
    expect(rows.get(other)).toMatchObject({
      decision: 'skipped',
      detail: expect.stringMatching(/another pod of ReplicaSet\/crasher-.* is handled this run/)
    })
    expect(rows.get('bare-crasher')).toMatchObject({
      decision: 'skipped',
      detail: 'no controller would recreate it (bare pod)'
    })
    const sys = [...rows.values()].find(r => r.namespace === 'kube-system')
    expect(sys).toMatchObject({ decision: 'skipped', detail: 'namespace kube-system is excluded' })

    expect(result.outputs).toMatchObject({
      'unhealthy-count': '4',
      'deleted-count': '1',
      'skipped-count': '3',
      'failed-count': '0',
      'report-only-count': '0'
    })
    expect(result.summary).toContain(
      '4 unhealthy · 1 deleted · 0 report only · 3 skipped · 0 failed'
    )
    expect(result.summary).toContain(`| ${ns} | bare-crasher | — | app | CrashLoopBackOff | 1 |`)

    // The deleted pod is gone and the ReplicaSet made a new one; nothing else changed.
    const now = await waitForPods(ns, `app=crasher,${selector}`, 2, () => true)
    expect(now.map(p => p.metadata?.name)).not.toContain(deleted[0]?.pod)
    expect(now.map(p => p.metadata?.name)).toContain(other)
    expect(
      (await listPods(ns, `app=healthy,${selector}`)).map(p => p.metadata?.uid).sort()
    ).toEqual(healthyBefore)
    expect(await listPods(ns, 'app=bare-crasher')).toHaveLength(1)
    expect(
      (await listPods('kube-system', `app=${sysDeployment}`)).map(p => p.metadata?.uid)
    ).toEqual([sys?.uid])
  })
})

describe('eviction with a blocking PodDisruptionBudget (scenario 6)', () => {
  let ns: string
  beforeAll(async () => {
    ns = await createNamespace('it-evict')
    await createDeployment(ns, 'guarded', { replicas: 1, fault: 'crashloop' })
    await admin().policy.createNamespacedPodDisruptionBudget({
      namespace: ns,
      body: {
        metadata: { name: 'guarded' },
        spec: { maxUnavailable: 0, selector: { matchLabels: { app: 'guarded' } } }
      }
    })
    await waitForPods(ns, 'app=guarded', 1, isCrashLooping)
  })
  afterAll(() => deleteNamespace(ns))

  it('is reported as blocked and nothing is deleted', async () => {
    const before = (await listPods(ns)).map(p => p.metadata?.uid)
    const result = await runAction(baseInputs({ namespaces: ns, mode: 'evict' }))
    expect(result.code).toBe(0)
    const [row] = rowsOf(result.outputs)
    expect(row).toMatchObject({
      decision: 'blocked',
      detail: expect.stringMatching(/blocked by PodDisruptionBudget: .*disruption budget/i)
    })
    expect(result.outputs['deleted-count']).toBe('0')
    expect((await listPods(ns)).map(p => p.metadata?.uid)).toEqual(before)
  })

  it('evicts when the budget allows it', async () => {
    await admin().policy.deleteNamespacedPodDisruptionBudget({ name: 'guarded', namespace: ns })
    const [old] = await listPods(ns)
    const result = await runAction(baseInputs({ namespaces: ns, mode: 'evict' }))
    expect(result.code).toBe(0)
    expect(rowsOf(result.outputs)[0]).toMatchObject({
      decision: 'evicted',
      pod: old?.metadata?.name
    })
    await waitForPods(ns, 'app=guarded', 1, p => p.metadata?.uid !== old?.metadata?.uid)
  })
})

describe('circuit breaker (scenario 7)', () => {
  let ns: string
  beforeAll(async () => {
    ns = await createNamespace('it-breaker')
    for (let i = 0; i < 8; i++) await createDeployment(ns, `broken-${i}`, { fault: 'crashloop' })
    await createDeployment(ns, 'fine', { replicas: 2 })
    await waitForPods(
      ns,
      `app in (${Array.from({ length: 8 }, (_, i) => `broken-${i}`).join(',')})`,
      8,
      isCrashLooping
    )
    await waitForPods(ns, 'app=fine', 2, isReady)
  })
  afterAll(() => deleteNamespace(ns))

  it('most pods broken → nothing deleted, the breaker is reported and the run fails', async () => {
    const before = (await listPods(ns)).map(p => p.metadata?.uid).sort()
    const result = await runAction(baseInputs({ namespaces: ns }))
    expect(result.code).toBe(1)
    const parsed = JSON.parse(result.outputs.result as string)
    expect(parsed.breaker).toEqual({
      tripped: true,
      unhealthy: 8,
      podsInScope: 10,
      percent: 80,
      limitPercent: 30
    })
    expect(
      parsed.pods.every(
        (r: PodRow) => r.decision === 'skipped' && /circuit breaker/.test(r.detail ?? '')
      )
    ).toBe(true)
    expect(scrubbed(result.stdout)).toMatch(/::error.*circuit breaker tripped/i)
    expect(result.summary).toContain('Circuit breaker tripped: 8 of 10 pods in scope (80%)')
    expect((await listPods(ns)).map(p => p.metadata?.uid).sort()).toEqual(before)
  })
})
