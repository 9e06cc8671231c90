// Two cycles at once (issue 9): a manual run overlapping a scheduled one. Both bundles list the same
// broken pods (the proxy holds each listing until both have asked, so they truly overlap), then
// race to delete them. The uid precondition lets exactly one DELETE per pod succeed; the other run
// must say "already gone" / "replaced", never "deleted", and never touch anything else.
import { describe, expect, it } from '@jest/globals'
import type { CycleResult } from '../../src/domain/result.js'
import { runAction } from '../fixtures/bundle.js'
import {
  createDeployment,
  isCrashLooping,
  isReady,
  listPods,
  waitForPods
} from '../fixtures/cluster.js'
import { proxiedNamespace } from '../fixtures/proxied-namespace.js'

const BROKEN = ['crash-a', 'crash-b', 'crash-c']

describe('two cycles started at once against the same broken pods', () => {
  const space = proxiedNamespace('it-concurrent', async ns => {
    for (const name of BROKEN) await createDeployment(ns, name, { fault: 'crashloop' })
    await createDeployment(ns, 'healthy', { replicas: 2 })
    for (const name of BROKEN) await waitForPods(ns, `app=${name}`, 1, isCrashLooping)
    await waitForPods(ns, 'app=healthy', 2, isReady)
  })

  it('no pod is deleted twice and both reports are honest', async () => {
    const before = await listPods(space.ns)
    const brokenUids = new Map(
      before
        .filter(p => BROKEN.includes(p.metadata?.labels?.app ?? ''))
        .map(p => [p.metadata?.uid as string, p.metadata?.name as string])
    )
    expect(brokenUids.size).toBe(3)

    // A barrier: neither listing is answered until both runs have asked.
    let release: () => void = () => undefined
    const bothListed = new Promise<void>(resolve => (release = resolve))
    let listings = 0
    space.proxy.script([
      {
        method: 'GET',
        path: `/api/v1/namespaces/${space.ns}/pods?`,
        nth: [1, 2],
        before: async () => {
          if (++listings === 2) release()
          await bothListed
        }
      }
    ])
    const inputs = space.inputs()
    const runs = await Promise.all([runAction(inputs), runAction(inputs)])
    const results = runs.map(r => JSON.parse(r.outputs.result as string) as CycleResult)
    for (const run of runs) expect(run.code).toBe(0)

    // Both saw the same three broken pods.
    for (const result of results) {
      expect(result.pods.map(r => r.uid).sort()).toEqual([...brokenUids.keys()].sort())
    }
    // Per pod: exactly one run deleted it; the other reports why it did not.
    for (const uid of brokenUids.keys()) {
      const rows = results.map(r => r.pods.find(p => p.uid === uid))
      const decisions = rows.map(r => r?.decision).sort()
      expect(decisions).toEqual(['deleted', 'skipped'])
      const skipped = rows.find(r => r?.decision === 'skipped')
      expect(skipped?.detail).toMatch(
        /^(already gone \(404\)|replaced since listing: uid changed \(409\))/
      )
    }
    expect(results.map(r => r.counts.deleted).reduce((a, b) => a + b)).toBe(3)
    for (const result of results) expect(result.counts.failed).toBe(0)

    // The apiserver accepted exactly one DELETE per pod, each with the listed uid.
    const effective = space.proxy.effectiveDeletes()
    expect(effective.size).toBe(3)
    for (const [, count] of effective) expect(count).toBe(1)
    const deletes = space.proxy.log.filter(e => e.method === 'DELETE')
    expect(deletes).toHaveLength(6)
    for (const d of deletes)
      expect([...brokenUids.keys()]).toContain(JSON.parse(d.body).preconditions?.uid)
    expect(space.proxy.writes()).toHaveLength(6)

    // Nothing else changed: every pod but the three broken ones is still the same pod.
    const alive = new Set((await listPods(space.ns)).map(p => p.metadata?.uid))
    for (const pod of before) {
      expect(alive.has(pod.metadata?.uid)).toBe(!brokenUids.has(pod.metadata?.uid as string))
    }
    process.stderr.write(
      `[concurrency] deleted per run: ${results.map(r => r.counts.deleted).join(' + ')}; skipped: ${results
        .flatMap(r => r.pods.filter(p => p.decision === 'skipped').map(p => p.detail))
        .join(' | ')}\n`
    )
  })
})
