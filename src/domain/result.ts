// CycleResult: the single value every reporter reads (summary, outputs, logs, notifications).
// Its JSON form is the `result` output; the schema is documented in the README (version 1).

import { DECISIONS } from './decisions.js'
import type { Incident, IncidentChange } from './incidents.js'
import type { BreakerState } from './policy.js'

export type RowDecision =
  | 'deleted'
  | 'would-delete'
  | 'evicted'
  | 'would-evict'
  | 'report'
  | 'skipped'
  | 'blocked'
  | 'given-up'
  | 'failed'

export interface PodRow {
  namespace: string
  pod: string
  uid: string
  owner?: { kind: string; name: string; uid: string }
  container: string
  init: boolean
  /** The allow-list reason that matched (CrashLoopBackOff, NonZeroExit, ImagePullBackOff …). */
  reason: string
  /** kubectl-style status, e.g. "Init:CrashLoopBackOff" or "OOMKilled". */
  status: string
  exitCode?: number
  restarts: number
  ageSeconds: number
  message?: string
  decision: RowDecision
  /** Why it was skipped, reported only, blocked or failed. */
  detail?: string
  /** The diagnosed cause in words ("OOMKilled (limit 128Mi)", "missing Secret db-creds" …). */
  cause?: string
  /** The evidence a delete destroys: previous log tail and Warning events. */
  diagnosis?: {
    logTail: string[]
    events: Array<{ reason: string; message: string; count: number; lastSeen?: string }>
    notes: string[]
  }
  /** When it was first seen broken (state file), else when its container last failed. */
  brokenSince?: string
  /** Recovery verification, for deleted/evicted pods. */
  outcome?: 'recovered' | 'not-recovered' | 'unknown'
  outcomeDetail?: string
  replacement?: string
  recoveredInMs?: number
}

export interface Escalation {
  namespace: string
  owner: { kind: string; name: string }
  unrecovered: number
  firstSeenBroken: string
  message: string
}

export interface CycleResult {
  version: 1
  startedAt: string
  durationMs: number
  dryRun: boolean
  mode: 'delete' | 'evict'
  cluster: {
    context: string
    server: string
    /**
     * Who the run acted as: the apiserver's answer (SelfSubjectReview), or the kubeconfig's user
     * name with confirmed: false when the cluster would not say.
     */
    identity?: { username: string; groups: string[]; confirmed: boolean }
    /** Where the credential came from, in words, never a value: `exec plugin "aws" from KUBECONFIG (…)`. */
    credentials?: string
  }
  scope: { namespaces: string[]; excludeNamespaces: string[]; labelSelector?: string }
  podsScanned: number
  pages: number
  counts: {
    unhealthy: number
    deleted: number
    skipped: number
    failed: number
    reportOnly: number
    recovered: number
    unrecovered: number
  }
  verification: { budgetSeconds: number; durationMs: number; namespacesInCluster?: number } | null
  /** Owners given up on this run (critical: a person must look). */
  escalations: Escalation[]
  /** What changed about the incidents (domain/incidents.ts): what notifications are about. */
  incidents: RunIncidents
  /** What each notification channel did with this run's report (filled after the cycle). */
  notifications: Array<{
    channel: string
    status: 'sent' | 'failed' | 'skipped'
    detail?: string
    attempts: number
    durationMs: number
  }>
  /** Things worth a look that did not stop the run (state file problems …). */
  warnings: string[]
  breaker: BreakerState
  pods: PodRow[]
  /** Errors that stopped part of the run (listing failed, timeout …). */
  errors: string[]
  timings: { listMs: number; actMs: number }
  apiRequests: number
}

export interface RunIncidents {
  /** Remembered across runs (a state file); false: every run is judged alone and alerts anew. */
  remembered: boolean
  /** At most one per incident, in the run's order (notify/ sorts by importance). */
  changes: IncidentChange[]
  /** Open after this run, oldest first. */
  open: Incident[]
}

export const noIncidents = (): RunIncidents => ({ remembered: false, changes: [], open: [] })

export function countRows(rows: readonly PodRow[]): CycleResult['counts'] {
  const counts = {
    unhealthy: rows.length,
    deleted: 0,
    skipped: 0,
    failed: 0,
    reportOnly: 0,
    recovered: 0,
    unrecovered: 0
  }
  for (const row of rows) {
    if (row.outcome === 'recovered') counts.recovered++
    if (row.outcome === 'not-recovered') counts.unrecovered++
    counts[DECISIONS[row.decision].bucket]++
  }
  return counts
}
