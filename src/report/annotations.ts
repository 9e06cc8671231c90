// Annotations: what GitHub shows on the run page (capped: it shows few).

import type { CycleResult } from '../domain/result.js'

export interface Annotation {
  level: 'warning' | 'error'
  title: string
  message: string
}

/** A warning per report-only finding, an error per failed action (capped: GitHub shows few). */
export function annotations(result: CycleResult, max = 50): Annotation[] {
  const list: Annotation[] = []
  for (const row of result.pods) {
    if (row.decision === 'report') {
      list.push({
        level: 'warning',
        title: `Pod Cleaner: ${row.namespace}/${row.pod} needs a fix a delete cannot make`,
        message: `${row.status} in container ${row.container}${row.message ? `: ${row.message}` : ''}`
      })
    } else if (row.outcome === 'not-recovered') {
      list.push({
        level: 'error',
        title: `Pod Cleaner: ${row.namespace}/${row.pod} did not recover`,
        message: row.outcomeDetail ?? 'not recovered'
      })
    } else if (row.decision === 'failed') {
      list.push({
        level: 'error',
        title: `Pod Cleaner: could not ${result.mode} ${row.namespace}/${row.pod}`,
        message: row.detail ?? 'failed'
      })
    }
  }
  for (const e of result.escalations) {
    list.unshift({
      level: 'error',
      title: `Pod Cleaner: gave up on ${e.owner.kind}/${e.owner.name}`,
      message: e.message
    })
  }
  if (result.breaker.tripped) {
    list.unshift({
      level: 'error',
      title: 'Pod Cleaner: circuit breaker tripped',
      message: `${result.breaker.percent}% of pods in scope are broken (limit ${result.breaker.limitPercent}%); nothing was deleted.`
    })
  }
  return list.slice(0, max)
}
