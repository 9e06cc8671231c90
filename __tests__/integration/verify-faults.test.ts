// Verification when the apiserver stops listing a namespace's pods after the scan (issue 14,
// bug 1), through the bundle and the fault-injecting proxy: the run still ends within `timeout`,
// and the deleted pod, whose namespace could not be watched, is `unknown` — never "recovered",
// never a "not recovered" that nobody saw.
import { describe, expect, it } from '@jest/globals'
import type { CycleResult } from '../../src/domain/result.js'
import { runAction } from '../fixtures/bundle.js'
import { createDeployment, isCrashLooping, waitForPods } from '../fixtures/cluster.js'
import { faults } from '../fixtures/fault-proxy.js'
import { proxiedNamespace } from '../fixtures/proxied-namespace.js'

describe('verification of a namespace that cannot be listed after the scan', () => {
  const space = proxiedNamespace('it-verify-faults', async ns => {
    await createDeployment(ns, 'crasher', { fault: 'crashloop' })
    await waitForPods(ns, 'app=crasher', 1, isCrashLooping)
  })

  it('the run ends within its timeout, and the deleted pod is unknown with the list error', async () => {
    // Lists of the namespace's pods (not watches): the scan's one page passes, every later one
    // (verification's baseline, and each of its retries) fails.
    const lists = new RegExp(`^/api/v1/namespaces/${space.ns}/pods\\?(?!.*\\bwatch=)`)
    const afterTheScan = Array.from({ length: 1000 }, (_, i) => i + 2)
    space.proxy.script([
      { method: 'GET', path: lists, nth: afterTheScan, fault: faults.unavailable() }
    ])
    const timeoutMs = 20_000
    const action = await runAction(
      space.inputs({ timeout: '20s', 'verify-timeout': '15s', 'request-timeout': '2s' }),
      { timeoutMs: 60_000 } // before the fix, the run never ended by itself: killed here
    )
    process.stderr.write(
      `[verify-faults] unlistable namespace: exit after ${action.durationMs} ms (timeout ${timeoutMs / 1000} s)\n`
    )
    expect(action.durationMs).toBeLessThan(timeoutMs + 3000)
    expect(action.code).toBe(0) // an unknown outcome is no error (fail-on: error)
    const result: CycleResult = JSON.parse(action.outputs.result as string)
    expect(result.errors).toEqual([])
    expect(
      result.pods.map(({ decision, outcome, outcomeDetail }) => ({
        decision,
        outcome,
        outcomeDetail
      }))
    ).toEqual([
      {
        decision: 'deleted',
        outcome: 'unknown',
        outcomeDetail: `verification could not watch namespace ${space.ns}: 503 ServiceUnavailable: the server is currently unable to handle the request`
      }
    ])
    expect(result.counts).toMatchObject({ deleted: 1, recovered: 0, unrecovered: 0 })
    // The fault was the one meant: the scan's list answered, verification's lists all failed.
    const statuses = space.proxy.log
      .filter(e => e.method === 'GET' && lists.test(e.path))
      .map(e => e.status)
    expect(statuses[0]).toBe(200)
    expect(statuses.length).toBeGreaterThan(1)
    expect(new Set(statuses.slice(1))).toEqual(new Set([503]))
  })
})
