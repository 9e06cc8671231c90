import { describe, expect, it } from '@jest/globals'
import { DEFAULT_DELETE_REASONS, DEFAULT_REPORT_REASONS } from '../../src/constants.js'
import type { Pod } from '../../src/kube/types.js'
import { autoBudgetSeconds, replacementProblem } from '../../src/verify.js'
import { crashLoop, pod, waiting } from '../fixtures/pods.js'

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
