// From a CycleResult to the one Notification of a run: its severity, a short title, the cluster as
// subtitle and one line per event, most important first. Pure: channels only format and cut it.

import { decisionText, formatDuration, outcomeText } from '../report/format.js'
import { DECISIONS } from '../domain/decisions.js'
import type { CycleResult, PodRow } from '../domain/result.js'
import type { Notification, RunContext, Severity } from './types.js'

/** critical: a person must look; warning: the cleaner acted or found what it may not fix. */
export function severityOf(result: CycleResult): Severity {
  // Owners given up on earlier are escalated through result.escalations (once per
  // realert-interval), not by every run that skips them.
  const unrecovered = result.pods.some(row => row.outcome === 'not-recovered')
  if (
    unrecovered ||
    result.counts.unrecovered > 0 ||
    result.escalations.length > 0 ||
    result.breaker.tripped ||
    result.errors.length > 0
  ) {
    return 'critical'
  }
  return result.pods.some(row => DECISIONS[row.decision].notable) ? 'warning' : 'info'
}

/** Lower sorts first: what needs a person before what the cleaner handled. */
export function rowRank(row: PodRow): number {
  return row.outcome === 'not-recovered' ? 0 : DECISIONS[row.decision].rank
}

/** "shop/web-1 · CrashLoopBackOff · exit 1 · deleted · not recovered: …" */
export function podLine(row: PodRow): string {
  const parts = [`${row.namespace}/${row.pod}`, row.status]
  if (row.exitCode !== undefined) parts.push(`exit ${row.exitCode}`)
  if (row.cause) parts.push(row.cause)
  parts.push(decisionText(row))
  if (row.outcome) parts.push(outcomeText(row))
  return parts.join(' · ')
}

/** Run-level events (breaker, escalations, errors) first, then the pods, most important first. */
export function notificationLines(result: CycleResult): string[] {
  const lines: string[] = []
  const b = result.breaker
  if (b.tripped) {
    lines.push(
      `Circuit breaker tripped: ${b.unhealthy} of ${b.podsInScope} pods broken (${b.percent}%, limit ${b.limitPercent}%); nothing was deleted`
    )
  }
  for (const e of result.escalations) lines.push(`Given up: ${e.message}`)
  for (const error of result.errors) lines.push(`Error: ${error}`)
  const rows = result.pods
    .map((row, index) => ({ row, index }))
    .sort((a, b) => rowRank(a.row) - rowRank(b.row) || a.index - b.index)
  for (const { row } of rows) lines.push(podLine(row))
  return lines
}

/** "Pod Cleaner: 2 deleted, 1 not recovered — prod" */
export function notificationTitle(result: CycleResult): string {
  const c = result.counts
  const acted = result.dryRun ? 'would delete' : result.mode === 'evict' ? 'evicted' : 'deleted'
  const givenUp = result.pods.filter(row => row.decision === 'given-up').length
  const parts: string[] = []
  if (result.breaker.tripped) parts.push('circuit breaker tripped')
  if (result.errors.length > 0) parts.push(plural(result.errors.length, 'error'))
  if (c.deleted > 0) parts.push(`${c.deleted} ${acted}`)
  if (c.unrecovered > 0) parts.push(`${c.unrecovered} not recovered`)
  if (givenUp > 0) parts.push(`${givenUp} given up`)
  if (c.failed > 0) parts.push(`${c.failed} failed`)
  if (c.reportOnly > 0) parts.push(`${c.reportOnly} need a fix`)
  if (parts.length === 0) {
    parts.push(c.unhealthy > 0 ? `${c.unhealthy} unhealthy, none acted on` : 'all pods healthy')
  }
  return `Pod Cleaner: ${parts.join(', ')} — ${result.cluster.context}`
}

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`

/** The cluster, and whether it was a dry run: the subtitle every channel shows. */
export function notificationSubtitle(result: CycleResult): string {
  const dry = result.dryRun ? ' · dry run' : ''
  return `${result.cluster.context}${dry} · ${result.podsScanned} pods scanned in ${formatDuration(result.durationMs)}`
}

export function buildNotification(result: CycleResult, context: RunContext = {}): Notification {
  return {
    severity: severityOf(result),
    title: notificationTitle(result),
    subtitle: notificationSubtitle(result),
    lines: notificationLines(result),
    runUrl: context.runUrl,
    result
  }
}

/** The run's link, from the variables GitHub sets: the job summary is there. */
export function runContextFromEnv(env: NodeJS.ProcessEnv = process.env): RunContext {
  const server = env.GITHUB_SERVER_URL ?? 'https://github.com'
  const repository = env.GITHUB_REPOSITORY || undefined
  const runId = env.GITHUB_RUN_ID
  return {
    runUrl: repository && runId ? `${server}/${repository}/actions/runs/${runId}` : undefined,
    repository,
    workflow: env.GITHUB_WORKFLOW || undefined,
    apiUrl: env.GITHUB_API_URL || undefined
  }
}

/** Cuts lines to fit `fits(kept, more)`: whole lines, then a "+N more" line for the rest. */
export function truncateLines(
  lines: readonly string[],
  fits: (kept: string[]) => boolean,
  more: (n: number) => string = n => `+${n} more`
): string[] {
  if (fits([...lines])) return [...lines]
  // Grow while the kept lines plus the "+N more" line still fit (N shrinks as we grow).
  let kept: string[] = [more(lines.length)]
  for (let n = 1; n <= lines.length; n++) {
    const candidate = [...lines.slice(0, n), more(lines.length - n)]
    if (!fits(candidate)) break
    kept = candidate
  }
  return kept
}

/** Cuts one line to `max` characters (pod messages can be long). */
export function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text
}
