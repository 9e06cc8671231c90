// Detection: is this pod alive on paper (Running, or Pending in init) but broken in fact?
// Pure: a pod object in, a Finding (or nothing) out. The reasons are an allow-list, so normal
// start-up states (ContainerCreating, PodInitializing) are never findings.

import { MIRROR_ANNOTATION, NON_ZERO_EXIT, NORMAL_WAITING_REASONS } from './reasons.js'
import {
  controllerOf,
  type ContainerStatus,
  type ContainerStateTerminated,
  type Pod
} from './pod.js'

export type FindingClass = 'delete' | 'report'

export interface DetectOptions {
  /** Reasons a delete may fix. May contain NON_ZERO_EXIT. */
  deleteReasons: ReadonlySet<string>
  /** Reasons a delete cannot fix: reported only. */
  reportReasons: ReadonlySet<string>
}

/** One failing container of a pod. */
export interface ContainerProblem {
  container: string
  init: boolean
  /** The allow-list entry that matched (a waiting/terminated reason, or NonZeroExit). */
  reason: string
  class: FindingClass
  /** What the kubelet says right now, e.g. "back-off 5m0s restarting failed container". */
  message?: string
  exitCode?: number
  signal?: number
  /** The terminated reason (Error, OOMKilled, …) behind an exit code. */
  terminationReason?: string
  /** When the failed run started and ended (lastState or state). */
  startedAt?: string
  finishedAt?: string
  restarts: number
}

/** A broken pod, reduced to what the policy, the actions and the reports need. */
export interface Finding {
  namespace: string
  name: string
  uid: string
  phase: string
  nodeName?: string
  owner?: { kind: string; name: string; uid: string }
  createdAt?: string
  terminating: boolean
  mirror: boolean
  annotations: Record<string, string>
  /** The container that decides the finding (first unfixable, else first fixable). */
  primary: ContainerProblem
  problems: ContainerProblem[]
  /** The primary container's memory limit, for "OOMKilled (limit 128Mi)". */
  memoryLimit?: string
  /** A delete cannot fix the pod when any of its problems is report-only. */
  class: FindingClass
}

function classify(reason: string | undefined, options: DetectOptions): FindingClass | undefined {
  if (reason === undefined) return undefined
  if (options.reportReasons.has(reason)) return 'report'
  if (options.deleteReasons.has(reason)) return 'delete'
  return undefined
}

function exitProblem(
  status: ContainerStatus,
  init: boolean,
  terminated: ContainerStateTerminated,
  options: DetectOptions,
  message?: string
): ContainerProblem | undefined {
  if (terminated.exitCode === 0) return undefined
  // An explicitly listed termination reason (e.g. OOMKilled) wins over the generic exit rule.
  const byReason = classify(terminated.reason, options)
  const reason = byReason ? (terminated.reason as string) : NON_ZERO_EXIT
  const cls = byReason ?? classify(NON_ZERO_EXIT, options)
  if (cls === undefined) return undefined
  return {
    container: status.name,
    init,
    reason,
    class: cls,
    message: message ?? terminated.message,
    exitCode: terminated.exitCode,
    signal: terminated.signal,
    terminationReason: terminated.reason,
    startedAt: terminated.startedAt,
    finishedAt: terminated.finishedAt,
    restarts: status.restartCount ?? 0
  }
}

/** The problem of one container, if it has one. */
export function containerProblem(
  status: ContainerStatus,
  init: boolean,
  options: DetectOptions
): ContainerProblem | undefined {
  const state = status.state ?? {}
  const last = status.lastState?.terminated
  if (state.waiting) {
    const reason = state.waiting.reason
    if (reason !== undefined && NORMAL_WAITING_REASONS.has(reason)) return undefined
    const cls = classify(reason, options)
    if (cls !== undefined) {
      return {
        container: status.name,
        init,
        reason: reason as string,
        class: cls,
        message: state.waiting.message,
        exitCode: last?.exitCode,
        signal: last?.signal,
        terminationReason: last?.reason,
        startedAt: last?.startedAt,
        finishedAt: last?.finishedAt,
        restarts: status.restartCount ?? 0
      }
    }
    // Waiting for an unlisted reason after a failed run: judge the failed run.
    return last ? exitProblem(status, init, last, options, state.waiting.message) : undefined
  }
  if (state.terminated) {
    // A completed init container (exit 0) is normal; a non-zero one blocks the pod.
    return exitProblem(status, init, state.terminated, options)
  }
  if (state.running) {
    // Running and ready is healthy whatever happened before (a restart that healed).
    // Running but not ready right after a crash is the "up" half of a crash loop.
    if (status.ready || !last) return undefined
    if (init) return undefined
    return (status.restartCount ?? 0) > 0 ? exitProblem(status, init, last, options) : undefined
  }
  return undefined
}

/**
 * Detect a broken pod. Only pods in phase Running, and Pending pods whose init or app containers
 * sit in a listed reason (kubectl's Init:CrashLoopBackOff), are considered; Succeeded, Failed and
 * Unknown pods are not ours to judge.
 */
export function detectPod(pod: Pod, options: DetectOptions): Finding | undefined {
  const phase = pod.status?.phase ?? ''
  if (phase !== 'Running' && phase !== 'Pending') return undefined
  const problems: ContainerProblem[] = []
  for (const status of pod.status?.initContainerStatuses ?? []) {
    const problem = containerProblem(status, true, options)
    if (problem) problems.push(problem)
  }
  for (const status of pod.status?.containerStatuses ?? []) {
    const problem = containerProblem(status, false, options)
    if (problem) problems.push(problem)
  }
  const primary = problems.find(p => p.class === 'report') ?? problems[0]
  if (!primary) return undefined
  const meta = pod.metadata
  const owner = controllerOf(pod)
  const annotations = meta.annotations ?? {}
  return {
    namespace: meta.namespace ?? '',
    name: meta.name ?? '',
    uid: meta.uid ?? '',
    phase,
    nodeName: pod.spec?.nodeName,
    owner: owner ? { kind: owner.kind, name: owner.name, uid: owner.uid } : undefined,
    createdAt: meta.creationTimestamp,
    terminating: meta.deletionTimestamp !== undefined && meta.deletionTimestamp !== null,
    mirror: MIRROR_ANNOTATION in annotations,
    annotations: pickAnnotations(annotations),
    primary,
    problems,
    memoryLimit: [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])].find(
      c => c.name === primary.container
    )?.resources?.limits?.memory,
    class: primary.class
  }
}

// Keep only our own annotations: findings are held for the whole run, so they stay small.
function pickAnnotations(all: Record<string, string>): Record<string, string> {
  const kept: Record<string, string> = {}
  for (const [key, value] of Object.entries(all)) {
    if (key.startsWith('pod-cleaner.io/')) kept[key] = value
  }
  return kept
}

/** kubectl-style status text, e.g. "Init:CrashLoopBackOff". */
export function statusText(problem: ContainerProblem): string {
  const reason =
    problem.reason === NON_ZERO_EXIT ? (problem.terminationReason ?? 'Error') : problem.reason
  return problem.init ? `Init:${reason}` : reason
}
