// Inputs: what counts as broken, the safety rules, and how a pod is removed.

import {
  KNOWN_REASONS,
  DEFAULT_DELETE_REASONS,
  DEFAULT_REPORT_REASONS
} from '../../domain/reasons.js'
import { parseList } from '../../lib/parse.js'
import { closest, show } from '../checks.js'
import { duration, flag, input, oneOf, percent, wholeNumber, type FieldType } from '../field.js'

/** Known container reasons; a typo gets a "did you mean". */
const reasons: FieldType<string[]> = {
  parse: f => {
    const list = parseList(f.raw.trim() === '' ? f.default : f.raw)
    for (const reason of list.filter(r => !KNOWN_REASONS.includes(r))) {
      const hint = closest(reason, KNOWN_REASONS)
      f.problem(
        `Input '${f.name}': unknown reason ${show(reason)}${hint ? ` (did you mean ${hint}?)` : ''}; expected any of ${KNOWN_REASONS.join(', ')}.`
      )
    }
    return list
  }
}

export const POLICY_INPUTS = {
  DeleteReasons: input(
    {
      name: 'delete-reasons',
      default: DEFAULT_DELETE_REASONS.join(','),
      description:
        'Container reasons a pod is deleted for. NonZeroExit = a container terminated (now or last time) with an exit code other than 0.',
      help: 'reasons a pod is deleted for (NonZeroExit = exit code != 0)'
    },
    reasons
  ),
  ReportReasons: input(
    {
      name: 'report-reasons',
      default: DEFAULT_REPORT_REASONS.join(','),
      description:
        'Reasons a delete cannot fix (image, configuration): reported, never deleted. A reason also listed in delete-reasons is deleted.',
      help: 'reasons that are reported, never deleted'
    },
    reasons
  ),
  MinRestarts: input(
    {
      name: 'min-restarts',
      default: '3',
      description: 'Restarts of the failing container before a crash-looping pod is acted on.',
      help: 'restarts before a crash-looping pod is acted on'
    },
    wholeNumber(0, 1_000_000)
  ),
  MinPodAge: input(
    {
      name: 'min-pod-age',
      default: '5m',
      description: 'Pods younger than this are left alone (seconds, or 90s / 5m / 1h).',
      help: 'pods younger than this are left alone (e.g. 300, 5m)'
    },
    duration(0, 30 * 24 * 3600)
  ),
  MaxDeletions: input(
    {
      name: 'max-deletions',
      default: '10',
      description: 'At most this many pods are deleted per run; the rest wait for the next run.',
      help: 'deletions per run at most'
    },
    wholeNumber(0, 10_000)
  ),
  MaxUnhealthyPercent: input(
    {
      name: 'max-unhealthy-percent',
      default: '30',
      description:
        'Circuit breaker: when more than this share of the pods in scope is broken (and the scope has at least 10 pods), nothing is deleted and the run alerts — that is an outage.',
      help: 'circuit breaker: act on nothing above this share of broken pods'
    },
    percent
  ),
  DeleteBarePods: input(
    {
      name: 'delete-bare-pods',
      default: 'false',
      description: 'Also delete pods that no controller will recreate (data loss!).',
      help: 'also delete pods no controller will recreate'
    },
    flag
  ),
  DeleteDaemonSetPods: input(
    {
      name: 'delete-daemonset-pods',
      default: 'false',
      description: 'Also delete pods owned by a DaemonSet.',
      help: 'also delete DaemonSet pods'
    },
    flag
  ),
  DeleteJobPods: input(
    {
      name: 'delete-job-pods',
      default: 'false',
      description:
        "Also delete pods of Jobs and CronJobs. Off by default - the kubelet already restarts them in place, the new pod runs the same template, and a deleted pod counts against the Job's backoffLimit.",
      help: 'also delete Job and CronJob pods (the kubelet restarts them in place)'
    },
    flag
  ),
  Mode: input(
    {
      name: 'mode',
      default: 'delete',
      description: 'delete, or evict (the Eviction API, which honours PodDisruptionBudgets).',
      help: 'evict honours PodDisruptionBudgets'
    },
    oneOf(['delete', 'evict'])
  ),
  GracePeriodSeconds: input(
    {
      name: 'grace-period-seconds',
      default: '0',
      description: 'Grace period of each deletion. StatefulSet pods are never force-deleted.',
      help: 'grace period for deletions (StatefulSet pods keep their own)'
    },
    wholeNumber(0, 3600)
  ),
  DryRun: input(
    {
      name: 'dry-run',
      default: 'false',
      description:
        'Server-side dry run (dryRun=All) — RBAC and admission are checked, nothing is deleted.',
      help: 'server-side dry run: nothing is deleted'
    },
    flag
  )
}
