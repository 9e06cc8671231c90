// The CycleResult of one run: created empty at the start, closed in `finally` whatever happened.

import { countRows, noIncidents, type CycleResult } from '../domain/result.js'
import type { CycleRun } from './context.js'

export function newResult(run: CycleRun): CycleResult {
  const { config, cluster } = run
  return {
    version: 1,
    startedAt: new Date(run.startedAt).toISOString(),
    durationMs: 0,
    dryRun: config.dryRun || run.scanOnly,
    mode: config.mode,
    cluster: { context: cluster.context, server: cluster.server },
    scope: {
      namespaces: config.namespaces,
      excludeNamespaces: [...config.policy.excludeNamespaces],
      labelSelector: config.labelSelector
    },
    podsScanned: 0,
    pages: 0,
    counts: countRows([]),
    breaker: {
      tripped: false,
      unhealthy: 0,
      podsInScope: 0,
      percent: 0,
      limitPercent: config.policy.maxUnhealthyPercent
    },
    pods: [],
    errors: [],
    verification: null,
    escalations: [],
    incidents: noIncidents(),
    notifications: [],
    warnings: [],
    timings: { listMs: 0, actMs: 0 },
    apiRequests: 0
  }
}

export function closeResult(run: CycleRun, result: CycleResult): void {
  result.counts = countRows(result.pods)
  result.durationMs = run.clock.now() - run.startedAt
  result.apiRequests = run.cluster.requestCount()
}
