// The fleet's one notification: a digest over every cluster, most important first across the
// fleet, each line prefixed with its cluster; its severity is the highest of the clusters'
// (a cluster without a result is critical). Channels cut it to fit (Bark: whole lines in 4 KB).

import type { FleetResult } from '../domain/fleet.js'
import { noIncidents, type CycleResult } from '../domain/result.js'
import { notificationLines, podLine, rowRank, severityOf } from './message.js'
import { SEVERITY_RANK, type Notification, type RunContext, type Severity } from './types.js'

/** One line of the digest and where it sorts. */
export interface FleetItem {
  cluster: string
  line: string
  /** Lower first: -2 a cluster without a result, -1 a run-level event, else the pod's rank. */
  rank: number
}

/**
 * Every cluster's lines, the most important first across the fleet: clusters without a result,
 * run-level events (breaker, given up, errors), then pods by importance (not recovered, given
 * up, failed, report only … deleted); ties in the order the clusters were listed.
 */
export function fleetItems(fleet: FleetResult): FleetItem[] {
  const items: Array<FleetItem & { cluster: string; position: number }> = []
  const add = (cluster: string, rank: number, line: string) =>
    items.push({ cluster, rank, line: `${cluster}: ${line}`, position: items.length })
  for (const report of fleet.clusters) {
    const r = report.result
    if (!r) {
      add(report.name, -2, report.missing)
      continue
    }
    // notificationLines: the run-level events come first, one line each.
    const events = (r.breaker.tripped ? 1 : 0) + r.escalations.length + r.errors.length
    for (const line of notificationLines(r).slice(0, events)) add(report.name, -1, line)
    for (const row of r.pods) add(report.name, rowRank(row), podLine(row))
  }
  return items
    .sort((a, b) => a.rank - b.rank || a.position - b.position)
    .map(({ cluster, line, rank }) => ({ cluster, line, rank }))
}

/** The fleet's severity: the highest of its clusters (critical when one has no result). */
export function fleetSeverity(fleet: FleetResult): Severity {
  let severity: Severity = 'info'
  for (const report of fleet.clusters) {
    const s: Severity = report.result ? severityOf(report.result) : 'critical'
    if (SEVERITY_RANK[s] > SEVERITY_RANK[severity]) severity = s
  }
  return severity
}

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`

/** "Pod Cleaner fleet: 1 without a result, 2 deleted, 1 not recovered — fleet (4 clusters)" */
export function fleetTitle(fleet: FleetResult): string {
  const t = fleet.totals
  const results = fleet.clusters.flatMap(c => (c.result ? [c.result] : []))
  const givenUp = results.reduce(
    (n, r) => n + r.pods.filter(row => row.decision === 'given-up').length,
    0
  )
  const parts: string[] = []
  if (t.missing > 0) parts.push(`${t.missing} without a result`)
  if (t.breakersTripped > 0) parts.push(`${plural(t.breakersTripped, 'circuit breaker')} tripped`)
  if (t.errors > 0) parts.push(plural(t.errors, 'error'))
  if (t.deleted > 0) parts.push(`${t.deleted} deleted`)
  if (t.unrecovered > 0) parts.push(`${t.unrecovered} not recovered`)
  if (givenUp > 0) parts.push(`${givenUp} given up`)
  if (t.failed > 0) parts.push(`${t.failed} failed`)
  if (t.reportOnly > 0) parts.push(`${t.reportOnly} need a fix`)
  if (parts.length === 0)
    parts.push(t.unhealthy > 0 ? `${t.unhealthy} unhealthy, none acted on` : 'all pods healthy')
  return `Pod Cleaner fleet: ${parts.join(', ')} — ${fleet.name} (${plural(t.clusters, 'cluster')})`
}

/** "fleet · 3 of 4 clusters reported · 1,234 pods scanned" */
export function fleetSubtitle(fleet: FleetResult): string {
  const t = fleet.totals
  return `${fleet.name} · ${t.reported} of ${plural(t.clusters, 'cluster')} reported · ${t.podsScanned.toLocaleString('en-US')} pods scanned`
}

/**
 * The fleet as one CycleResult, for the channels that read a result (the webhook posts it, Bark
 * takes its context for the group): the totals, the clusters' run-level events, no pods.
 */
export function fleetAsResult(fleet: FleetResult): CycleResult {
  const results = fleet.clusters.flatMap(c => (c.result ? [{ name: c.name, r: c.result }] : []))
  const t = fleet.totals
  const starts = results.map(({ r }) => r.startedAt).sort()
  const inScope = results.reduce((n, { r }) => n + r.breaker.podsInScope, 0)
  return {
    version: 1,
    startedAt: starts[0] ?? new Date(0).toISOString(),
    durationMs: t.durationMs,
    dryRun: results.length > 0 && results.every(({ r }) => r.dryRun),
    mode: results[0]?.r.mode ?? 'delete',
    cluster: { context: fleet.name, server: '' },
    scope: { namespaces: [], excludeNamespaces: [] },
    podsScanned: t.podsScanned,
    pages: results.reduce((n, { r }) => n + r.pages, 0),
    counts: {
      unhealthy: t.unhealthy,
      deleted: t.deleted,
      skipped: t.skipped,
      failed: t.failed,
      reportOnly: t.reportOnly,
      recovered: t.recovered,
      unrecovered: t.unrecovered
    },
    verification: null,
    escalations: results.flatMap(({ name, r }) =>
      r.escalations.map(e => ({ ...e, message: `${name}: ${e.message}` }))
    ),
    incidents: noIncidents(),
    notifications: [],
    warnings: results.flatMap(({ name, r }) => r.warnings.map(w => `${name}: ${w}`)),
    breaker: {
      tripped: t.breakersTripped > 0,
      unhealthy: t.unhealthy,
      podsInScope: inScope,
      percent: inScope > 0 ? Math.round((t.unhealthy / inScope) * 1000) / 10 : 0,
      limitPercent: Math.max(0, ...results.map(({ r }) => r.breaker.limitPercent))
    },
    pods: [],
    errors: [
      ...fleet.clusters.flatMap(c => (c.missing !== undefined ? [`${c.name}: ${c.missing}`] : [])),
      ...results.flatMap(({ name, r }) => r.errors.map(e => `${name}: ${e}`))
    ],
    timings: {
      listMs: Math.max(0, ...results.map(({ r }) => r.timings.listMs)),
      actMs: Math.max(0, ...results.map(({ r }) => r.timings.actMs))
    },
    apiRequests: results.reduce((n, { r }) => n + r.apiRequests, 0)
  }
}

/** The fleet's one Notification: every channel whose minimum severity it reaches gets it. */
export function buildFleetNotification(fleet: FleetResult, context: RunContext = {}): Notification {
  return {
    severity: fleetSeverity(fleet),
    title: fleetTitle(fleet),
    subtitle: fleetSubtitle(fleet),
    lines: fleetItems(fleet).map(item => item.line),
    runUrl: context.runUrl,
    result: fleetAsResult(fleet)
  }
}
