// What `pod-cleaner aggregate` and the aggregate sub-action share: every cluster's result (or
// why it has none) → one fleet, one summary, one notification per channel, the fleet outputs
// and the exit policy over the whole fleet.

import type { AggregateConfig } from '../config/aggregate.js'
import { failOnReason } from '../domain/fail-on.js'
import { aggregateFleet, type ClusterReport, type FleetResult } from '../domain/fleet.js'
import type { Logger } from '../lib/logger.js'
import {
  createChannels,
  notify,
  outcomeLine,
  runContextFromEnv,
  type Channel,
  type RunContext,
  type SendOutcome
} from '../notify/index.js'
import { fleetShare } from '../notify/fleet.js'
import { escapeCell } from '../report/format.js'
import {
  FLEET_SUMMARY_MAX_BYTES,
  fleetOutputs,
  renderFleetSummary
} from '../report/fleet-summary.js'
import { notificationText } from '../report/summary.js'
import { readFleetResults, unexpectedResults } from '../store/result-files.js'

export interface AggregateRun {
  fleet: FleetResult
  /** The fleet's job summary (Markdown), notification outcomes included. */
  summary: string
  outputs: Record<string, string>
  notifications: SendOutcome[]
  /** Why the step fails under fail-on, or undefined. */
  failure?: string
}

export interface AggregateOptions {
  /** Channels instead of those the config sets up (tests). */
  channels?: readonly Channel[]
  run?: RunContext
  /** Reads the results (default: one by one on this thread). */
  read?: (dir: string, clusters: readonly string[]) => Promise<ClusterReport[]>
}

/** Why the fleet fails under `fail-on`: every cluster without a result, every failing run. */
export function fleetFailure(
  fleet: FleetResult,
  failOn: AggregateConfig['failOn']
): string | undefined {
  if (failOn === 'never') return undefined
  const problems = fleet.clusters.flatMap(report => {
    if (!report.result) return [`${report.name}: ${report.missing}`]
    const why = failOnReason(report.result, failOn)
    return why ? [`${report.name}: ${why}`] : []
  })
  return problems.length > 0 ? problems.join('; ') : undefined
}

export async function runAggregate(
  config: AggregateConfig,
  logger: Logger,
  options: AggregateOptions = {}
): Promise<AggregateRun> {
  const reports = options.read
    ? await options.read(config.resultsDir, config.clusters)
    : readFleetResults(config.resultsDir, config.clusters)
  const fleet = aggregateFleet(
    config.fleetName,
    reports,
    unexpectedResults(config.resultsDir, config.clusters)
  )
  for (const report of fleet.clusters) {
    if (report.result)
      logger.info(
        `${report.name}: ${report.result.podsScanned} pods scanned, ${report.result.counts.unhealthy} unhealthy, ${report.result.counts.deleted} deleted, ${report.result.counts.unrecovered} not recovered`
      )
    else logger.warning(`${report.name}: ${report.missing}`)
  }
  for (const name of fleet.unexpected)
    logger.warning(`${name}.json: a result for a cluster that is not in the list; left out`)

  for (const notice of config.notify.notices) logger.debug(notice)
  const channels = options.channels ?? createChannels(config.notify)
  const notifications =
    channels.length === 0
      ? []
      : await notify(fleetShare(fleet, options.run ?? runContextFromEnv()), channels, {
          budgetMs: config.notify.timeoutMs
        })
  for (const outcome of notifications) {
    if (outcome.status === 'failed') logger.warning(`Notification ${outcomeLine(outcome)}`)
    else logger.info(`Notification ${outcomeLine(outcome)}`)
  }
  // Room for the notifications' line, so the whole stays under the limit.
  let summary = renderFleetSummary(fleet, FLEET_SUMMARY_MAX_BYTES - 4096)
  if (notifications.length > 0) {
    const sent = notifications.map(o => escapeCell(notificationText(o)).slice(0, 400))
    summary += `\nNotifications: ${sent.join(' · ')}\n`
  }
  return {
    fleet,
    summary,
    outputs: fleetOutputs(fleet),
    notifications,
    failure: fleetFailure(fleet, config.failOn)
  }
}
