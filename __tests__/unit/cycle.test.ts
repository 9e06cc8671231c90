// runCycle end to end against an in-memory cluster: decisions, breaker, per-owner limit,
// diagnosis turning a finding report-only, outcomes — in milliseconds. The real apiserver's part
// (preconditions, pagination, RBAC) is tested in __tests__/integration.
import { describe, expect, it } from '@jest/globals'
import { buildConfig } from '../../src/config/config.js'
import { runCycle } from '../../src/cycle/run.js'
import type { PodEventSummary, StateStore } from '../../src/cycle/ports.js'
import type { StateFile } from '../../src/domain/state.js'
import { createLogger } from '../../src/lib/logger.js'
import { fakeCluster, type FakeClusterOptions } from '../fixtures/fake-cluster.js'
import { silentSink } from '../fixtures/logs.js'
import { NOW, crashLoop, pod, running, waiting } from '../fixtures/pods.js'

const logger = createLogger(silentSink(), 'text')
const clockAt = (offset = { ms: 0 }) => ({ now: () => NOW.getTime() + offset.ms })
const config = (inputs: Record<string, string> = {}) =>
  buildConfig(name => ({ 'verify-timeout': '0', ...inputs })[name as string] ?? '')

const missingSecret: PodEventSummary[] = [
  { reason: 'Failed', message: 'Error: secret "db-creds" not found', count: 3 }
]
const broken = (name: string, owner = 'web-7d9f8') =>
  pod({ name, owner: { kind: 'ReplicaSet', name: owner }, containers: [crashLoop()] })
const healthy = (n: number) => Array.from({ length: n }, (_, i) => pod({ name: `ok-${i}` }))

async function cycle(cluster: FakeClusterOptions, inputs: Record<string, string> = {}) {
  const fake = fakeCluster(cluster)
  const result = await runCycle(config(inputs), { cluster: fake, logger, clock: clockAt() })
  const rows = result.pods.map(r => [r.pod, r.decision])
  return { fake, result, rows, deleted: fake.deletes.map(d => d.name) }
}

describe('runCycle', () => {
  it('deletes one crash-looping pod per owner, diagnosed first', async () => {
    const { rows, deleted, fake } = await cycle({ pods: [broken('a'), broken('b'), ...healthy(8)] })
    expect(rows).toEqual([
      ['a', 'deleted'],
      ['b', 'skipped']
    ])
    expect(deleted).toEqual(['a'])
    expect(fake.logReads).toEqual(['a'])
  })

  it('never deletes a sibling of a pod diagnosed unfixable without diagnosing it', async () => {
    // Both pods of the Deployment miss the same Secret: both are reported, nothing is deleted.
    const { rows, deleted, fake } = await cycle({
      pods: [broken('a'), broken('b'), ...healthy(8)],
      events: { a: missingSecret, b: missingSecret }
    })
    expect(rows).toEqual([
      ['a', 'report'],
      ['b', 'report']
    ])
    expect(deleted).toEqual([])
    expect(fake.logReads.sort()).toEqual(['a', 'b'])
  })

  it('a sibling diagnosed fixable after an unfixable one is deleted', async () => {
    const { rows, deleted } = await cycle({
      pods: [broken('a'), broken('b'), ...healthy(8)],
      events: { a: missingSecret }
    })
    expect(rows).toEqual([
      ['a', 'report'],
      ['b', 'deleted']
    ])
    expect(deleted).toEqual(['b'])
  })

  it('with diagnose off the first candidate is deleted as before', async () => {
    const { deleted } = await cycle(
      { pods: [broken('a'), broken('b'), ...healthy(8)], events: { a: missingSecret } },
      { diagnose: 'false' }
    )
    expect(deleted).toEqual(['a'])
  })

  it('max-deletions: a slot freed by an unfixable pod goes to a diagnosed one', async () => {
    const { rows, deleted } = await cycle(
      { pods: [broken('a', 'one'), broken('b', 'two'), broken('c', 'three'), ...healthy(20)] },
      { 'max-deletions': '1' }
    )
    expect(deleted).toEqual(['a'])
    expect(rows.map(r => r[1])).toEqual(['deleted', 'skipped', 'skipped'])
  })

  it('the circuit breaker stops every delete in an outage', async () => {
    const pods = [...['a', 'b', 'c', 'd'].map(n => broken(n, n)), ...healthy(6)]
    const { result, deleted } = await cycle({ pods })
    expect(result.breaker).toMatchObject({ tripped: true, unhealthy: 4, podsInScope: 10 })
    expect(deleted).toEqual([])
    expect(result.counts.skipped).toBe(4)
  })

  it('report-only reasons are never deleted', async () => {
    const pods = [pod({ name: 'img', containers: [waiting('ImagePullBackOff')] }), ...healthy(9)]
    const { rows, deleted } = await cycle({ pods })
    expect(rows).toEqual([['img', 'report']])
    expect(deleted).toEqual([])
  })

  it('dry run asks the server for a dry run and reports would-delete', async () => {
    const { rows, fake } = await cycle(
      { pods: [broken('a'), ...healthy(9)] },
      { 'dry-run': 'true' }
    )
    expect(rows).toEqual([['a', 'would-delete']])
    expect(fake.deletes.map(d => d.dryRun)).toEqual([true])
  })

  it('a scan never acts', async () => {
    const fake = fakeCluster({ pods: [broken('a'), ...healthy(9)] })
    const result = await runCycle(
      config(),
      { cluster: fake, logger, clock: clockAt() },
      { scanOnly: true }
    )
    expect(result.pods.map(r => r.decision)).toEqual(['would-delete'])
    expect(fake.deletes).toEqual([])
  })

  it('a pod replaced since listing is not touched (409 on the uid)', async () => {
    const pods = [broken('a'), ...healthy(9)]
    const fake = fakeCluster({
      pods,
      afterList: () => {
        const old = fake.pods.find(p => p.metadata.name === 'a')
        if (old) old.metadata.uid = 'uid-replacement'
      }
    })
    const result = await runCycle(config(), { cluster: fake, logger, clock: clockAt() })
    expect(result.pods[0]).toMatchObject({
      decision: 'skipped',
      detail: expect.stringMatching(/409/)
    })
  })

  it('nothing starts past the deadline, by the injected clock', async () => {
    const offset = { ms: 0 }
    const fake = fakeCluster({
      pods: [broken('a'), ...healthy(9)],
      afterList: () => {
        offset.ms = 11 * 60_000 // the listing took longer than the 8-minute timeout
      }
    })
    const result = await runCycle(config({ diagnose: 'false' }), {
      cluster: fake,
      logger,
      clock: clockAt(offset)
    })
    expect(result.pods[0]).toMatchObject({
      decision: 'skipped',
      detail: expect.stringMatching(/timeout/)
    })
    expect(fake.deletes).toEqual([])
    expect(result.durationMs).toBe(11 * 60_000)
  })

  it('a listing error is a result error, not a throw', async () => {
    const { result, deleted } = await cycle({ pods: [], listError: new Error('connection reset') })
    expect(result.errors).toEqual(['connection reset'])
    expect(deleted).toEqual([])
  })

  it('a namespace that does not exist is bad input naming the input', async () => {
    const fake = fakeCluster({ pods: [], namespaces: ['shop'] })
    await expect(
      runCycle(config({ namespaces: 'ghost' }), { cluster: fake, logger, clock: clockAt() })
    ).rejects.toThrow(/^Input 'namespaces': namespace "ghost" does not exist; expected/)
  })

  it('an owner given up on in an earlier run is left alone', async () => {
    const state: StateFile = {
      version: 2,
      incidents: {},
      owners: {
        'uid-ReplicaSet-web-7d9f8': {
          namespace: 'shop',
          kind: 'ReplicaSet',
          name: 'web-7d9f8',
          unrecovered: 3,
          firstSeenBroken: '2026-11-28T08:00:00Z',
          givenUp: true,
          lastAlertAt: NOW.toISOString()
        }
      }
    }
    let written: StateFile | undefined
    const store: StateStore = { read: () => ({ state }), write: s => (written = s) }
    const fake = fakeCluster({ pods: [broken('a'), ...healthy(9)] })
    const result = await runCycle(config(), {
      cluster: fake,
      logger,
      clock: clockAt(),
      state: store
    })
    expect(result.pods.map(r => r.decision)).toEqual(['given-up'])
    expect(fake.deletes).toEqual([])
    expect(written?.owners['uid-ReplicaSet-web-7d9f8']?.givenUp).toBe(true)
    expect(result.escalations).toEqual([]) // re-alerted at most once per realert-interval
  })

  it('healthy pods are not rows', async () => {
    const { result } = await cycle({ pods: [pod({ containers: [running()] }), ...healthy(3)] })
    expect(result.pods).toEqual([])
    expect(result.podsScanned).toBe(4)
  })
})

describe('runCycle: incidents (the remember step)', () => {
  const memoryStore = () => {
    const box: { state?: StateFile } = {}
    const store: StateStore = {
      read: () => ({ state: box.state ?? { version: 2, owners: {}, incidents: {} } }),
      write: s => (box.state = s)
    }
    return { box, store }
  }
  const changeKinds = (r: Awaited<ReturnType<typeof runCycle>>) =>
    r.incidents.changes.map(c => `${c.kind} ${c.incident.kind} ${c.incident.workload?.name}`)

  it('with a state store: opened once, then quiet, then resolved; the state keeps them', async () => {
    const { box, store } = memoryStore()
    const run = async (pods: ReturnType<typeof pod>[], minutes: number) =>
      runCycle(config({ 'state-file': 'x' }), {
        cluster: fakeCluster({ pods }),
        logger,
        clock: clockAt({ ms: minutes * 60_000 }),
        state: store
      })
    const missing = pod({
      name: 'api-1',
      owner: { kind: 'ReplicaSet', name: 'api' },
      containers: [waiting('ImagePullBackOff')]
    })
    const first = await run([missing, ...healthy(9)], 0)
    expect(first.incidents.remembered).toBe(true)
    expect(changeKinds(first)).toEqual(['opened unfixable api'])
    expect(changeKinds(await run([missing, ...healthy(9)], 10))).toEqual([])
    const healed = await run(healthy(10), 20)
    expect(changeKinds(healed)).toEqual(['resolved unfixable api'])
    expect(healed.incidents.open).toEqual([])
    expect(Object.values(box.state?.incidents ?? {}).map(i => i.status)).toEqual(['resolved'])
  })

  it('without a state store every run announces anew, and nothing is written', async () => {
    const missing = pod({
      name: 'api-1',
      owner: { kind: 'ReplicaSet', name: 'api' },
      containers: [waiting('ImagePullBackOff')]
    })
    for (let i = 0; i < 2; i++) {
      const { result } = await cycle({ pods: [missing, ...healthy(9)] })
      expect(result.incidents.remembered).toBe(false)
      expect(changeKinds(result)).toEqual(['opened unfixable api'])
    }
  })

  it('a failed run opens a run-error incident', async () => {
    const { result } = await cycle({ pods: [], listError: new Error('connection reset') })
    expect(changeKinds(result)).toEqual(['opened run-error undefined'])
  })
})
