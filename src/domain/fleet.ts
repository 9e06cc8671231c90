// A fleet: many clusters, one run each (a matrix job per cluster), brought together afterwards.
// Pure: the list of expected clusters, each cluster's result or why it has none, the fleet's
// totals and the per-cluster rows of the fleet outputs. A cluster without a result is a row of
// its own, never a silent gap.

import { DECISIONS } from './decisions.js'
import { rowFingerprint } from './run-observation.js'
import type { CycleResult, PodRow } from './result.js'

/** GitHub runs at most 256 jobs per matrix. */
export const FLEET_MAX_CLUSTERS = 256

/** A cluster name is a file name, a cache key and an artifact name: no spaces, slashes or quotes. */
export const CLUSTER_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/

/**
 * One expected cluster: its result, or why there is none. A large result keeps only its most
 * important findings (`omitted` says how many were dropped; its counts stay whole).
 */
export type ClusterReport =
  | { name: string; result: CycleResult; missing?: undefined; omitted?: number }
  | { name: string; result?: undefined; missing: string; omitted?: undefined }

/** Findings kept per cluster: the summary shows at most 10, a notification a few lines. */
export const KEPT_FINDINGS = 100

/** Lower first: what needs a person before what the cleaner handled (notify/ orders the same). */
export const findingRank = (row: PodRow): number =>
  row.outcome === 'not-recovered' ? 0 : DECISIONS[row.decision].rank

/**
 * The result with its `max` most important findings (in importance order, stable), and the pods
 * of every incident that changed (its notification names one); 256 clusters of thousands of
 * findings each then fit in memory and in time. Counts are untouched.
 */
export function keepMostImportant(
  result: CycleResult,
  max: number = KEPT_FINDINGS
): { result: CycleResult; omitted: number } {
  if (result.pods.length <= max) return { result, omitted: 0 }
  const changed = new Set(result.incidents.changes.map(c => c.incident.fingerprint))
  const ranked = result.pods
    .map((row, index) => ({ row, index }))
    .sort((a, b) => findingRank(a.row) - findingRank(b.row) || a.index - b.index)
  const kept = ranked.filter(
    ({ row }, i) =>
      i < max || (changed.size > 0 && changed.has(rowFingerprint(result.cluster.context, row)))
  )
  return {
    result: { ...result, pods: kept.map(({ row }) => row) },
    omitted: result.pods.length - kept.length
  }
}

type RunCounts = CycleResult['counts']

/** The fleet's counts: every cluster's result counts summed, and what only a fleet has. */
export interface FleetTotals extends RunCounts {
  clusters: number
  reported: number
  missing: number
  podsScanned: number
  /** Open incidents of the clusters that remember them (a state file); null when none does. */
  openIncidents: number | null
  errors: number
  breakersTripped: number
  /** The longest cluster run (they run side by side). */
  durationMs: number
}

export interface FleetResult {
  /** The fleet's name (the notification group, the summary's title). */
  name: string
  /** In the order the clusters were listed. */
  clusters: ClusterReport[]
  totals: FleetTotals
  /** Results found for clusters that are not in the list. */
  unexpected: string[]
}

/** One cluster as the `clusters` output has it (compact JSON; no pods). */
export interface ClusterRow {
  name: string
  status: 'reported' | 'no-result'
  /** Why there is no result. */
  reason?: string
  context?: string
  dryRun?: boolean
  podsScanned: number | null
  unhealthy: number | null
  deleted: number | null
  unrecovered: number | null
  recovered: number | null
  failed: number | null
  reportOnly: number | null
  skipped: number | null
  openIncidents: number | null
  errors: number | null
  breakerTripped: boolean | null
  durationMs: number | null
}

/** Open incidents of a cluster that remembers them, else null (each run judged alone). */
export function openIncidents(result: CycleResult): number | null {
  return result.incidents.remembered ? result.incidents.open.length : null
}

/**
 * The expected clusters from the fleet's `clusters` input: a JSON list of objects with a `name`
 * (the workflow's form, other keys are per-cluster settings), or of names; or names separated by
 * commas or newlines (the CLI's short form). Every problem is reported.
 */
export function parseClusterList(text: string): { names: string[] } | { problems: string[] } {
  const trimmed = text.trim()
  if (trimmed === '')
    return { problems: ['empty; expected a JSON list like [{"name": "prod"}], or names'] }
  let entries: unknown[]
  if (trimmed.startsWith('[') || trimmed.startsWith('{')) {
    try {
      const parsed: unknown = JSON.parse(trimmed)
      if (!Array.isArray(parsed))
        return { problems: ['not a JSON list; expected [{"name": …}, …]'] }
      entries = parsed
    } catch (error) {
      const why = error instanceof Error ? error.message : String(error)
      return { problems: [`not valid JSON (${why}); expected a JSON list`] }
    }
  } else entries = trimmed.split(/[,\n]/).map(s => s.trim())
  const problems: string[] = []
  const names: string[] = []
  entries.forEach((entry, i) => {
    const name =
      typeof entry === 'string'
        ? entry
        : typeof entry === 'object' && entry !== null && 'name' in entry
          ? entry.name
          : undefined
    if (typeof name !== 'string' || !CLUSTER_NAME.test(name))
      problems.push(
        `entry ${i + 1}: name ${JSON.stringify(name ?? null)} is not valid; expected letters, digits, '.', '_' or '-' (at most 63, starting with a letter or digit)`
      )
    else if (names.includes(name)) problems.push(`entry ${i + 1}: "${name}" is listed twice`)
    else names.push(name)
  })
  if (entries.length === 0) problems.push('lists no cluster; expected at least one')
  if (entries.length > FLEET_MAX_CLUSTERS)
    problems.push(
      `lists ${entries.length} clusters; expected at most ${FLEET_MAX_CLUSTERS} (a matrix's limit)`
    )
  return problems.length > 0 ? { problems } : { names }
}

const sum = (reports: readonly ClusterReport[], value: (r: CycleResult) => number): number =>
  reports.reduce((total, r) => total + (r.result ? value(r.result) : 0), 0)

export function fleetTotals(reports: readonly ClusterReport[]): FleetTotals {
  const remembering = reports.filter(r => r.result && openIncidents(r.result) !== null)
  return {
    clusters: reports.length,
    reported: reports.filter(r => r.result).length,
    missing: reports.filter(r => !r.result).length,
    podsScanned: sum(reports, r => r.podsScanned),
    unhealthy: sum(reports, r => r.counts.unhealthy),
    deleted: sum(reports, r => r.counts.deleted),
    skipped: sum(reports, r => r.counts.skipped),
    failed: sum(reports, r => r.counts.failed),
    reportOnly: sum(reports, r => r.counts.reportOnly),
    recovered: sum(reports, r => r.counts.recovered),
    unrecovered: sum(reports, r => r.counts.unrecovered),
    openIncidents: remembering.length > 0 ? sum(remembering, r => openIncidents(r) ?? 0) : null,
    errors: sum(reports, r => r.errors.length),
    breakersTripped: sum(reports, r => (r.breaker.tripped ? 1 : 0)),
    durationMs: reports.reduce((max, r) => Math.max(max, r.result?.durationMs ?? 0), 0)
  }
}

export function aggregateFleet(
  name: string,
  clusters: ClusterReport[],
  unexpected: string[] = []
): FleetResult {
  return { name, clusters, totals: fleetTotals(clusters), unexpected }
}

export function clusterRow(report: ClusterReport): ClusterRow {
  const r = report.result
  if (!r)
    return {
      name: report.name,
      status: 'no-result',
      reason: report.missing,
      podsScanned: null,
      unhealthy: null,
      deleted: null,
      unrecovered: null,
      recovered: null,
      failed: null,
      reportOnly: null,
      skipped: null,
      openIncidents: null,
      errors: null,
      breakerTripped: null,
      durationMs: null
    }
  return {
    name: report.name,
    status: 'reported',
    context: r.cluster.context,
    dryRun: r.dryRun,
    podsScanned: r.podsScanned,
    unhealthy: r.counts.unhealthy,
    deleted: r.counts.deleted,
    unrecovered: r.counts.unrecovered,
    recovered: r.counts.recovered,
    failed: r.counts.failed,
    reportOnly: r.counts.reportOnly,
    skipped: r.counts.skipped,
    openIncidents: openIncidents(r),
    errors: r.errors.length,
    breakerTripped: r.breaker.tripped,
    durationMs: r.durationMs
  }
}
