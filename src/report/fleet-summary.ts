// The fleet's one job summary: a row per cluster (a cluster without a result says why), the
// totals, then each cluster's most important findings — as many per cluster as fit under
// GitHub's 1 MiB step-summary limit — and the fleet outputs (totals and per-cluster JSON).

import { FleetOutputs } from '../config/aggregate.js'
import { clusterRow, findingRank, type ClusterReport, type FleetResult } from '../domain/fleet.js'
import type { CycleResult, PodRow } from '../domain/result.js'
import { decisionText, escapeCell, formatDuration, headline, outcomeText } from './format.js'

/** GitHub refuses a step summary over 1 MiB (1,048,576 bytes); stay well under it. */
export const FLEET_SUMMARY_MAX_BYTES = 900_000
/** Findings shown per cluster, the most first; fewer when the summary would not fit. */
export const TOP_FINDINGS = [10, 5, 3, 1, 0] as const
/** A cell from the cluster (a cause, a message) is cut to this many characters. */
const CELL_MAX_CHARS = 200

const n = (value: number): string => value.toLocaleString('en-US')
const cell = (text: string): string =>
  escapeCell(text.length > CELL_MAX_CHARS ? `${text.slice(0, CELL_MAX_CHARS - 1)}…` : text)

/** The cluster's findings, most important first (stable within a rank). */
export function topFindings(result: CycleResult, count: number): PodRow[] {
  if (count <= 0) return []
  return result.pods
    .map((row, index) => ({ row, index }))
    .sort((a, b) => findingRank(a.row) - findingRank(b.row) || a.index - b.index)
    .slice(0, count)
    .map(({ row }) => row)
}

/** What stands out about a reported cluster: dry run, breaker, errors, given-up owners. */
function notes(result: CycleResult): string {
  const parts: string[] = []
  if (result.dryRun) parts.push('dry run')
  if (result.breaker.tripped) parts.push('circuit breaker tripped')
  if (result.errors.length > 0)
    parts.push(`${result.errors.length} error${result.errors.length === 1 ? '' : 's'}`)
  if (result.escalations.length > 0) parts.push(`${result.escalations.length} given up`)
  return parts.join(', ')
}

/** The fleet's headline: how many clusters reported, then the counts over all of them. */
export function fleetHeadline(fleet: FleetResult): string {
  const t = fleet.totals
  const reported =
    t.missing > 0
      ? `${t.reported} of ${t.clusters} clusters reported · ${t.missing} without a result`
      : `${t.clusters} of ${t.clusters} clusters reported`
  const incidents = t.openIncidents !== null ? ` · ${n(t.openIncidents)} open incidents` : ''
  return `${reported} · ${n(t.unhealthy)} unhealthy · ${n(t.deleted)} deleted · ${n(t.unrecovered)} not recovered · ${n(t.reportOnly)} report only · ${n(t.skipped)} skipped · ${n(t.failed)} failed${incidents}`
}

/** One row per cluster in the given order, then the totals. */
function clusterTable(fleet: FleetResult): string[] {
  const withIncidents = fleet.totals.openIncidents !== null
  const header = [
    'Cluster',
    'Context',
    'Scanned',
    'Broken',
    'Deleted',
    'Not recovered',
    ...(withIncidents ? ['Open incidents'] : []),
    'Duration',
    'Notes'
  ]
  const align = header.map((_, i) => (i >= 2 && i < header.length - 1 ? '--:' : '---'))
  const lines = [`| ${header.join(' | ')} |`, `|${align.join('|')}|`]
  for (const report of fleet.clusters) {
    const r = report.result
    const row = clusterRow(report)
    const cells = r
      ? [
          cell(report.name),
          cell(r.cluster.context),
          n(r.podsScanned),
          n(r.counts.unhealthy),
          n(r.counts.deleted),
          n(r.counts.unrecovered),
          ...(withIncidents ? [row.openIncidents === null ? '—' : n(row.openIncidents)] : []),
          formatDuration(r.durationMs),
          cell(notes(r))
        ]
      : [
          `**${cell(report.name)}**`,
          '—',
          '—',
          '—',
          '—',
          '—',
          ...(withIncidents ? ['—'] : []),
          '—',
          `**${cell(report.missing)}**`
        ]
    lines.push(`| ${cells.join(' | ')} |`)
  }
  const t = fleet.totals
  lines.push(
    `| **Total** | ${t.reported} of ${t.clusters} | ${n(t.podsScanned)} | ${n(t.unhealthy)} | ${n(t.deleted)} | ${n(t.unrecovered)} | ${withIncidents ? `${n(t.openIncidents ?? 0)} | ` : ''}${formatDuration(t.durationMs)} (longest) | |`
  )
  return lines
}

/** Clusters without a result and run-level events first: a person must look at these. */
function callouts(fleet: FleetResult): string[] {
  const lines: string[] = []
  for (const report of fleet.clusters)
    if (report.missing !== undefined)
      lines.push('> [!CAUTION]', `> **${cell(report.name)}**: ${cell(report.missing)}`, '')
  if (fleet.unexpected.length > 0)
    lines.push(
      '> [!NOTE]',
      `> Results for clusters that are not in the list were left out: ${fleet.unexpected.map(cell).join(', ')}`,
      ''
    )
  return lines
}

/** One cluster's section: its headline, run-level events and its top findings. */
function clusterSection(report: ClusterReport, count: number): string[] {
  const r = report.result
  if (!r) return []
  const dry = r.dryRun ? ' (dry run)' : ''
  const lines = [`### ${cell(report.name)}${dry} — ${cell(r.cluster.context)}`, '', headline(r), '']
  if (r.breaker.tripped)
    lines.push(
      '> [!CAUTION]',
      `> Circuit breaker tripped: ${r.breaker.unhealthy} of ${r.breaker.podsInScope} pods in scope (${r.breaker.percent}%) are broken, over the ${r.breaker.limitPercent}% limit. Nothing was deleted.`,
      ''
    )
  for (const e of r.escalations) lines.push('> [!CAUTION]', `> ${cell(e.message)}`, '')
  for (const error of r.errors) lines.push('> [!WARNING]', `> ${cell(error)}`, '')
  if (r.pods.length === 0) {
    lines.push(
      r.errors.length === 0 ? 'All pods in scope are healthy.' : 'No pods were judged.',
      ''
    )
    return lines
  }
  const top = topFindings(r, count)
  if (top.length > 0) {
    lines.push(
      '| Namespace | Pod | Owner | Reason | Cause | Decision | Recovery |',
      '|---|---|---|---|---|---|---|'
    )
    for (const row of top) {
      const owner = row.owner ? `${row.owner.kind}/${row.owner.name}` : '—'
      const cells = [
        row.namespace,
        row.pod,
        owner,
        row.status,
        row.cause ?? '—',
        decisionText(row),
        outcomeText(row)
      ]
      lines.push(`| ${cells.map(cell).join(' | ')} |`)
    }
  }
  const more = r.pods.length + (report.omitted ?? 0) - top.length
  if (more > 0)
    lines.push(
      '',
      `${top.length > 0 ? '+' : ''}${n(more)} ${top.length > 0 ? 'more ' : ''}finding${more === 1 ? '' : 's'}: see the cluster's result artifact or its job summary.`
    )
  lines.push('')
  return lines
}

const bytes = (text: string): number => Buffer.byteLength(text, 'utf8')

/** The fleet's job summary (Markdown), at most `maxBytes` long. */
export function renderFleetSummary(
  fleet: FleetResult,
  maxBytes: number = FLEET_SUMMARY_MAX_BYTES
): string {
  const head = [
    `## Pod Cleaner fleet — ${cell(fleet.name)}: ${fleet.totals.clusters} cluster${fleet.totals.clusters === 1 ? '' : 's'}`,
    '',
    `**${fleetHeadline(fleet)}**`,
    '',
    ...callouts(fleet),
    ...clusterTable(fleet),
    ''
  ].join('\n')
  // As many findings per cluster as fit: 10, else 5, 3, 1, none.
  for (const count of TOP_FINDINGS) {
    const sections = fleet.clusters.flatMap(report => clusterSection(report, count)).join('\n')
    const text = `${head}\n${sections}`.replace(/\n+$/, '\n')
    if (bytes(text) <= maxBytes) return text
  }
  // Even the headlines do not fit (thousands of errors): the table alone, then what fits.
  const cut = '\n_The rest was cut to stay under GitHub’s 1 MiB step-summary limit._\n'
  if (bytes(head) + bytes(cut) > maxBytes) {
    const room = maxBytes - bytes(cut)
    return `${Buffer.from(head)
      .subarray(0, room)
      .toString('utf8')
      .replace(/[^\n]*$/, '')}${cut}`
  }
  return `${head}${cut}`
}

/** The fleet outputs: the totals as counts, and every cluster's row as compact JSON. */
export function fleetOutputs(fleet: FleetResult): Record<string, string> {
  const t = fleet.totals
  return {
    [FleetOutputs.Clusters]: JSON.stringify(fleet.clusters.map(clusterRow)),
    [FleetOutputs.ClusterCount]: String(t.clusters),
    [FleetOutputs.ReportedCount]: String(t.reported),
    [FleetOutputs.MissingCount]: String(t.missing),
    [FleetOutputs.MissingClusters]: fleet.clusters
      .filter(c => !c.result)
      .map(c => c.name)
      .join(','),
    [FleetOutputs.PodsScanned]: String(t.podsScanned),
    [FleetOutputs.UnhealthyCount]: String(t.unhealthy),
    [FleetOutputs.DeletedCount]: String(t.deleted),
    [FleetOutputs.SkippedCount]: String(t.skipped),
    [FleetOutputs.FailedCount]: String(t.failed),
    [FleetOutputs.ReportOnlyCount]: String(t.reportOnly),
    [FleetOutputs.RecoveredCount]: String(t.recovered),
    [FleetOutputs.UnrecoveredCount]: String(t.unrecovered)
  }
}
