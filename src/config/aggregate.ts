// The inputs of `pod-cleaner aggregate` and of the aggregate sub-action (aggregate/action.yml):
// where the clusters' results are, which clusters to expect, the fleet's name and fail-on, plus
// the Action's notification inputs (Pushgateway stays with each cluster's own run). Read once
// into one AggregateConfig; every problem is reported at once. Also the names of its outputs.

import { CountOutputs } from './outputs.js'
import type { FailOn } from '../domain/fail-on.js'
import { CLUSTER_NAME, parseClusterList } from '../domain/fleet.js'
import { input, oneOf, type FieldType, type InputSpec } from './field.js'
import { NotifyInputs, type NotifyInputName } from './inputs.js'
import { parseNotifyConfig, type NotifyConfig } from './notify.js'

const directory: FieldType<string> = {
  parse: f => {
    if (f.value === '')
      f.problem(
        `Input '${f.name}' is empty; expected the directory that holds one <cluster>.json result per cluster.`
      )
    return f.value
  }
}

const clusterList: FieldType<string[]> = {
  parse: f => {
    const parsed = parseClusterList(f.value)
    if ('names' in parsed) return parsed.names
    for (const problem of parsed.problems) f.problem(`Input '${f.name}': ${problem}.`)
    return []
  }
}

const fleetName: FieldType<string> = {
  parse: f => {
    if (!CLUSTER_NAME.test(f.value))
      f.invalid(f.value, "letters, digits, '.', '_' or '-' (at most 63)")
    return f.value
  }
}

export const AGGREGATE_INPUTS = {
  Results: input(
    {
      name: 'results',
      default: '',
      description:
        "The directory with each cluster's result, <name>.json (and <name>.outcome, the outcome of the step that ran it), as the fleet workflow downloads them.",
      help: 'aggregate: directory with one <cluster>.json result per cluster'
    },
    directory
  ),
  Clusters: input(
    {
      name: 'clusters',
      default: '',
      description:
        'The clusters to expect: the fleet workflow\'s JSON list ([{"name": "prod-eu", …}]), or names separated by commas. Each one without a result gets a "no result" row.',
      help: 'aggregate: the expected clusters (JSON list or names)'
    },
    clusterList
  ),
  FleetName: input(
    {
      name: 'fleet-name',
      default: 'fleet',
      description:
        "The fleet's name: the summary's title and the notification's (Bark's group is pod-cleaner-<name> unless bark-group is set).",
      help: 'aggregate: the fleet’s name in the summary and notifications'
    },
    fleetName
  ),
  FailOn: input(
    {
      name: 'fail-on',
      default: 'error',
      description:
        "When the step fails, over the whole fleet: never; error (a cluster has no result, or its run failed under fail-on error); unrecovered; unhealthy — as the Action's fail-on, for any cluster.",
      help: 'when the exit code is 1'
    },
    oneOf<FailOn>(['never', 'error', 'unhealthy', 'unrecovered'])
  )
}

export const AggregateInputs = {
  Results: AGGREGATE_INPUTS.Results.name,
  Clusters: AGGREGATE_INPUTS.Clusters.name,
  FleetName: AGGREGATE_INPUTS.FleetName.name,
  FailOn: AGGREGATE_INPUTS.FailOn.name
} as const

/**
 * Notification inputs that stay with each cluster's run: metrics, the sample message, and the
 * incident rules and records (incidents are remembered per cluster).
 */
const PER_CLUSTER_ONLY: ReadonlySet<string> = new Set([
  NotifyInputs.PushgatewayUrl,
  NotifyInputs.NotifyTest,
  NotifyInputs.NotifyResolved,
  NotifyInputs.GithubIssues,
  NotifyInputs.GithubToken,
  NotifyInputs.GithubLabels
])

/** The Action's notification inputs the aggregate takes, in action.yml's order. */
export const AGGREGATE_NOTIFY_INPUTS: NotifyInputName[] = Object.values(NotifyInputs).filter(
  name => !PER_CLUSTER_ONLY.has(name)
)

/** Every input of the aggregate: its own, then the notification inputs. */
export const AGGREGATE_SPECS: ReadonlyArray<InputSpec> = Object.values(AGGREGATE_INPUTS)

export interface AggregateConfig {
  resultsDir: string
  clusters: string[]
  fleetName: string
  failOn: FailOn
  notify: NotifyConfig
}

/** Reads one raw input by name; '' when not set. */
export type AggregateInputSource = (name: string) => string

/** The AggregateConfig, or every problem with the inputs. */
export function parseAggregateConfig(
  source: AggregateInputSource
): { config: AggregateConfig } | { problems: string[] } {
  const problems: string[] = []
  const value = <T>(spec: InputSpec<string, T>): T | undefined => {
    const parsed = spec.schema.safeParse(source(spec.name) ?? '')
    if (parsed.success) return parsed.data
    problems.push(...parsed.error.issues.map(issue => issue.message))
    return undefined
  }
  const resultsDir = value(AGGREGATE_INPUTS.Results)
  const clusters = value(AGGREGATE_INPUTS.Clusters)
  const fleetName = value(AGGREGATE_INPUTS.FleetName)
  const failOn = value(AGGREGATE_INPUTS.FailOn)
  const notify = parseNotifyConfig(name => (PER_CLUSTER_ONLY.has(name) ? '' : source(name)))
  problems.push(...notify.problems)
  if (
    problems.length > 0 ||
    resultsDir === undefined ||
    clusters === undefined ||
    fleetName === undefined ||
    failOn === undefined
  )
    return { problems }
  return { config: { resultsDir, clusters, fleetName, failOn, notify: notify.config } }
}

/** The aggregate's outputs: the fleet's totals, and every cluster's row as compact JSON. */
export const FleetOutputs = {
  Clusters: 'clusters',
  ClusterCount: 'cluster-count',
  ReportedCount: 'reported-count',
  MissingCount: 'missing-count',
  MissingClusters: 'missing-clusters',
  PodsScanned: 'pods-scanned',
  ...CountOutputs
} as const
