// The summary's incidents section: the changes of the run and what stays open, with ages.
import { describe, expect, it } from '@jest/globals'
import { incidentChanges, openIncidents } from '../../src/domain/incidents.js'
import { observeRun } from '../../src/domain/run-observation.js'
import type { CycleResult } from '../../src/domain/result.js'
import { renderIncidents } from '../../src/report/incidents.js'
import { renderSummary } from '../../src/report/summary.js'
import { result, row } from '../fixtures/result.js'

const api = { kind: 'ReplicaSet', name: 'api-5c6b7d8f9', uid: 'rs-api' }
const web = { kind: 'ReplicaSet', name: 'web-7d9f8b6c4d', uid: 'rs-web' }
const report = row({ pod: 'api-1', owner: api, decision: 'report', cause: 'missing Secret db' })

function remembered(r: CycleResult, previous = {}) {
  const out = incidentChanges(previous, observeRun(r), new Date(r.startedAt), {
    realertIntervalSeconds: 4 * 3600
  })
  r.incidents = { remembered: true, changes: out.changes, open: openIncidents(out.incidents) }
  return out.incidents
}

describe('renderIncidents', () => {
  it('without a state file: says every run alerts anew', () => {
    expect(renderSummary(result([]))).toContain('> no state-file: every run alerts anew.')
  })

  it('nothing open, nothing changed: nothing', () => {
    const r = result([])
    remembered(r)
    expect(renderIncidents(r)).toEqual([])
  })

  it('the changes of the run, then what stays open with its age', () => {
    const first = result([report], { startedAt: '2026-11-28T10:00:00.000Z' })
    const before = remembered(first)
    const second = result([report, row({ owner: web, cause: 'exits 1' })], {
      startedAt: '2026-11-28T12:30:00.000Z'
    })
    remembered(second, before)
    const text = renderSummary(second)
    expect(text).toContain('**Incidents:** 1 opened · 0 changed · 0 reminded · 0 resolved · 2 open')
    expect(text).toContain(
      '| opened | Deployment shop/web | crash-loop | warning | 0 s | 1 | exits 1 |'
    )
    expect(text).toContain(
      '| Deployment shop/api | unfixable | warning | 2 h 30 m | 0 | missing Secret db |'
    )
  })
})
