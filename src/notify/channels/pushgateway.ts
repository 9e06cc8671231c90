// Prometheus Pushgateway: the run's metrics in the exposition format (prom-client's Registry),
// PUT to <gateway>/metrics/job/pod_cleaner/cluster/<context> so each cluster has its own group
// and a new run replaces the last. Every run is pushed, healthy ones included (severity info).

import { Gauge, Registry } from 'prom-client'
import { httpChannel, type HttpOptions } from '../http.js'
import type { CycleResult } from '../../domain/result.js'
import type { Channel } from '../types.js'

export interface PushgatewayConfig {
  /** e.g. http://pushgateway.monitoring:9091 */
  url: string
}

export const PUSHGATEWAY_JOB = 'pod_cleaner'

/** The run's gauges, one registry per push (nothing global, nothing left between runs). */
export async function runMetrics(
  result: CycleResult
): Promise<{ text: string; contentType: string }> {
  const registry = new Registry()
  const gauge = (name: string, help: string, value: number): void => {
    new Gauge({ name: `pod_cleaner_${name}`, help, registers: [registry] }).set(value)
  }
  const c = result.counts
  gauge('pods_scanned', 'Pods listed in scope by the last run.', result.podsScanned)
  gauge('pods_unhealthy', 'Pods found broken by the last run.', c.unhealthy)
  gauge('pods_deleted', 'Pods deleted or evicted (or, in a dry run, that would be).', c.deleted)
  gauge('pods_recovered', 'Deleted pods whose owner has a new Ready pod.', c.recovered)
  gauge('pods_unrecovered', 'Deleted pods whose owner has no new Ready pod in time.', c.unrecovered)
  gauge('pods_failed', 'Pods the run failed to delete or evict.', c.failed)
  gauge('pods_report_only', 'Broken pods a delete cannot fix (reported only).', c.reportOnly)
  gauge('pods_skipped', 'Broken pods skipped by a safety rule.', c.skipped)
  gauge(
    'circuit_breaker_tripped',
    '1 when the last run stopped because too many pods were broken.',
    result.breaker.tripped ? 1 : 0
  )
  gauge('errors', 'Errors that stopped part of the last run.', result.errors.length)
  gauge('run_duration_seconds', 'Duration of the last run.', result.durationMs / 1000)
  gauge(
    'last_run_timestamp_seconds',
    'When the last run started (alert when it gets old).',
    Date.parse(result.startedAt) / 1000
  )
  return { text: await registry.metrics(), contentType: registry.contentType }
}

/** A grouping-key value in the path; base64url (the @base64 form) when it has a '/' or is empty. */
export function groupingPath(label: string, value: string): string {
  if (value === '' || value.includes('/')) {
    return `${label}@base64/${Buffer.from(value).toString('base64url') || '='}`
  }
  return `${label}/${encodeURIComponent(value)}`
}

export function pushgatewayUrl(gateway: string, context: string): string {
  const base = gateway.replace(/\/+$/, '')
  return `${base}/metrics/job/${PUSHGATEWAY_JOB}/${groupingPath('cluster', context)}`
}

export function pushgatewayChannel(
  config: PushgatewayConfig,
  http?: Partial<HttpOptions>
): Channel {
  // Every run is pushed (min severity info), changes or not: the gauges must say a healthy run
  // happened too.
  const channel = httpChannel('pushgateway', 'info', http, async n => {
    const { text, contentType } = await runMetrics(n.result)
    return {
      request: {
        method: 'PUT',
        url: pushgatewayUrl(config.url, n.result.cluster.context),
        headers: { 'content-type': contentType, 'user-agent': 'pod-cleaner-action' },
        body: text
      }
    }
  })
  return { ...channel, receives: 'every-run' }
}
