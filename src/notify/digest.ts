// The run's digest: one line per incident change (result.incidents.changes), most important first,
// and per channel the Notification of the changes its minimum severity lets through. A change is
// routed by its incident's severity, so a resolved critical incident reaches the channels its
// opening did; a digest of resolutions alone is quiet (severity info: Bark level passive).

import { incidentSubject, type ChangeKind, type IncidentChange } from '../domain/incidents.js'
import { rowFingerprint } from '../domain/run-observation.js'
import type { CycleResult, PodRow } from '../domain/result.js'
import { ordinal, spanText } from '../report/format.js'
import { notificationSubtitle, podLine, rowRank } from './message.js'
import { SEVERITY_RANK, type Notification, type RunContext, type Severity } from './types.js'

export interface DigestItem {
  change: IncidentChange
  /** The incident's severity: what a channel's minimum is compared with. */
  severity: Severity
  line: string
}

/** What a channel takes: changes (the default), every run (metrics), or every change (records). */
export type Receives = 'changes' | 'every-run' | 'records'

/** Lower sorts first. */
const KIND_RANK: Record<ChangeKind, number> = {
  opened: 0,
  escalated: 0,
  changed: 1,
  cleanup: 2,
  reminder: 3,
  resolved: 4
}

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`

/** "3rd cleanup in 2 h" (cleanups of the last 24 h), or "1st cleanup". */
export function cleanupCount(change: IncidentChange, now: number): string {
  const times = change.incident.recentCleanups
  const first = times[0]
  if (times.length <= 1 || first === undefined)
    return `${ordinal(Math.max(1, times.length))} cleanup`
  return `${ordinal(times.length)} cleanup in ${spanText(now - Date.parse(first))}`
}

/** The pods of the change's incident this run, the one the cleaner dealt with first. */
export function incidentRows(result: CycleResult, change: IncidentChange): PodRow[] {
  const fp = change.incident.fingerprint
  return result.pods
    .filter(row => row.namespace === change.incident.namespace)
    .filter(row => rowFingerprint(result.cluster.context, row) === fp)
    .sort((a, b) => rowRank(a) - rowRank(b))
}

/** "Deployment shop/web: web-7d9f8-x · CrashLoopBackOff · exit 1 · deleted · recovered in 3 s" */
function withPod(subject: string, rows: readonly PodRow[]): string {
  const row = rows[0]
  return row ? `${subject}: ${podLine(row)}` : subject
}

function stateText(change: IncidentChange): string {
  const i = change.incident
  if (i.kind === 'unfixable') return `0 cleanups possible: ${i.cause ?? 'a delete cannot fix it'}`
  if (i.kind !== 'crash-loop') return i.cause ?? ''
  const stage =
    i.stage === 'given-up' ? ', given up' : i.stage === 'not-recovered' ? ', not recovered' : ''
  return `${plural(i.cleanups, 'cleanup')}${stage}${i.cause ? `: ${i.cause}` : ''}`
}

/** One change in words. */
export function changeLine(result: CycleResult, change: IncidentChange): string {
  const now = Date.parse(result.startedAt)
  const i = change.incident
  const subject = incidentSubject(i)
  const rows = incidentRows(result, change)
  const open = spanText(now - Date.parse(i.openedAt))
  const gaveUp = result.escalations.find(
    e => e.namespace === i.namespace && rows.some(r => r.owner?.name === e.owner.name)
  )
  switch (change.kind) {
    case 'opened':
      if (i.kind === 'circuit-breaker')
        return `Circuit breaker tripped: ${i.cause ?? ''}; nothing was deleted`
      if (i.kind === 'run-error') return `Error: ${result.errors.join('; ') || i.cause || ''}`
      if (gaveUp) return `Given up: ${gaveUp.message}`
      if (change.reopened && i.recentCleanups.length > 1)
        return withPod(`Back: ${subject} (${cleanupCount(change, now)})`, rows)
      return withPod(`${change.reopened ? 'Back' : 'New'}: ${subject}`, rows)
    case 'escalated': {
      if (gaveUp) return `Given up: ${gaveUp.message}`
      const what =
        i.stage === 'given-up'
          ? 'given up'
          : i.stage === 'not-recovered'
            ? 'not recovered'
            : i.severity
      return withPod(`Worse (${what}): ${subject}, ${cleanupCount(change, now)}`, rows)
    }
    case 'changed':
      return `Cause changed: ${subject}: ${change.previousCause ?? '?'} → ${i.cause ?? '?'}`
    case 'cleanup':
      return withPod(`Again: ${subject}, ${cleanupCount(change, now)}`, rows)
    case 'reminder':
      return `Still open for ${open}: ${subject}, ${stateText(change)}`
    case 'resolved': {
      const healed =
        i.kind === 'circuit-breaker'
          ? 'back under the limit'
          : i.kind === 'run-error'
            ? 'the run completes again'
            : 'healthy again'
      const cleanups = i.cleanups > 0 ? ` (${plural(i.cleanups, 'cleanup')})` : ''
      return `Resolved: ${subject} ${healed} after ${open}${cleanups}`
    }
  }
}

/** The run's changes as lines, most important first (critical first, then by kind). */
export function digestItems(result: CycleResult): DigestItem[] {
  return result.incidents.changes
    .map((change, index) => ({
      change,
      index,
      severity: change.incident.severity as Severity,
      line: changeLine(result, change)
    }))
    .sort(
      (a, b) =>
        SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] ||
        KIND_RANK[a.change.kind] - KIND_RANK[b.change.kind] ||
        a.index - b.index
    )
    .map(({ change, severity, line }) => ({ change, severity, line }))
}

/** "Pod Cleaner: 1 new, 1 given up, 2 cleanups, 1 still open, 1 resolved — prod" */
export function digestTitle(result: CycleResult, items: readonly DigestItem[]): string {
  const count = (kind: ChangeKind) => items.filter(i => i.change.kind === kind).length
  const parts: string[] = []
  if (items.some(i => i.change.kind === 'opened' && i.change.incident.kind === 'circuit-breaker'))
    parts.push('circuit breaker tripped')
  const add = (n: number, text: string) => n > 0 && parts.push(`${n} ${text}`)
  add(count('opened'), 'new')
  add(count('escalated'), 'worse')
  add(count('changed'), 'changed')
  add(count('cleanup'), count('cleanup') === 1 ? 'cleanup' : 'cleanups')
  add(count('reminder'), 'still open')
  add(count('resolved'), 'resolved')
  return `Pod Cleaner: ${parts.join(', ')} — ${result.cluster.context}`
}

/** The Notification of these items: critical or warning, or info when all are resolutions. */
export function digestNotification(
  result: CycleResult,
  items: readonly DigestItem[],
  context: RunContext = {}
): Notification {
  const loud = items.filter(i => i.change.kind !== 'resolved')
  const severity: Severity = loud.some(i => i.severity === 'critical')
    ? 'critical'
    : loud.length > 0
      ? 'warning'
      : 'info'
  return {
    severity,
    title: digestTitle(result, items),
    subtitle: notificationSubtitle(result),
    lines: items.map(i => i.line),
    runUrl: context.runUrl,
    changes: items.map(i => i.change),
    result
  }
}

export interface DigestOptions {
  /** Send "resolved" changes (notify-resolved). */
  notifyResolved: boolean
}

/**
 * What one channel gets from this run: the changes at or above its minimum severity, or why it
 * gets nothing. A metrics channel gets every run; a records channel (GitHub issues) every change.
 */
export function channelDigest(
  result: CycleResult,
  items: readonly DigestItem[],
  channel: { minSeverity: Severity; receives?: Receives },
  context: RunContext,
  options: DigestOptions
): Notification | string {
  const receives = channel.receives ?? 'changes'
  if (receives !== 'changes') return digestNotification(result, items, context)
  if (items.length === 0) return 'no incident changed'
  const mine = items.filter(
    i =>
      (options.notifyResolved || i.change.kind !== 'resolved') &&
      SEVERITY_RANK[i.severity] >= SEVERITY_RANK[channel.minSeverity]
  )
  if (mine.length > 0) return digestNotification(result, mine, context)
  return `no change at or above its min severity (${channel.minSeverity})${options.notifyResolved ? '' : ' (notify-resolved is off)'}`
}
