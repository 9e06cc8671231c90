// Notifications: the contract between the cycle's result and the channels (Bark, Slack, …).
// A channel turns one Notification into its own wire format and sends it; the router decides
// which channels get it (by severity), runs them within a budget and records every outcome.

import type { NotificationOutcome } from '../cycle/ports.js'
import type { IncidentChange } from '../domain/incidents.js'
import type { CycleResult } from '../domain/result.js'

export type Severity = 'info' | 'warning' | 'critical'

export const SEVERITY_RANK: Record<Severity, number> = { info: 0, warning: 1, critical: 2 }

/** Links and names that come from the environment (GitHub run), not from the cluster. */
export interface RunContext {
  /** e.g. https://github.com/acme/ops/actions/runs/123 — the job summary is there. */
  runUrl?: string
  repository?: string
  workflow?: string
  /** GITHUB_API_URL: GitHub's REST API (GitHub Enterprise Server sets its own). */
  apiUrl?: string
}

export interface Notification {
  severity: Severity
  /** Short, e.g. "Pod Cleaner: 3 pods deleted in prod". */
  title: string
  /** The cluster/context. */
  subtitle: string
  /** One line per pod or event, most important first; channels truncate by whole lines. */
  lines: string[]
  runUrl?: string
  /** The incident changes the lines tell (a digest); absent for a whole-run notification. */
  changes?: IncidentChange[]
  /** The whole result, for channels that post it (webhook) or count it (Pushgateway). */
  result: CycleResult
}

/** What a channel's send is given: a signal that aborts when the budget is spent, and when. */
export interface SendContext {
  signal: AbortSignal
  /** ms since epoch: no attempt runs, and no retry waits, past it. */
  deadline: number
}

/** What a channel's send returns once the notification is delivered. */
export interface Delivered {
  /** Attempts it took, the first included (requests, for a channel that makes several). */
  attempts: number
  /** What it did, when that is more than "sent" (e.g. "opened #12, closed #7"). */
  detail?: string
}

export interface Channel {
  readonly name: string
  readonly minSeverity: Severity
  /**
   * changes (default): a digest of the incident changes at or above minSeverity, nothing when
   * none; every-run: every run's notification (metrics); records: every change (GitHub issues).
   */
  readonly receives?: 'changes' | 'every-run' | 'records'
  /** Delivers or throws (a DeliveryError says how many attempts it made); stops at the deadline. */
  send(notification: Notification, context: SendContext): Promise<Delivered>
}

/** One channel's outcome: sent, failed or skipped, with attempts and duration. */
export type SendOutcome = NotificationOutcome
