// Verification: did each deleted pod's owner bring up a NEW pod that became Ready? Watches the
// affected namespaces only (cost independent of cluster size), judges by uid (StatefulSets reuse
// names), and never claims a recovery it did not see: when the budget runs out, "not recovered".

import { detectPod, statusText, type DetectOptions } from '../domain/detect.js'
import { controllerOf, type Pod } from '../domain/pod.js'
import type { VerifyApi } from './ports.js'

export type Outcome = 'recovered' | 'not-recovered' | 'unknown'

export interface VerifyTarget {
  namespace: string
  pod: string
  uid: string
  owner: { kind: string; name: string; uid: string }
  /** ms epoch of the deletion. */
  deletedAt: number
}

export interface Verdict {
  outcome: Outcome
  detail: string
  replacement?: string
  /** From the deletion to the moment we saw the replacement Ready. */
  recoveredInMs?: number
}

/** How long a replacement must stay Ready to count as recovered. */
export const STABLE_MS = 5000

/** The original tool's budgets, by cluster size (namespaces). */
export function autoBudgetSeconds(namespaces: number): number {
  if (namespaces <= 50) return 180
  if (namespaces <= 200) return 150
  return 120
}

function isReady(pod: Pod): boolean {
  return (
    pod.status?.phase === 'Running' &&
    (pod.status.conditions ?? []).some(c => c.type === 'Ready' && c.status === 'True')
  )
}

/** Describes a replacement that is not Ready (yet). */
export function replacementProblem(
  pod: Pod,
  detect: DetectOptions
): { text: string; final: boolean } {
  const name = pod.metadata.name ?? '?'
  const finding = detectPod(pod, detect)
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

interface Tracked extends VerifyTarget {
  verdict?: Verdict
  /** The best description so far of why it is not recovered. */
  pending?: { text: string; final: boolean; replacement: string }
  /** The replacement seen Ready, and since when (the stability window runs from there). */
  readySince?: { uid: string; at: number }
}

/**
 * Starts watching the namespaces (each watch's first list is the baseline: pods that existed
 * before the deletions can never count as replacements), then tracks deleted pods.
 */
export class Verification {
  private readonly pods = new Map<string, Map<string, Pod>>()
  private readonly baseline = new Set<string>()
  private readonly tracked: Tracked[] = []
  private readonly controller = new AbortController()
  private readonly ready: Promise<void>
  private wake: () => void = () => undefined
  private watchErrors: string[] = []

  constructor(
    private readonly api: VerifyApi,
    namespaces: string[],
    private readonly detect: DetectOptions,
    private readonly now: () => number = Date.now,
    onResync?: (why: string) => void,
    private readonly stableMs = STABLE_MS
  ) {
    const synced: Promise<void>[] = []
    for (const namespace of new Set(namespaces)) {
      let markSynced: () => void = () => undefined
      synced.push(new Promise(resolve => (markSynced = resolve)))
      const pods = new Map<string, Pod>()
      this.pods.set(namespace, pods)
      let first = true
      void (async () => {
        try {
          for await (const event of api.watchPods({
            namespace,
            signal: this.controller.signal,
            onResync
          })) {
            if (event.type === 'SYNC') {
              pods.clear()
              for (const pod of event.pods) {
                pods.set(pod.metadata.uid ?? '', pod)
                if (first) this.baseline.add(pod.metadata.uid ?? '')
              }
              if (first) {
                first = false
                markSynced()
              }
            } else if (event.type === 'DELETED') pods.delete(event.pod.metadata.uid ?? '')
            else pods.set(event.pod.metadata.uid ?? '', event.pod)
            this.evaluate()
          }
        } catch (error) {
          this.watchErrors.push(`${namespace}: ${(error as Error).message}`)
        } finally {
          markSynced()
        }
      })()
    }
    this.ready = Promise.all(synced).then(() => undefined)
  }

  /** Resolves once every namespace has its baseline (call before deleting anything). */
  started(): Promise<void> {
    return this.ready
  }

  track(target: VerifyTarget): void {
    this.tracked.push({ ...target })
    this.evaluate()
  }

  private evaluate(): void {
    for (const t of this.tracked) {
      if (t.verdict) continue
      const candidates = [...(this.pods.get(t.namespace)?.values() ?? [])].filter(
        pod =>
          controllerOf(pod)?.uid === t.owner.uid &&
          pod.metadata.uid !== t.uid &&
          !this.baseline.has(pod.metadata.uid ?? '') &&
          !pod.metadata.deletionTimestamp
      )
      const healthy = candidates.find(pod => isReady(pod) && !detectPod(pod, this.detect))
      if (healthy) {
        // Ready for an instant is not recovered: a crashing container without a readiness probe
        // is Ready until it exits. It must stay Ready for the stability window.
        const uid = healthy.metadata.uid ?? ''
        if (t.readySince?.uid !== uid) {
          t.readySince = { uid, at: this.now() }
          setTimeout(() => this.evaluate(), this.stableMs + 5).unref()
        }
        if (this.now() - t.readySince.at >= this.stableMs) {
          const ms = Math.max(0, t.readySince.at - t.deletedAt)
          t.verdict = {
            outcome: 'recovered',
            detail: `replacement ${healthy.metadata.name} Ready after ${(ms / 1000).toFixed(1)} s`,
            replacement: healthy.metadata.name,
            recoveredInMs: ms
          }
        }
        continue
      }
      t.readySince = undefined
      const latest = candidates.sort((a, b) =>
        (b.metadata.creationTimestamp ?? '').localeCompare(a.metadata.creationTimestamp ?? '')
      )[0]
      if (latest) {
        const problem = replacementProblem(latest, this.detect)
        t.pending = { ...problem, replacement: latest.metadata.name ?? '' }
        if (problem.final) {
          t.verdict = {
            outcome: 'not-recovered',
            detail: problem.text,
            replacement: latest.metadata.name
          }
        }
      }
    }
    if (this.tracked.every(t => t.verdict)) this.wake()
  }

  /** Waits until every tracked pod is settled or the budget runs out; then stops watching. */
  async settle(budgetMs: number): Promise<Map<string, Verdict>> {
    await new Promise<void>(resolve => {
      const timer = setTimeout(resolve, Math.max(0, budgetMs))
      this.wake = () => {
        clearTimeout(timer)
        resolve()
      }
      this.evaluate()
    })
    // A replacement already Ready gets the rest of its stability window, never more.
    const inWindow = this.tracked.filter(t => !t.verdict && t.readySince)
    if (inWindow.length > 0) {
      const wait = Math.max(
        ...inWindow.map(t => (t.readySince?.at ?? 0) + this.stableMs - this.now())
      )
      await new Promise(resolve =>
        setTimeout(resolve, Math.max(0, Math.min(wait, this.stableMs)) + 10)
      )
      this.evaluate()
    }
    this.controller.abort()
    const verdicts = new Map<string, Verdict>()
    for (const t of this.tracked) {
      verdicts.set(t.uid, t.verdict ?? (await this.timedOut(t, budgetMs)))
    }
    return verdicts
  }

  stop(): void {
    this.controller.abort()
  }

  private async timedOut(t: Tracked, budgetMs: number): Promise<Verdict> {
    const budget = `${Math.round(budgetMs / 1000)} s`
    if (t.pending) {
      return {
        outcome: 'not-recovered',
        detail: `${t.pending.text} after ${budget}`,
        replacement: t.pending.replacement
      }
    }
    const replicas = await this.api
      .ownerReplicas(t.namespace, t.owner.kind, t.owner.name)
      .catch(() => undefined)
    if (replicas === 'missing')
      return {
        outcome: 'not-recovered',
        detail: `owner ${t.owner.kind}/${t.owner.name} was deleted`
      }
    if (replicas === 0)
      return {
        outcome: 'not-recovered',
        detail: `owner ${t.owner.kind}/${t.owner.name} is scaled to zero`
      }
    const errors = this.watchErrors.length > 0 ? ` (watch: ${this.watchErrors.join('; ')})` : ''
    return { outcome: 'not-recovered', detail: `no replacement created within ${budget}${errors}` }
  }
}
