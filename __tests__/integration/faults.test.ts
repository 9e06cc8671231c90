// Faults between the client and the real apiserver (issue 9): the Action (bundle) talks to the
// control plane through a fault-injecting HTTPS proxy. For every fault: nothing but the broken
// controller-owned pods is deleted, nothing twice, only with the uid that was listed; every failed
// action is reported with its cause; the exit status follows fail-on; the run ends on time.
import { beforeEach, describe, expect, it } from '@jest/globals'
import type { V1Pod } from '@kubernetes/client-node'
import type { CycleResult, PodRow } from '../../src/domain/result.js'
import { runAction, type ActionRun } from '../fixtures/bundle.js'
import { proxiedNamespace } from '../fixtures/proxied-namespace.js'
import {
  admin,
  createBarePod,
  createDeployment,
  createStatefulSet,
  isCrashLooping,
  isReady,
  listPods,
  scrubbed,
  waitForPods
} from '../fixtures/cluster.js'
import { faults, type LoggedRequest } from '../fixtures/fault-proxy.js'

const resultOf = (run: ActionRun): CycleResult => JSON.parse(run.outputs.result as string)
const rowsBy = (result: CycleResult, decision: string): PodRow[] =>
  result.pods.filter(r => r.decision === decision)
const appOf = (pod: V1Pod): string => pod.metadata?.labels?.app ?? ''

describe('faults injected between the Action and the real apiserver', () => {
  const space = proxiedNamespace('it-faults', async ns => {
    await createDeployment(ns, 'crash-a', { fault: 'crashloop' })
    await createDeployment(ns, 'crash-b', { fault: 'crashloop' })
    await createDeployment(ns, 'healthy', { replicas: 2 })
    await createBarePod(ns, 'bare', { fault: 'crashloop' })
    await waitForPods(ns, 'app=healthy', 2, isReady)
    await waitForPods(ns, 'app=bare', 1, isCrashLooping)
  })
  const listPath = () => `/api/v1/namespaces/${space.ns}/pods?`

  /** Every test starts from 2 crash-looping Deployment pods, 2 healthy ones and a broken bare pod. */
  let before: V1Pod[]
  beforeEach(async () => {
    space.proxy.script([])
    await waitForPods(space.ns, 'app=crash-a', 1, isCrashLooping)
    await waitForPods(space.ns, 'app=crash-b', 1, isCrashLooping)
    await waitForPods(space.ns, 'app=healthy', 2, isReady)
    before = (await listPods(space.ns)).filter(p => !p.metadata?.deletionTimestamp)
    expect(before).toHaveLength(5)
    space.proxy.clear()
  })

  const run = (extra: Record<string, string> = {}, timeoutMs?: number) =>
    runAction(
      space.inputs({ 'page-size': '2', 'request-timeout': '2s', timeout: '60s', ...extra }),
      {
        timeoutMs
      }
    )

  const listRequests = (): LoggedRequest[] =>
    space.proxy.log.filter(e => e.method === 'GET' && e.path.startsWith(listPath()))
  const deletesOf = (pod: string): LoggedRequest[] =>
    space.proxy.log.filter(
      e => e.method === 'DELETE' && e.path.startsWith(`/api/v1/namespaces/${space.ns}/pods/${pod}`)
    )

  /** The invariants every fault must keep. */
  async function expectSafe(result: CycleResult): Promise<void> {
    const after = await listPods(space.ns)
    const alive = new Set(after.map(p => p.metadata?.uid))
    const gone = before.filter(p => !alive.has(p.metadata?.uid))
    // Only broken Deployment pods disappeared, and each is reported as deleted (with its uid).
    for (const pod of gone) expect(['crash-a', 'crash-b']).toContain(appOf(pod))
    const reportedDeleted = new Set(rowsBy(result, 'deleted').map(r => r.uid))
    for (const pod of gone) expect(reportedDeleted).toContain(pod.metadata?.uid)
    // Healthy and bare pods are untouched.
    for (const pod of before.filter(p => ['healthy', 'bare'].includes(appOf(p))))
      expect(alive).toContain(pod.metadata?.uid)
    // Every DELETE carried the uid of a pod listed as broken (never a replacement's).
    const brokenUids = new Set(
      before.filter(p => ['crash-a', 'crash-b'].includes(appOf(p))).map(p => p.metadata?.uid)
    )
    for (const del of space.proxy.log.filter(e => e.method === 'DELETE')) {
      expect(brokenUids).toContain(JSON.parse(del.body).preconditions?.uid)
    }
    // No pod deleted twice on the real apiserver; no other writes at all.
    for (const [, count] of space.proxy.effectiveDeletes()) expect(count).toBe(1)
    expect(space.proxy.writes().filter(e => e.method !== 'DELETE')).toEqual([])
    // Each pod appears once in the report.
    const uids = result.pods.map(r => r.uid)
    expect(new Set(uids).size).toBe(uids.length)
    // Every failure has its cause.
    for (const row of rowsBy(result, 'failed'))
      expect(row.detail).toMatch(/\d{3} \w+|timed out|ECONN/)
  }

  const expectCleanRun = (action: ActionRun, result: CycleResult) => {
    expect(action.code).toBe(0)
    expect(result.errors).toEqual([])
    expect(result.podsScanned).toBe(5)
    expect(
      rowsBy(result, 'deleted')
        .map(r => r.pod.split('-').slice(0, 2).join('-'))
        .sort()
    ).toEqual(['crash-a', 'crash-b'])
    expect(result.pods.find(r => r.pod === 'bare')).toMatchObject({ decision: 'skipped' })
  }

  it('a response slower than request-timeout is abandoned and retried', async () => {
    space.proxy.script([
      { method: 'GET', path: listPath(), nth: 1, fault: { kind: 'delay', ms: 6000 } }
    ])
    const action = await run({ 'request-timeout': '1s' })
    const result = resultOf(action)
    expectCleanRun(action, result)
    const [slow, retry] = listRequests()
    expect(slow?.status).toBe('aborted')
    const gap = (retry?.at ?? 0) - (slow?.at ?? 0)
    // 1 s request timeout + ≥ 250 ms backoff (half-jittered 500 ms), far less than the 6 s delay.
    expect(gap).toBeGreaterThanOrEqual(1200)
    expect(gap).toBeLessThan(4000)
    expect(scrubbed(action.stdout)).toMatch(/request timed out — retry 1 in \d+ ms/)
    process.stderr.write(`[faults] slow answer: retry started ${gap} ms after the first try\n`)
    await expectSafe(result)
  })

  it('429 with Retry-After: the read waits at least Retry-After, then succeeds', async () => {
    space.proxy.script([{ method: 'GET', path: listPath(), nth: [1, 2], fault: faults.tooMany(2) }])
    const action = await run()
    const result = resultOf(action)
    expectCleanRun(action, result)
    const firstPage = listRequests().filter(e => !e.path.includes('continue='))
    expect(firstPage.map(e => e.status)).toEqual([429, 429, 200])
    const gaps = firstPage.slice(1).map((e, i) => e.at - (firstPage[i] as LoggedRequest).at)
    for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(1990)
    for (const gap of gaps) expect(gap).toBeLessThan(3500)
    process.stderr.write(`[faults] Retry-After: 2 → gaps ${gaps.join(', ')} ms\n`)
    await expectSafe(result)
  })

  it('500 then 503 on a continue page: retried with backoff, nothing counted twice', async () => {
    space.proxy.script([
      { method: 'GET', path: 'continue=', nth: 1, fault: faults.internal() },
      { method: 'GET', path: 'continue=', nth: 2, fault: faults.unavailable() }
    ])
    const action = await run()
    const result = resultOf(action)
    expectCleanRun(action, result)
    expect(listRequests().map(e => e.status)).toEqual([200, 500, 503, 200, 200])
    expect(result.pages).toBe(3)
    await expectSafe(result)
  })

  it('410 Expired on a continue token: the listing restarts, every pod counted once', async () => {
    space.proxy.script([{ method: 'GET', path: 'continue=', nth: 1, fault: faults.expired() }])
    const action = await run()
    const result = resultOf(action)
    expectCleanRun(action, result)
    expect(listRequests().map(e => [e.path.includes('continue='), e.status])).toEqual([
      [false, 200],
      [true, 410],
      [false, 200],
      [true, 200],
      [true, 200]
    ])
    expect(result.pages).toBe(3)
    expect(scrubbed(action.stdout)).toMatch(
      /Pod listing restarted: The provided continue parameter is too old/
    )
    await expectSafe(result)
  })

  it('a connection reset in the middle of a list page is retried', async () => {
    space.proxy.script([
      { method: 'GET', path: 'continue=', nth: 1, fault: { kind: 'reset-mid-body' } }
    ])
    const action = await run()
    const result = resultOf(action)
    expectCleanRun(action, result)
    expect(listRequests().map(e => e.status)).toEqual([200, 'reset', 200, 200])
    await expectSafe(result)
  })

  it('DELETE answered 503 before reaching the server: retried under the uid precondition', async () => {
    space.proxy.script([{ method: 'DELETE', nth: 1, fault: faults.unavailable() }])
    const action = await run()
    const result = resultOf(action)
    expectCleanRun(action, result)
    const first = rowsBy(result, 'deleted')[0] as PodRow
    expect(deletesOf(first.pod).map(e => [e.status, e.forwarded])).toEqual([
      [503, false],
      [200, true]
    ])
    await expectSafe(result)
  })

  it('DELETE that landed but whose answer was lost: the retry’s 404 is reported as our delete', async () => {
    space.proxy.script([
      { method: 'DELETE', nth: 1, fault: { kind: 'forward-then-status', status: 502, body: {} } }
    ])
    const action = await run()
    const result = resultOf(action)
    expectCleanRun(action, result)
    const first = rowsBy(result, 'deleted')[0] as PodRow
    expect(deletesOf(first.pod).map(e => [e.status, e.upstreamStatus])).toEqual([
      [502, 200],
      [404, 404]
    ])
    await expectSafe(result)
  })

  it('403 on DELETE is final: not retried, reported with its cause, fail-on error fails', async () => {
    space.proxy.script([
      {
        method: 'DELETE',
        nth: 1,
        fault: faults.forbidden(
          'pods "x" is forbidden: User "tester" cannot delete resource "pods" in API group "" in the namespace'
        )
      }
    ])
    const action = await run()
    const result = resultOf(action)
    expect(action.code).toBe(1)
    const [failed] = rowsBy(result, 'failed')
    expect(failed?.detail).toMatch(
      /^403 Forbidden: pods "x" is forbidden: User "tester" cannot delete/
    )
    expect(deletesOf(failed?.pod as string)).toHaveLength(1)
    expect(rowsBy(result, 'deleted')).toHaveLength(1)
    expect(action.outputs['failed-count']).toBe('1')
    expect(scrubbed(action.stdout)).toMatch(
      /::error::Pod Cleaner: 1 pod\(s\) could not be deleted \(fail-on: error\)/
    )
    await expectSafe(result)
  })

  it('DELETE failing 503 every time: bounded attempts, both failures reported, fail-on never passes', async () => {
    space.proxy.script([{ method: 'DELETE', fault: faults.unavailable() }])
    const action = await run({ 'fail-on': 'never' })
    const result = resultOf(action)
    expect(action.code).toBe(0)
    expect(result.counts.failed).toBe(2)
    for (const row of rowsBy(result, 'failed')) {
      expect(row.detail).toMatch(/^503 ServiceUnavailable: the server is currently unable/)
      expect(deletesOf(row.pod)).toHaveLength(4)
    }
    await expectSafe(result)
    expect(space.proxy.effectiveDeletes().size).toBe(0)
  })

  it('404 and 409 on DELETE are reported as already gone / replaced, and nothing else is touched', async () => {
    space.proxy.script([
      { method: 'DELETE', nth: 1, fault: faults.notFound() },
      { method: 'DELETE', nth: 2, fault: faults.conflict() }
    ])
    const action = await run()
    const result = resultOf(action)
    expect(action.code).toBe(0)
    expect(
      rowsBy(result, 'skipped')
        .map(r => r.detail)
        .sort()
    ).toEqual([
      'already gone (404)',
      'no controller would recreate it (bare pod)',
      'replaced since listing: uid changed (409), the new pod was not touched'
    ])
    expect(space.proxy.log.filter(e => e.method === 'DELETE')).toHaveLength(2)
    // The proxy answered; the apiserver never saw a delete: every pod is still there.
    expect((await listPods(space.ns)).map(p => p.metadata?.uid).sort()).toEqual(
      before.map(p => p.metadata?.uid).sort()
    )
    await expectSafe(result)
  })

  it('403 on the listing: the run stops before acting, the cause is reported, fail-on never passes', async () => {
    space.proxy.script([
      {
        method: 'GET',
        path: listPath(),
        fault: faults.forbidden('pods is forbidden: User "tester" cannot list resource "pods"')
      }
    ])
    const action = await run({ 'fail-on': 'never' })
    const result = resultOf(action)
    expect(action.code).toBe(0)
    expect(result.errors).toEqual([
      '403 Forbidden: pods is forbidden: User "tester" cannot list resource "pods"'
    ])
    expect(listRequests()).toHaveLength(1)
    expect(space.proxy.writes()).toEqual([])
    await expectSafe(result)
  })

  it('an apiserver that never answers: the run gives up cleanly at its timeout', async () => {
    space.proxy.script([{ method: 'GET', path: listPath(), fault: { kind: 'hang' } }])
    const action = await run({ timeout: '10s', 'request-timeout': '4s' }, 30_000)
    const result = resultOf(action)
    expect(action.code).toBe(1)
    expect(result.errors).toEqual([expect.stringMatching(/request timed out/)])
    expect(scrubbed(action.stdout)).toMatch(
      /::error::Pod Cleaner: GET .*request timed out \(fail-on: error\)/
    )
    expect(space.proxy.writes()).toEqual([])
    // 10 s budget: the last attempt is cut at the deadline, not 4 s later.
    expect(action.durationMs).toBeLessThan(12_500)
    process.stderr.write(
      `[faults] hung apiserver: ${listRequests().length} attempts, exit after ${action.durationMs} ms (timeout 10 s)\n`
    )
    await expectSafe(result)
  })
})

describe('a StatefulSet pod replaced between the listing and the DELETE (real 409)', () => {
  const space = proxiedNamespace('it-faults-sts', async ns => {
    await createStatefulSet(ns, 'db', { fault: 'crashloop' })
    await waitForPods(ns, 'app=db', 1, isCrashLooping)
  })

  it('the replacement (same name, new uid) is never deleted', async () => {
    const [old] = await listPods(space.ns, 'app=db')
    let replacement: V1Pod | undefined
    space.proxy.script([
      {
        method: 'DELETE',
        nth: 1,
        // Just before our DELETE reaches the server, the pod is replaced.
        before: async () => {
          await admin().core.deleteNamespacedPod({
            name: 'db-0',
            namespace: space.ns,
            gracePeriodSeconds: 0
          })
          ;[replacement] = await waitForPods(
            space.ns,
            'app=db',
            1,
            p => p.metadata?.uid !== old?.metadata?.uid,
            30_000
          )
        }
      }
    ])
    const action = await runAction(space.inputs())
    expect(action.code).toBe(0)
    const [row] = resultOf(action).pods
    expect(row).toMatchObject({
      pod: 'db-0',
      uid: old?.metadata?.uid,
      decision: 'skipped',
      detail: 'replaced since listing: uid changed (409), the new pod was not touched'
    })
    const deletes = space.proxy.log.filter(e => e.method === 'DELETE')
    expect(deletes.map(e => [e.status, JSON.parse(e.body).preconditions.uid])).toEqual([
      [409, old?.metadata?.uid]
    ])
    const [now] = await listPods(space.ns, 'app=db')
    expect(now?.metadata?.uid).toBe(replacement?.metadata?.uid)
    expect(now?.metadata?.deletionTimestamp).toBeUndefined()
  })
})
