// Incidents: one problem of one workload across runs, under a stable fingerprint, so people hear
// about changes, not runs (Alertmanager's model): opened, worsened or new cause, each cleanup, a
// reminder per realert-interval while open, one quiet "resolved". Pure: cycle/remember.ts folds
// every run in (run-observation.ts), notify/ words the changes, the state file keeps them.

import * as z from 'zod/mini'
import type { PodRow } from './result.js'

/**
 * crash-loop: broken pods the cleaner deletes (or would, or may not right now);
 * unfixable: a failure a delete cannot fix (missing image, Secret …), reported only;
 * circuit-breaker: too many pods broken at once, nothing deleted; run-error: the run failed.
 */
export const INCIDENT_KINDS = ['crash-loop', 'unfixable', 'circuit-breaker', 'run-error'] as const
export type IncidentKind = (typeof INCIDENT_KINDS)[number]

/** How far a crash loop got; a rise is worth a notification. The other kinds stay 'open'. */
export const INCIDENT_STAGES = ['open', 'not-recovered', 'given-up'] as const
export type IncidentStage = (typeof INCIDENT_STAGES)[number]

export type IncidentSeverity = 'warning' | 'critical'

const workloadSchema = z.object({ kind: z.string(), name: z.string() })
export type WorkloadRef = z.output<typeof workloadSchema>

export const incidentSchema = z.object({
  fingerprint: z.string(),
  kind: z.enum(INCIDENT_KINDS),
  /** The cluster's context name. */
  cluster: z.string(),
  /** Absent for cluster-wide incidents (circuit breaker, run error). */
  namespace: z.optional(z.string()),
  /** The workload: Deployment/web, StatefulSet/db, CronJob/report, Pod/debug (bare pod) … */
  workload: z.optional(workloadSchema),
  /** The latest cause in words ("image not found: …", "missing Secret db-creds"). */
  cause: z.optional(z.string()),
  /** The highest severity and stage since it opened: a rise notifies, a fall does not. */
  severity: z.enum(['warning', 'critical']),
  stage: z.enum(INCIDENT_STAGES),
  status: z.enum(['open', 'resolved']),
  /** ISO times. Nothing here changes on a run that changes nothing (the file's hash says so). */
  openedAt: z.string(),
  lastNotifiedAt: z.string(),
  resolvedAt: z.optional(z.string()),
  reminders: z.number(),
  /** Pods deleted or evicted since it opened. */
  cleanups: z.number(),
  /** When the cleanups of the last 24 h happened, kept across a reopen ("3rd cleanup in 2 h"). */
  recentCleanups: z.array(z.string())
})
export type Incident = z.output<typeof incidentSchema>

/** What changed about one incident in one run (at most one change per incident per run). */
export type ChangeKind = 'opened' | 'escalated' | 'changed' | 'cleanup' | 'reminder' | 'resolved'

export interface IncidentChange {
  kind: ChangeKind
  /** The incident as this run left it. */
  incident: Incident
  /** opened: it had resolved within the last 24 h and is back. */
  reopened?: boolean
  /** changed: the cause before this run. escalated: the stage and severity before. */
  previousCause?: string
  previousStage?: IncidentStage
  previousSeverity?: IncidentSeverity
  /** Pods deleted or evicted this run. */
  cleanups: number
}

/** One incident's problem as one run saw it. */
export interface Sighting {
  fingerprint: string
  kind: IncidentKind
  namespace?: string
  workload?: WorkloadRef
  cause?: string
  severity: IncidentSeverity
  stage: IncidentStage
  /** Pods deleted or evicted this run (dry runs delete nothing). */
  cleanups: number
  /** Worth opening an incident; otherwise it only keeps an open one open (e.g. skipped pods). */
  notable: boolean
}

export interface RunObservation {
  cluster: string
  sightings: Sighting[]
  /** Namespaces the run looked at ('*' = all): incidents elsewhere cannot resolve. */
  scanned: '*' | ReadonlySet<string>
  /** The run finished its scan without errors: only then can anything resolve. */
  complete: boolean
}

export interface IncidentSettings {
  /** An open incident is reminded of at most this often (0 = every run). */
  realertIntervalSeconds: number
}

/** Said once per run without a state file (log and summary). */
export const NO_STATE_NOTICE = 'no state-file: every run alerts anew'

/** Resolved incidents are kept this long: a relapse reopens them with their cleanup history. */
export const RESOLVED_KEPT_MS = 24 * 3600_000
/** Cleanup times kept per incident (the window and the count of "3rd cleanup in 2 h"). */
export const RECENT_CLEANUPS_MAX = 50

const STAGE_RANK: Record<IncidentStage, number> = { open: 0, 'not-recovered': 1, 'given-up': 2 }
const SEVERITY_RANK: Record<IncidentSeverity, number> = { warning: 0, critical: 1 }

/** A Deployment's ReplicaSet is named <deployment>-<pod-template-hash> (vowel-free hash). */
const REPLICASET_HASH = /^(.+)-[bcdfghjklmnpqrstvwxz2456789]{6,10}$/
/** A CronJob's Job is named <cronjob>-<scheduled time in minutes>. */
const CRONJOB_SUFFIX = /^(.+)-\d{8,}$/

/**
 * The workload a pod belongs to, as a person names it: the Deployment of a ReplicaSet and the
 * CronJob of a Job (so a new rollout or schedule is the same workload), else the owner, else the
 * bare pod itself.
 */
export function workloadOf(row: Pick<PodRow, 'pod' | 'owner'>): WorkloadRef {
  return row.owner ? workloadOfOwner(row.owner) : { kind: 'Pod', name: row.pod }
}

export function workloadOfOwner(owner: { kind: string; name: string }): WorkloadRef {
  const deployment = owner.kind === 'ReplicaSet' ? REPLICASET_HASH.exec(owner.name) : null
  if (deployment) return { kind: 'Deployment', name: deployment[1] as string }
  const cronJob = owner.kind === 'Job' ? CRONJOB_SUFFIX.exec(owner.name) : null
  if (cronJob) return { kind: 'CronJob', name: cronJob[1] as string }
  return { kind: owner.kind, name: owner.name }
}

/** Stable across runs: kind, cluster, namespace, workload — each part URI-encoded, '/'-joined. */
export function fingerprintOf(
  kind: IncidentKind,
  cluster: string,
  namespace?: string,
  workload?: WorkloadRef
): string {
  const parts = [kind, cluster, ...(namespace !== undefined ? [namespace] : [])]
  if (workload) parts.push(workload.kind, workload.name)
  return parts.map(encodeURIComponent).join('/')
}

/** "Deployment shop/web", "circuit breaker", "run errors". */
export function incidentSubject(incident: Pick<Incident, 'kind' | 'namespace' | 'workload'>) {
  if (incident.workload)
    return `${incident.workload.kind} ${incident.namespace ?? ''}/${incident.workload.name}`
  return incident.kind === 'circuit-breaker' ? 'circuit breaker' : 'run errors'
}

export const severityOfStage = (stage: IncidentStage): IncidentSeverity =>
  stage === 'open' ? 'warning' : 'critical'

export const higherStage = (a: IncidentStage, b: IncidentStage): IncidentStage =>
  STAGE_RANK[b] > STAGE_RANK[a] ? b : a

/** Only an unfixable failure's cause is stable enough to compare ("exits 1 after 3 s" is not). */
const causeChanged = (incident: Incident, sighting: Sighting): boolean =>
  incident.kind === 'unfixable' &&
  sighting.cause !== undefined &&
  incident.cause !== undefined &&
  sighting.cause !== incident.cause

function recentCleanups(times: readonly string[], now: Date, added: number): string[] {
  const since = now.getTime() - RESOLVED_KEPT_MS
  const kept = times.filter(t => Date.parse(t) > since)
  for (let i = 0; i < added; i++) kept.push(now.toISOString())
  return kept.slice(-RECENT_CLEANUPS_MAX)
}

function opened(s: Sighting, cluster: string, now: Date, before?: Incident): Incident {
  const at = now.toISOString()
  return {
    fingerprint: s.fingerprint,
    kind: s.kind,
    cluster,
    ...(s.namespace !== undefined && { namespace: s.namespace }),
    ...(s.workload && { workload: s.workload }),
    ...(s.cause !== undefined && { cause: s.cause }),
    severity: s.severity,
    stage: s.stage,
    status: 'open',
    openedAt: at,
    lastNotifiedAt: at,
    reminders: 0,
    cleanups: s.cleanups,
    recentCleanups: recentCleanups(before?.recentCleanups ?? [], now, s.cleanups)
  }
}

/** An open incident seen again: what changed, most important first, or a reminder when due. */
function continued(
  previous: Incident,
  s: Sighting,
  now: Date,
  settings: IncidentSettings
): { incident: Incident; change?: IncidentChange } {
  const at = now.toISOString()
  const incident: Incident = {
    ...previous,
    stage: higherStage(previous.stage, s.stage),
    severity:
      SEVERITY_RANK[s.severity] > SEVERITY_RANK[previous.severity] ? s.severity : previous.severity,
    cleanups: previous.cleanups + s.cleanups,
    recentCleanups: recentCleanups(previous.recentCleanups, now, s.cleanups),
    // A cause is kept from its opening, a cleanup, or (unfixable) a change: a crash loop's words
    // vary run to run ("exits 1 after 3 s"), and a quiet run must not change the state file.
    ...(s.cause !== undefined &&
      (previous.kind === 'unfixable' || s.cleanups > 0) && { cause: s.cause })
  }
  const change = (kind: ChangeKind, extra: Partial<IncidentChange> = {}): IncidentChange => ({
    kind,
    incident,
    cleanups: s.cleanups,
    ...extra
  })
  let found: IncidentChange | undefined
  if (
    STAGE_RANK[incident.stage] > STAGE_RANK[previous.stage] ||
    SEVERITY_RANK[incident.severity] > SEVERITY_RANK[previous.severity]
  )
    found = change('escalated', {
      previousStage: previous.stage,
      previousSeverity: previous.severity
    })
  else if (causeChanged(previous, s)) found = change('changed', { previousCause: previous.cause })
  else if (s.cleanups > 0) found = change('cleanup')
  else if (
    now.getTime() - Date.parse(previous.lastNotifiedAt) >=
    settings.realertIntervalSeconds * 1000
  )
    found = change('reminder')
  if (found) {
    incident.lastNotifiedAt = at
    if (found.kind === 'reminder') incident.reminders++
  }
  return { incident, change: found }
}

const inScope = (incident: Incident, run: RunObservation): boolean =>
  incident.namespace === undefined || run.scanned === '*' || run.scanned.has(incident.namespace)

/**
 * Folds one run into the incidents: opens what is new (or back), notes what rose, changed cause or
 * was cleaned up, reminds of what stays open past realert-interval, resolves what was not seen in
 * a complete run that looked at its namespace. Returns the new incidents and the changes, in the
 * order of the run's sightings, then the resolutions.
 */
export function incidentChanges(
  previous: Readonly<Record<string, Incident>>,
  run: RunObservation,
  now: Date,
  settings: IncidentSettings
): { incidents: Record<string, Incident>; changes: IncidentChange[] } {
  const incidents: Record<string, Incident> = {}
  const changes: IncidentChange[] = []
  const seen = new Set<string>()
  for (const s of run.sightings) {
    seen.add(s.fingerprint)
    const before = previous[s.fingerprint]
    if (before?.status === 'open') {
      const { incident, change } = continued(before, s, now, settings)
      incidents[s.fingerprint] = incident
      if (change) changes.push(change)
    } else if (s.notable) {
      const incident = opened(s, run.cluster, now, before)
      incidents[s.fingerprint] = incident
      changes.push({ kind: 'opened', incident, cleanups: s.cleanups, reopened: Boolean(before) })
    } else if (before) {
      incidents[s.fingerprint] = before
    }
  }
  for (const [fingerprint, before] of Object.entries(previous)) {
    if (seen.has(fingerprint)) continue
    if (before.status === 'open') {
      if (!run.complete || !inScope(before, run)) {
        incidents[fingerprint] = before
        continue
      }
      const incident: Incident = { ...before, status: 'resolved', resolvedAt: now.toISOString() }
      incidents[fingerprint] = incident
      changes.push({ kind: 'resolved', incident, cleanups: 0 })
    } else if (
      now.getTime() - Date.parse(before.resolvedAt ?? before.lastNotifiedAt) <
      RESOLVED_KEPT_MS
    ) {
      incidents[fingerprint] = before
    }
  }
  return { incidents, changes }
}

/** Open incidents, oldest first. */
export const openIncidents = (incidents: Readonly<Record<string, Incident>>): Incident[] =>
  Object.values(incidents)
    .filter(i => i.status === 'open')
    .sort(
      (a, b) => a.openedAt.localeCompare(b.openedAt) || a.fingerprint.localeCompare(b.fingerprint)
    )
