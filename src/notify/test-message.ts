// notify-test: a sample Notification, sent to every configured channel whatever its minimum
// severity, to check the channels' settings without touching a cluster.

import { countRows, noIncidents, type CycleResult, type PodRow } from '../domain/result.js'
import { buildNotification } from './message.js'
import { notify, type NotifyOptions } from './router.js'
import type { Channel, Notification, RunContext, SendOutcome } from './types.js'

/** A small, plausible result: one pod deleted and recovered, one needing a fix. */
export function sampleResult(context = 'sample-cluster', now = new Date()): CycleResult {
  const base = {
    uid: 'sample',
    container: 'app',
    init: false,
    restarts: 7,
    ageSeconds: 3600
  }
  const pods: PodRow[] = [
    {
      ...base,
      namespace: 'default',
      pod: 'web-7d9f8-abcde',
      owner: { kind: 'ReplicaSet', name: 'web-7d9f8', uid: 'sample-rs' },
      reason: 'CrashLoopBackOff',
      status: 'CrashLoopBackOff',
      exitCode: 1,
      decision: 'deleted',
      outcome: 'recovered',
      recoveredInMs: 4200
    },
    {
      ...base,
      namespace: 'default',
      pod: 'api-5c6b7-fghij',
      owner: { kind: 'ReplicaSet', name: 'api-5c6b7', uid: 'sample-rs2' },
      reason: 'ImagePullBackOff',
      status: 'ImagePullBackOff',
      decision: 'report',
      detail: 'a delete cannot fix a missing image'
    }
  ]
  return {
    version: 1,
    startedAt: now.toISOString(),
    durationMs: 1500,
    dryRun: true,
    mode: 'delete',
    cluster: { context, server: 'https://kubernetes.example' },
    scope: { namespaces: [], excludeNamespaces: ['kube-system'] },
    podsScanned: 42,
    pages: 1,
    counts: countRows(pods),
    verification: null,
    escalations: [],
    incidents: noIncidents(),
    notifications: [],
    warnings: [],
    breaker: { tripped: false, unhealthy: 2, podsInScope: 42, percent: 4.8, limitPercent: 30 },
    pods,
    errors: [],
    timings: { listMs: 300, actMs: 200 },
    apiRequests: 2
  }
}

export function sampleNotification(run: RunContext = {}, context?: string): Notification {
  const n = buildNotification(sampleResult(context), run)
  return { ...n, title: `Pod Cleaner test notification — ${n.result.cluster.context}` }
}

/** Sends the sample to every channel (min severities ignored); outcomes as notify() gives them. */
export function notifyTest(
  channels: readonly Channel[],
  run: RunContext,
  options: Omit<NotifyOptions, 'ignoreMinSeverity'> & { context?: string }
): Promise<SendOutcome[]> {
  return notify(sampleNotification(run, options.context), channels, {
    budgetMs: options.budgetMs,
    ignoreMinSeverity: true
  })
}
