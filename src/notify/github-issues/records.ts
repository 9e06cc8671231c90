// GitHub issues as incident records, the rules and the words (pure): which incident gets an
// issue, what each change does to it, and the hidden marker that finds it again — the incident
// itself, base64url-encoded, after its fingerprint — so the open issues are a second memory.
//
// The rule: an issue opens for an incident a person must act on — a critical crash loop (not
// recovered after a cleanup, or given up) and a tripped circuit breaker at once; a failure a delete
// cannot fix, and run errors, when still open at their first reminder. A blip that one cleanup
// heals never opens one. On an incident with an issue every later change is a comment, and its
// resolution closes the issue with a comment.

import {
  incidentSchema,
  incidentSubject,
  type Incident,
  type IncidentChange
} from '../../domain/incidents.js'
import type { CycleResult } from '../../domain/result.js'
import { renderDiagnostics } from '../../report/diagnostics.js'
import { escapeCell, spanText } from '../../report/format.js'
import { changeLine, incidentRows } from '../digest.js'
import { podLine } from '../message.js'

const MARKER = /<!-- pod-cleaner-incident (\S+) (\S+) -->/
/** GitHub refuses bodies over 65,536 characters. */
export const ISSUE_BODY_MAX = 60_000

/** The hidden first line of an issue: fingerprint (readable) and the incident (base64url JSON). */
export function marker(incident: Incident): string {
  const data = Buffer.from(JSON.stringify(incident)).toString('base64url')
  return `<!-- pod-cleaner-incident ${incident.fingerprint} ${data} -->`
}

/** The incident an issue records, or undefined when its body has no (valid) marker. */
export function incidentOfIssue(body: string | null | undefined): Incident | undefined {
  const m = MARKER.exec(body ?? '')
  if (!m) return undefined
  try {
    const parsed = incidentSchema.safeParse(
      JSON.parse(Buffer.from(m[2] as string, 'base64url').toString('utf8'))
    )
    return parsed.success && parsed.data.fingerprint === m[1] ? parsed.data : undefined
  } catch {
    return undefined
  }
}

/** Does this change call for an issue when the incident has none yet? */
export function wantsIssue(change: IncidentChange): boolean {
  const i = change.incident
  if (change.kind === 'resolved') return false
  if (i.kind === 'crash-loop' || i.kind === 'circuit-breaker') return i.severity === 'critical'
  return change.kind === 'reminder'
}

export type IssueAction =
  | { action: 'create' }
  | { action: 'comment'; issue: number; updateBody: boolean }
  | { action: 'close'; issue: number }
  | { action: 'none' }

/** What one change does to the incident's issue (`issue`: its number when one is open). */
export function issueAction(change: IncidentChange, issue?: number): IssueAction {
  if (issue === undefined) return wantsIssue(change) ? { action: 'create' } : { action: 'none' }
  if (change.kind === 'resolved') return { action: 'close', issue }
  // Announced as new while its issue is open: the state file was lost; the issue says it all.
  if (change.kind === 'opened' && !change.reopened) return { action: 'none' }
  // A rise or a new cause rewrites the body, so its marker stays the incident's latest record.
  const updateBody = change.kind === 'escalated' || change.kind === 'changed'
  return { action: 'comment', issue, updateBody }
}

/** May the change touch an issue at all (is listing the open issues worth it)? */
export const mayTouchIssue = (change: IncidentChange): boolean =>
  wantsIssue(change) || !(change.kind === 'opened' && !change.reopened)

const KIND_TEXT: Record<Incident['kind'], string> = {
  'crash-loop': 'crash loop',
  unfixable: 'a failure a delete cannot fix',
  'circuit-breaker': 'circuit breaker tripped',
  'run-error': 'the cleaner’s runs fail'
}

export function issueTitle(incident: Incident): string {
  return `Pod Cleaner: ${incidentSubject(incident)} — ${KIND_TEXT[incident.kind]} (${incident.cluster})`
}

const cell = (text: string) => escapeCell(text)

/** What a person needs: workload, cause, what the cleaner did, last log lines, events, run. */
export function issueBody(result: CycleResult, change: IncidentChange, runUrl?: string): string {
  const i = change.incident
  const rows = incidentRows(result, change)
  const now = Date.parse(result.startedAt)
  const stage = i.stage === 'open' ? '' : ` (${i.stage})`
  const lines = [
    marker(i),
    `### ${cell(incidentSubject(i))}: ${KIND_TEXT[i.kind]}`,
    '',
    '| | |',
    '|---|---|',
    `| Cluster | ${cell(i.cluster)} |`,
    ...(i.workload
      ? [`| Workload | ${cell(`${i.workload.kind} ${i.namespace}/${i.workload.name}`)} |`]
      : []),
    `| Severity | ${i.severity}${stage} |`,
    `| Cause | ${cell(i.cause ?? '—')} |`,
    `| Open since | ${i.openedAt} (${spanText(now - Date.parse(i.openedAt))}) |`,
    `| Cleanups | ${i.cleanups} |`,
    ...(runUrl ? [`| Run | ${runUrl} |`] : []),
    '',
    `**What the cleaner saw and did (run of ${result.startedAt}):**`,
    '',
    `- ${cell(changeLine(result, change))}`,
    ...rows.slice(0, 20).map(row => `- ${cell(podLine(row))}`),
    ''
  ]
  const details = renderDiagnostics(rows.slice(0, 3))
  if (details) lines.push('**Last log lines and Warning events:**', '', details, '')
  lines.push(
    '_Opened by Pod Cleaner. It comments on changes and closes this issue when the workload is healthy again; the hidden marker above is how it finds this issue — keep it._'
  )
  const body = lines.join('\n')
  return body.length > ISSUE_BODY_MAX ? `${body.slice(0, ISSUE_BODY_MAX)}\n\n_(cut)_` : body
}

/** A comment: the change in words, the run's link. */
export function commentBody(result: CycleResult, change: IncidentChange, runUrl?: string): string {
  const link = runUrl ? `\n\n[Run of ${result.startedAt}](${runUrl})` : ''
  const text =
    change.kind === 'resolved' ? 'Resolved' : change.kind === 'reminder' ? 'Still open' : 'Update'
  return `**${text}:** ${cell(changeLine(result, change))}${link}`
}
