// fail-on as a rule over one result: why a run counts as failed (the step's exit status), or
// undefined. The fleet's aggregate applies it to every cluster; it must say what the Action says
// (a unit test compares the two).

import type { CycleResult } from './result.js'

export type FailOn = 'never' | 'error' | 'unhealthy' | 'unrecovered'

/** Why the run fails under `fail-on`, or undefined when it passes. */
export function failOnReason(result: CycleResult, failOn: FailOn): string | undefined {
  if (failOn === 'never') return undefined
  const problems: string[] = []
  if (result.errors.length > 0) problems.push(result.errors.join('; '))
  if (result.counts.failed > 0)
    problems.push(
      `${result.counts.failed} pod(s) could not be ${result.mode === 'evict' ? 'evicted' : 'deleted'}`
    )
  if (result.breaker.tripped) problems.push('circuit breaker tripped')
  if (result.escalations.length > 0)
    problems.push(`gave up on ${result.escalations.length} owner(s)`)
  if (failOn === 'unrecovered' && result.counts.unrecovered > 0)
    problems.push(`${result.counts.unrecovered} pod(s) did not recover`)
  if (failOn === 'unhealthy' && result.counts.unhealthy > 0)
    problems.push(`${result.counts.unhealthy} unhealthy pod(s) found`)
  return problems.length > 0 ? problems.join('; ') : undefined
}
