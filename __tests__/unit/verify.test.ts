import { describe, expect, it } from '@jest/globals'
import { DEFAULT_DELETE_REASONS, DEFAULT_REPORT_REASONS } from '../../src/domain/reasons.js'
import type { Pod } from '../../src/domain/pod.js'
import type { PodEvent, VerifyApi } from '../../src/cycle/ports.js'
import { replacementProblem } from '../../src/cycle/replacement.js'
import {
  autoBudgetSeconds,
  baselineDeadline,
  Verification,
  type Timers
} from '../../src/cycle/verify.js'
import { crashLoop, pod, running, waiting } from '../fixtures/pods.js'

const detect = {
  deleteReasons: new Set(DEFAULT_DELETE_REASONS),
  reportReasons: new Set(DEFAULT_REPORT_REASONS)
}

describe('autoBudgetSeconds (budgets by cluster size)', () => {
  it.each([
    [1, 180],
    [50, 180],
    [51, 150],
    [200, 150],
    [201, 120],
    [5000, 120]
  ])('%d namespaces → %d s', (namespaces, seconds) =>
    expect(autoBudgetSeconds(namespaces)).toBe(seconds)
  )
})

describe('replacementProblem', () => {
  it('a crash-looping replacement is final', () => {
    expect(replacementProblem(pod({ name: 'r', containers: [crashLoop()] }), detect)).toEqual({
      text: 'replacement r CrashLoopBackOff (exit 1)',
      final: true
    })
  })
  it('an unfixable failure is final', () => {
    expect(
      replacementProblem(
        pod({ name: 'r', phase: 'Pending', containers: [waiting('ImagePullBackOff')] }),
        detect
      ).final
    ).toBe(true)
  })
  it('an unfixable failure is final even when delete-reasons lists it', () => {
    const deleting = {
      deleteReasons: new Set([...DEFAULT_DELETE_REASONS, 'CreateContainerConfigError']),
      reportReasons: new Set(DEFAULT_REPORT_REASONS.filter(r => r !== 'CreateContainerConfigError'))
    }
    const p = pod({
      name: 'r',
      phase: 'Pending',
      containers: [waiting('CreateContainerConfigError', 'app', 'secret "db-creds" not found')]
    })
    expect(replacementProblem(p, deleting)).toEqual({
      text: 'replacement r CreateContainerConfigError',
      final: true
    })
  })
  it('an unschedulable replacement names the scheduler’s reason, not final', () => {
    const p: Pod = {
      metadata: { name: 'r' },
      status: {
        phase: 'Pending',
        conditions: [
          {
            type: 'PodScheduled',
            status: 'False',
            reason: 'Unschedulable',
            message: '0/2 nodes are available'
          }
        ]
      }
    }
    expect(replacementProblem(p, detect)).toEqual({
      text: 'replacement r Pending: Unschedulable (0/2 nodes are available)',
      final: false
    })
  })
  it('a starting replacement is simply not Ready yet', () => {
    expect(
      replacementProblem(
        pod({ name: 'r', phase: 'Pending', containers: [waiting('ContainerCreating')] }),
        detect
      )
    ).toEqual({
      text: 'replacement r Pending, not Ready',
      final: false
    })
  })
})

describe('baselineDeadline', () => {
  it.each([
    ['a long run: at most 30 s', 600_000, 30_000],
    ['a short run: a third of what is left', 30_000, 10_000],
    ['past the deadline: no wait', -1000, 0]
  ])('%s', (_, left, wait) => expect(baselineDeadline(1000, 1000 + left)).toBe(1000 + wait))
})

/** A clock and timers the test moves by hand: deadlines and budgets pass without waiting. */
function manualTime() {
  let now = Date.parse('2026-11-28T12:00:00Z')
  const due = new Set<{ at: number; fn: () => void }>()
  const timers: Timers = {
    after(ms, fn) {
      const timer = { at: now + ms, fn }
      due.add(timer)
      return () => void due.delete(timer)
    }
  }
  return {
    clock: { now: () => now },
    timers,
    advance(ms: number) {
      now += ms
      for (const timer of [...due].sort((a, b) => a.at - b.at)) {
        if (timer.at <= now && due.delete(timer)) timer.fn()
      }
    },
    pending: () => due.size
  }
}

/** Lets pending promise callbacks (watch loops, waits) run. */
const flush = () => new Promise(resolve => setImmediate(resolve))

describe('Verification (events from our own VerifyApi, no cluster)', () => {
  // A scripted watch per namespace: the test pushes events, the Verification reacts. A namespace
  // without a script fails every list, the way watchPods reports it, until aborted.
  const LIST_FAILED = '503 ServiceUnavailable: the server is currently unable to handle the request'
  function feed() {
    const queues = new Map<string, PodEvent[]>()
    const wakes = new Map<string, () => void>()
    const aborted: string[] = []
    const api: VerifyApi = {
      async *watchPods({ namespace, signal, onResync }) {
        if (!queues.has(namespace)) onResync?.(LIST_FAILED)
        while (!signal.aborted) {
          const next = queues.get(namespace)?.shift()
          if (next) yield next
          else await nextPush(namespace, signal)
        }
        aborted.push(namespace)
      },
      ownerReplicas: async () => 1
    }
    /** Resolves at the namespace's next push, or when the watch is stopped. */
    const nextPush = (namespace: string, signal: AbortSignal) =>
      new Promise<void>(resolve => {
        const done = () => (signal.removeEventListener('abort', done), resolve())
        wakes.set(namespace, done)
        signal.addEventListener('abort', done)
      })
    const push = (e: PodEvent, namespace = 'shop') => {
      queues.set(namespace, [...(queues.get(namespace) ?? []), e])
      wakes.get(namespace)?.()
    }
    return { api, push, aborted }
  }
  const owner = { kind: 'ReplicaSet', name: 'web-7d9f8', uid: 'uid-ReplicaSet-web-7d9f8' }
  const ready = (name: string): Pod => {
    const p = pod({ name, containers: [running()] })
    p.status!.conditions = [{ type: 'Ready', status: 'True' }]
    return p
  }
  const target = (namespace = 'shop', uid = 'uid-old') => ({
    namespace,
    pod: 'old',
    uid,
    owner,
    deletedAt: Date.now()
  })
  /** Real time, a deadline far enough for any baseline. */
  const start = (api: VerifyApi, stableMs: number, namespaces = ['shop']) =>
    Verification.start({
      api,
      namespaces,
      detect,
      clock: { now: Date.now },
      deadline: Date.now() + 5000,
      stableMs
    })

  it('a replacement that stays Ready for the window is recovered; a healthy sibling never counts', async () => {
    const { api, push } = feed()
    const sibling = ready('sibling')
    push({ type: 'SYNC', pods: [sibling] })
    const v = await start(api, 100)
    v.track(target())
    push({ type: 'ADDED', pod: ready('new') })
    const verdicts = await v.settle(2000)
    expect(verdicts.get('uid-old')).toMatchObject({ outcome: 'recovered', replacement: 'new' })
  })

  it('Ready for an instant, then crashing, is not recovered', async () => {
    const { api, push } = feed()
    push({ type: 'SYNC', pods: [] })
    const v = await start(api, 300)
    v.track(target())
    const flaky = ready('new')
    push({ type: 'ADDED', pod: flaky })
    await new Promise(r => setTimeout(r, 50))
    push({
      type: 'MODIFIED',
      pod: { ...pod({ name: 'new', containers: [crashLoop()] }), metadata: flaky.metadata }
    })
    const verdicts = await v.settle(1000)
    expect(verdicts.get('uid-old')).toMatchObject({
      outcome: 'not-recovered',
      detail: 'replacement new CrashLoopBackOff (exit 1)'
    })
  })

  it('no replacement within the budget is not recovered, never recovered', async () => {
    const { api, push } = feed()
    push({ type: 'SYNC', pods: [] })
    const v = await start(api, 100)
    v.track(target())
    const verdicts = await v.settle(200)
    expect(verdicts.get('uid-old')).toEqual({
      outcome: 'not-recovered',
      detail: 'no replacement created within 0 s'
    })
  })

  it('a namespace whose list keeps failing: start ends at its deadline, the pod is unknown at once, its watch stops', async () => {
    const time = manualTime()
    const { api, push, aborted } = feed()
    push({ type: 'SYNC', pods: [] }, 'shop')
    let started = false
    const starting = Verification.start({
      api,
      namespaces: ['shop', 'broken', 'shop'],
      detect,
      clock: time.clock,
      deadline: time.clock.now() + 10_000,
      timers: time.timers
    }).then(v => ((started = true), v))
    await flush()
    time.advance(9_999)
    await flush()
    expect(started).toBe(false) // 'shop' has its baseline; 'broken' is still retried
    time.advance(1)
    const v = await starting
    await flush()
    expect(aborted).toEqual(['broken'])
    v.track(target('broken', 'uid-a'))
    v.track(target('shop', 'uid-b'))
    push({ type: 'ADDED', pod: pod({ name: 'new', containers: [crashLoop()] }) })
    // Settles without the budget passing: one pod unknown, the other crash-looping again.
    const verdicts = await v.settle(180_000)
    expect(Object.fromEntries(verdicts)).toEqual({
      'uid-a': {
        outcome: 'unknown',
        detail: `verification could not watch namespace broken: ${LIST_FAILED}`
      },
      'uid-b': {
        outcome: 'not-recovered',
        detail: 'replacement new CrashLoopBackOff (exit 1)',
        replacement: 'new'
      }
    })
    expect(time.pending()).toBe(0)
    await flush()
    expect(aborted.sort()).toEqual(['broken', 'shop'])
  }, 5000)

  it('a list that never answers: unknown, saying how long it waited', async () => {
    const time = manualTime()
    const api: VerifyApi = {
      async *watchPods({ signal }) {
        // Nothing comes until the watch is stopped.
        await new Promise(r => signal.addEventListener('abort', r))
        yield* []
      },
      ownerReplicas: async () => 1
    }
    const starting = Verification.start({
      api,
      namespaces: ['slow'],
      detect,
      clock: time.clock,
      deadline: time.clock.now() + 8000,
      timers: time.timers
    })
    time.advance(8000)
    const v = await starting
    v.track(target('slow'))
    expect((await v.settle(60_000)).get('uid-old')).toEqual({
      outcome: 'unknown',
      detail: 'verification could not watch namespace slow: no pod list within 8 s'
    })
  }, 5000)

  it('a watch broken when the budget runs out: unknown, not "no replacement"', async () => {
    const time = manualTime()
    let fail: (() => void) | undefined
    const api: VerifyApi = {
      async *watchPods({ signal, onResync }) {
        yield { type: 'SYNC', pods: [] }
        await new Promise<void>(r => (fail = r))
        onResync?.(LIST_FAILED)
        await new Promise(r => signal.addEventListener('abort', r))
      },
      ownerReplicas: async () => 1
    }
    const v = await Verification.start({
      api,
      namespaces: ['shop'],
      detect,
      clock: time.clock,
      deadline: time.clock.now() + 8000,
      timers: time.timers
    })
    v.track(target())
    fail?.()
    await flush()
    const settling = v.settle(60_000)
    time.advance(60_000)
    expect((await settling).get('uid-old')).toEqual({
      outcome: 'unknown',
      detail: `verification lost its watch of namespace shop: ${LIST_FAILED}`
    })
  }, 5000)

  it('a replacement failing for a cause a new pod cannot fix settles at once, even when delete-reasons lists it', async () => {
    const time = manualTime()
    const { api, push } = feed()
    push({ type: 'SYNC', pods: [] })
    const v = await Verification.start({
      api,
      namespaces: ['shop'],
      detect: {
        deleteReasons: new Set([...DEFAULT_DELETE_REASONS, 'CreateContainerConfigError']),
        reportReasons: new Set(['ImagePullBackOff'])
      },
      clock: time.clock,
      deadline: time.clock.now() + 8000,
      timers: time.timers
    })
    v.track(target())
    const config = waiting('CreateContainerConfigError', 'app', 'secret "db-creds" not found')
    push({ type: 'ADDED', pod: pod({ name: 'new', phase: 'Pending', containers: [config] }) })
    // The budget never passes on this clock: only an immediate verdict ends the wait.
    expect((await v.settle(180_000)).get('uid-old')).toEqual({
      outcome: 'not-recovered',
      detail: 'replacement new CreateContainerConfigError',
      replacement: 'new'
    })
    expect(time.pending()).toBe(0)
  }, 5000)

  it('a namespace it was not started for is unknown, never "no replacement"', async () => {
    const { api, push } = feed()
    push({ type: 'SYNC', pods: [] })
    const v = await start(api, 100)
    v.track(target('elsewhere'))
    expect((await v.settle(60_000)).get('uid-old')).toEqual({
      outcome: 'unknown',
      detail: 'verification did not watch namespace elsewhere'
    })
  }, 5000)
})
