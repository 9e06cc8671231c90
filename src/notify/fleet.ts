// The fleet's one notification per channel: a digest over every cluster, most important first,
// each line prefixed with its cluster — a cluster without a result (critical), the incident
// changes of clusters that remember runs (as their own digest), the whole run of those that do
// not. Each channel gets the lines at or above its minimum severity; channels cut the message to
// fit (Bark: whole lines within 4 KB).

import { DECISIONS } from '../domain/decisions.js'
import type { ClusterReport, FleetResult } from '../domain/fleet.js'
import { noIncidents, type CycleResult, type PodRow } from '../domain/result.js'
import { digestItems } from './digest.js'
import { notificationLines, podLine, rowRank } from './message.js'
import {
  SEVERITY_RANK,
  type Channel,
  type Notification,
  type RunContext,
  type Severity
} from './types.js'

/** One line of the digest: its cluster, what it is worth, whether it is only good news. */
export interface FleetItem {
  cluster: string
  line: string
  severity: Severity
  /** A resolution: routed by its incident's severity, but alone it makes a quiet message. */
  quiet: boolean
}

/** A whole-run line's worth: not recovered needs a person; acting or report-only is notable. */
const rowSeverity = (row: PodRow): Severity =>
  row.outcome === 'not-recovered'
    ? 'critical'
    : DECISIONS[row.decision].notable
      ? 'warning'
      : 'info'

/** One reported cluster's lines, most important first, each prefixed with the cluster. */
function clusterItems(name: string, r: CycleResult): FleetItem[] {
  const item = (line: string, severity: Severity, quiet = false): FleetItem => ({
    cluster: name,
    line: `${name}: ${line}`,
    severity,
    quiet
  })
  // A cluster that remembers runs tells its incident changes, as its own digest would.
  if (r.incidents.remembered)
    return digestItems(r).map(i => item(i.line, i.severity, i.change.kind === 'resolved'))
  // Else the whole run: run-level events (breaker, given up, errors), then the pods.
  const events = (r.breaker.tripped ? 1 : 0) + r.escalations.length + r.errors.length
  const lines = notificationLines(r)
  return [
    ...lines.slice(0, events).map(line => item(line, 'critical')),
    ...r.pods
      .map((row, index) => ({ row, index }))
      .sort((a, b) => rowRank(a.row) - rowRank(b.row) || a.index - b.index)
      .map(({ row }) => item(podLine(row), rowSeverity(row)))
  ]
}

/** A large cluster's findings that were not kept (domain/fleet.ts): a line that counts them. */
function omittedItem(report: ClusterReport): FleetItem[] {
  const n = report.omitted ?? 0
  if (n === 0 || report.result?.incidents.remembered) return []
  const line = `${report.name}: +${n} more finding${n === 1 ? '' : 's'} (see the fleet summary)`
  return [{ cluster: report.name, line, severity: 'warning', quiet: false }]
}

/**
 * Every cluster's lines, most important first: by severity (a cluster without a result is
 * critical, and comes first), then cluster by cluster in the listed order.
 */
export function fleetItems(fleet: FleetResult): FleetItem[] {
  const items: Array<FleetItem & { missing: boolean; position: number }> = []
  for (const report of fleet.clusters) {
    const found: FleetItem[] = report.result
      ? [...clusterItems(report.name, report.result), ...omittedItem(report)]
      : [
          {
            cluster: report.name,
            line: `${report.name}: ${report.missing}`,
            severity: 'critical',
            quiet: false
          }
        ]
    for (const item of found)
      items.push({ ...item, missing: !report.result, position: items.length })
  }
  return items
    .sort(
      (a, b) =>
        SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] ||
        Number(b.missing) - Number(a.missing) ||
        a.position - b.position
    )
    .map(({ cluster, line, severity, quiet }) => ({ cluster, line, severity, quiet }))
}

/** The severity of a message of these items: the highest, not counting resolutions. */
export function itemsSeverity(items: readonly FleetItem[]): Severity {
  let severity: Severity = 'info'
  for (const item of items)
    if (!item.quiet && SEVERITY_RANK[item.severity] > SEVERITY_RANK[severity])
      severity = item.severity
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

/** The fleet's Notification of these items (all of them, or a channel's share). */
export function fleetNotification(
  fleet: FleetResult,
  items: readonly FleetItem[],
  context: RunContext = {},
  asResult: CycleResult = fleetAsResult(fleet)
): Notification {
  return {
    severity: itemsSeverity(items),
    title: fleetTitle(fleet),
    subtitle: fleetSubtitle(fleet),
    lines: items.map(item => item.line),
    runUrl: context.runUrl,
    result: asResult
  }
}

export interface FleetShareOptions {
  /** Send resolutions (notify-resolved). */
  notifyResolved: boolean
}

/**
 * What one channel gets from the fleet: the lines at or above its minimum severity, or why it
 * gets nothing; a channel that takes every run (metrics) gets everything, a channel of records
 * (GitHub issues) nothing — each cluster's run keeps those.
 */
export function fleetShare(
  fleet: FleetResult,
  context: RunContext = {},
  options: FleetShareOptions = { notifyResolved: true }
): (channel: Pick<Channel, 'minSeverity' | 'receives'>) => Notification | string {
  const items = fleetItems(fleet)
  const asResult = fleetAsResult(fleet)
  const message = (mine: readonly FleetItem[]): Notification =>
    fleetNotification(fleet, mine, context, asResult)
  return channel => {
    // Incident records (GitHub issues) are kept by each cluster's own run, per incident.
    if (channel.receives === 'records') return "incident records are kept by each cluster's run"
    if (channel.receives === 'every-run') return message(items)
    if (items.length === 0) return 'nothing to tell: every cluster is healthy and unchanged'
    const mine = items.filter(
      i =>
        (options.notifyResolved || !i.quiet) &&
        SEVERITY_RANK[i.severity] >= SEVERITY_RANK[channel.minSeverity]
    )
    if (mine.length > 0) return message(mine)
    return `nothing at or above its min severity (${channel.minSeverity})`
  }
}
