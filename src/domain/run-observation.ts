// What one run saw, grouped by incident (domain/incidents.ts): its broken pods by workload and
// kind, a tripped circuit breaker, its errors. Pure.

import { acted, DECISIONS } from './decisions.js'
import {
  fingerprintOf,
  higherStage,
  severityOfStage,
  workloadOf,
  type IncidentKind,
  type IncidentStage,
  type RunObservation,
  type Sighting
} from './incidents.js'
import type { CycleResult, PodRow } from './result.js'

/** The incident kind of a broken pod: report-only rows are unfixable, the rest crash loops. */
export const rowKind = (row: PodRow): IncidentKind =>
  row.decision === 'report' ? 'unfixable' : 'crash-loop'

/** The fingerprint of the incident a pod row belongs to. */
export const rowFingerprint = (cluster: string, row: PodRow): string =>
  fingerprintOf(rowKind(row), cluster, row.namespace, workloadOf(row))

function stageOfRow(row: PodRow, givenUp: boolean): IncidentStage {
  if (givenUp || row.decision === 'given-up') return 'given-up'
  return row.outcome === 'not-recovered' ? 'not-recovered' : 'open'
}

/** One pod row as a sighting of its incident. */
function sightingOf(cluster: string, row: PodRow, givenUp: ReadonlySet<string>): Sighting {
  const kind = rowKind(row)
  const workload = workloadOf(row)
  const escalated =
    row.owner !== undefined && givenUp.has(`${row.namespace}/${row.owner.kind}/${row.owner.name}`)
  const stage = kind === 'crash-loop' ? stageOfRow(row, escalated) : 'open'
  return {
    fingerprint: fingerprintOf(kind, cluster, row.namespace, workload),
    kind,
    namespace: row.namespace,
    workload,
    cause: row.cause ?? (kind === 'unfixable' ? row.reason : undefined),
    stage,
    severity: severityOfStage(stage),
    cleanups: acted(row.decision) ? 1 : 0,
    notable: DECISIONS[row.decision].notable || row.decision === 'given-up'
  }
}

/** Folds another pod of the same incident into its sighting. */
function merge(seen: Sighting, next: Sighting, wasActed: boolean): void {
  seen.stage = higherStage(seen.stage, next.stage)
  seen.severity = severityOfStage(seen.stage)
  seen.cleanups += next.cleanups
  seen.notable ||= next.notable
  // The cause of the pod the cleaner dealt with says the most.
  if (next.cause && (!seen.cause || (next.notable && wasActed))) seen.cause = next.cause
}

/** The run-wide sightings: a tripped breaker and run errors say the most about everything else. */
function runWide(result: CycleResult): Sighting[] {
  const cluster = result.cluster.context
  const sighting = (kind: IncidentKind, cause: string): Sighting => ({
    fingerprint: fingerprintOf(kind, cluster),
    kind,
    cause,
    stage: 'open',
    severity: 'critical',
    cleanups: 0,
    notable: true
  })
  const b = result.breaker
  const all: Sighting[] = []
  if (b.tripped) {
    const cause = `${b.unhealthy} of ${b.podsInScope} pods broken (${b.percent}%, limit ${b.limitPercent}%)`
    all.push(sighting('circuit-breaker', cause))
  }
  if (result.errors.length > 0) all.push(sighting('run-error', result.errors[0] as string))
  return all
}

/** What one run saw, grouped by incident: pods by workload and kind, the breaker, the errors. */
export function observeRun(result: CycleResult): RunObservation {
  const cluster = result.cluster.context
  const givenUp = new Set(
    result.escalations.map(e => `${e.namespace}/${e.owner.kind}/${e.owner.name}`)
  )
  const sightings = new Map<string, Sighting>()
  for (const row of result.pods) {
    const next = sightingOf(cluster, row, givenUp)
    const seen = sightings.get(next.fingerprint)
    if (seen) merge(seen, next, acted(row.decision))
    else sightings.set(next.fingerprint, next)
  }
  return {
    cluster,
    sightings: [...runWide(result), ...sightings.values()],
    scanned: result.scope.namespaces.length > 0 ? new Set(result.scope.namespaces) : '*',
    complete: result.errors.length === 0
  }
}
