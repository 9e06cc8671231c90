// What a deleted pod's replacement looks like to verification: which pods are replacements, which
// is healthy, and what a not-Ready one's state means (wait, or settle as not recovered now). Pure.

import { detectPod, statusText, type DetectOptions } from '../domain/detect.js'
import { controllerOf, type Pod } from '../domain/pod.js'
import { DEFAULT_REPORT_REASONS } from '../domain/reasons.js'

/**
 * The detector as verification uses it: a failure a new pod cannot fix (the default report
 * reasons) is report-class here even when delete-reasons lists it — deleting may be the user's
 * choice, but waiting for such a replacement to heal is pointless.
 */
export function unfixableAware(detect: DetectOptions): DetectOptions {
  return {
    deleteReasons: detect.deleteReasons,
    reportReasons: new Set([...detect.reportReasons, ...DEFAULT_REPORT_REASONS])
  }
}

/** Ready, and no container in a listed failure. */
export function isHealthy(pod: Pod, detect: DetectOptions): boolean {
  const ready =
    pod.status?.phase === 'Running' &&
    (pod.status.conditions ?? []).some(c => c.type === 'Ready' && c.status === 'True')
  return ready && !detectPod(pod, unfixableAware(detect))
}

/**
 * The owner's pods that may be the deleted pod's replacement, newest first: not the deleted pod
 * (by uid: StatefulSets reuse names), not in the baseline (pods that existed before the
 * deletion), not terminating.
 */
export function replacementsOf(
  pods: Iterable<Pod>,
  deleted: { uid: string; owner: { uid: string } },
  baseline: ReadonlySet<string>
): Pod[] {
  return [...pods]
    .filter(
      pod =>
        controllerOf(pod)?.uid === deleted.owner.uid &&
        pod.metadata.uid !== deleted.uid &&
        !baseline.has(pod.metadata.uid ?? '') &&
        !pod.metadata.deletionTimestamp
    )
    .sort((a, b) =>
      (b.metadata.creationTimestamp ?? '').localeCompare(a.metadata.creationTimestamp ?? '')
    )
}

/** Describes a replacement that is not Ready (yet); `final` when waiting cannot change it. */
export function replacementProblem(
  pod: Pod,
  detect: DetectOptions
): { text: string; final: boolean } {
  const name = pod.metadata.name ?? '?'
  const finding = detectPod(pod, unfixableAware(detect))
  if (finding) {
    const p = finding.primary
    // Crash-looping again, or a failure a new pod cannot fix: it will not get better on its own.
    const final = p.reason === 'CrashLoopBackOff' || finding.class === 'report'
    return {
      text: `replacement ${name} ${statusText(p)}${p.exitCode !== undefined ? ` (exit ${p.exitCode})` : ''}`,
      final
    }
  }
  const scheduled = pod.status?.conditions?.find(c => c.type === 'PodScheduled')
  if (pod.status?.phase === 'Pending' && scheduled?.status === 'False') {
    return {
      text: `replacement ${name} Pending: ${scheduled.reason ?? 'unschedulable'}${scheduled.message ? ` (${scheduled.message})` : ''}`,
      final: false
    }
  }
  return { text: `replacement ${name} ${pod.status?.phase ?? 'Pending'}, not Ready`, final: false }
}
