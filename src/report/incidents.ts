// The job summary's incidents: what changed this run (opened, worse, cleaned up again, reminded,
// resolved) and what is still open, with its age. Without a state file it says so: every run is
// judged alone then.

import {
  incidentSubject,
  NO_STATE_NOTICE,
  type Incident,
  type IncidentChange
} from '../domain/incidents.js'
import type { CycleResult } from '../domain/result.js'
import { escapeCell, spanText } from './format.js'

const CHANGE_TEXT: Record<IncidentChange['kind'], string> = {
  opened: 'opened',
  escalated: 'worse',
  changed: 'cause changed',
  cleanup: 'cleaned up again',
  reminder: 'reminded',
  resolved: 'resolved'
}

const count = (changes: readonly IncidentChange[], ...kinds: IncidentChange['kind'][]) =>
  changes.filter(c => kinds.includes(c.kind)).length

function incidentCells(incident: Incident, now: number): string[] {
  const end = incident.resolvedAt ? Date.parse(incident.resolvedAt) : now
  return [
    incidentSubject(incident),
    incident.kind,
    incident.stage === 'open' ? incident.severity : `${incident.severity} (${incident.stage})`,
    spanText(end - Date.parse(incident.openedAt)),
    String(incident.cleanups),
    incident.cause ?? '—'
  ]
}

const row = (cells: string[]) => `| ${cells.map(escapeCell).join(' | ')} |`

/** The incidents section, or nothing when there is nothing to say. */
export function renderIncidents(result: CycleResult): string[] {
  const { remembered, changes, open } = result.incidents
  if (!remembered) return [`> [!NOTE]`, `> ${NO_STATE_NOTICE}.`, '']
  if (changes.length === 0 && open.length === 0) return []
  const now = Date.parse(result.startedAt)
  const lines = [
    `**Incidents:** ${count(changes, 'opened')} opened · ${count(changes, 'escalated', 'changed', 'cleanup')} changed · ${count(changes, 'reminder')} reminded · ${count(changes, 'resolved')} resolved · ${open.length} open`,
    ''
  ]
  if (changes.length > 0) {
    lines.push(
      '| Change | Incident | Kind | Severity | Open for | Cleanups | Cause |',
      '|---|---|---|---|---|---|---|',
      ...changes.map(c => row([CHANGE_TEXT[c.kind], ...incidentCells(c.incident, now)])),
      ''
    )
  }
  const quiet = open.filter(i => !changes.some(c => c.incident.fingerprint === i.fingerprint))
  if (quiet.length > 0) {
    lines.push(
      `Still open, nothing new (reminded every realert-interval):`,
      '',
      '| Incident | Kind | Severity | Open for | Cleanups | Cause |',
      '|---|---|---|---|---|---|',
      ...quiet.map(i => row(incidentCells(i, now))),
      ''
    )
  }
  return lines
}
