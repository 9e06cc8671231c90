import { describe, expect, it } from '@jest/globals'
import { DEFAULT_DELETE_REASONS, DEFAULT_REPORT_REASONS } from '../../src/domain/reasons.js'
import type { Pod } from '../../src/domain/pod.js'
import type { PodEvent, VerifyApi } from '../../src/cycle/ports.js'
import { autoBudgetSeconds, replacementProblem, Verification } from '../../src/cycle/verify.js'
import { crashLoop, pod, running, waiting } from '../fixtures/pods.js'

const detect = {
  deleteReasons: new Set(DEFAULT_DELETE_REASONS),
  reportReasons: new Set(DEFAULT_REPORT_REASONS)
}

describe('autoBudgetSeconds (the original tool’s budgets)', () => {
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

describe('Verification (events from our own VerifyApi, no cluster)', () => {
  // A scripted namespace watch: the test pushes events, the Verification reacts.
  function feed() {
    const queue: PodEvent[] = []
    let wake: (() => void) | undefined
    const api: VerifyApi = {
      async *watchPods({ signal }) {
        while (!signal.aborted) {
          const next = queue.shift()
          if (next) yield next
          else await new Promise<void>(r => ((wake = r), setTimeout(r, 20)))
        }
      },
      ownerReplicas: async () => 1
    }
    return { api, push: (e: PodEvent) => (queue.push(e), wake?.()) }
  }
  const owner = { kind: 'ReplicaSet', name: 'web-7d9f8', uid: 'uid-ReplicaSet-web-7d9f8' }
  const ready = (name: string): Pod => {
    const p = pod({ name, containers: [running()] })
    p.status!.conditions = [{ type: 'Ready', status: 'True' }]
    return p
  }

  it('a replacement that stays Ready for the window is recovered; a healthy sibling never counts', async () => {
    const { api, push } = feed()
    const sibling = ready('sibling')
    push({ type: 'SYNC', pods: [sibling] })
    const v = new Verification(api, ['shop'], detect, Date.now, undefined, 100)
    await v.started()
    v.track({ namespace: 'shop', pod: 'old', uid: 'uid-old', owner, deletedAt: Date.now() })
    push({ type: 'ADDED', pod: ready('new') })
    const verdicts = await v.settle(2000)
    expect(verdicts.get('uid-old')).toMatchObject({ outcome: 'recovered', replacement: 'new' })
  })

  it('Ready for an instant, then crashing, is not recovered', async () => {
    const { api, push } = feed()
    push({ type: 'SYNC', pods: [] })
    const v = new Verification(api, ['shop'], detect, Date.now, undefined, 300)
    await v.started()
    v.track({ namespace: 'shop', pod: 'old', uid: 'uid-old', owner, deletedAt: Date.now() })
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
    const v = new Verification(api, ['shop'], detect, Date.now, undefined, 100)
    await v.started()
    v.track({ namespace: 'shop', pod: 'old', uid: 'uid-old', owner, deletedAt: Date.now() })
    const verdicts = await v.settle(200)
    expect(verdicts.get('uid-old')).toEqual({
      outcome: 'not-recovered',
      detail: 'no replacement created within 0 s'
    })
  })
})
