// Verification: did each deleted pod's owner bring up a NEW pod that became Ready? Watches the
// affected namespaces only (cost independent of cluster size), judges by uid (StatefulSets reuse
// names), and never claims a recovery it did not see: when the budget runs out, "not recovered";
// when a namespace could not be watched, "unknown".

import type { DetectOptions } from '../domain/detect.js'
import type { Pod } from '../domain/pod.js'
import type { Clock, PodEvent, VerifyApi } from './ports.js'
import { isHealthy, replacementProblem, replacementsOf } from './replacement.js'

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

/** Timers that never keep the process alive; `after` returns the function that cancels. */
export interface Timers {
  after(ms: number, fn: () => void): () => void
}

export const unrefTimers: Timers = {
  after(ms, fn) {
    const timer = setTimeout(fn, Math.max(0, ms))
    timer.unref()
    return () => clearTimeout(timer)
  }
}

export interface VerificationOptions {
  api: VerifyApi
  /** The namespaces of the pods that may be deleted (duplicates are fine). */
  namespaces: Iterable<string>
  detect: DetectOptions
  clock: Clock
  /** ms epoch (by `clock`): `start` stops waiting for baselines then, whatever is missing. */
  deadline: number
  onResync?: (why: string) => void
  /** How long a replacement must stay Ready to count as recovered. */
  stableMs?: number
  timers?: Timers
}

/** How long a replacement must stay Ready to count as recovered. */
export const STABLE_MS = 5000

/** The deadline for `start`: at most 30 s and a third of the run's time left (acting and
 * reporting need the rest), so a namespace that cannot be listed never holds the run. */
export function baselineDeadline(now: number, runDeadline: number): number {
  return now + Math.max(0, Math.min(30_000, (runDeadline - now) / 3))
}

/** The budgets by cluster size (namespaces): larger clusters get less, to fit the run's timeout. */
export function autoBudgetSeconds(namespaces: number): number {
  if (namespaces <= 50) return 180
  if (namespaces <= 200) return 150
  return 120
}

/** One watched namespace. */
interface Watched {
  pods: Map<string, Pod>
  /** Uids listed by the first list: pods that existed before the deletions never count. */
  baseline?: Set<string>
  /** The last list/watch failure not yet followed by a successful list. */
  broken?: string
  /** Set when the namespace is not watched (any more): its pods' outcome is unknown. */
  failure?: string
  controller: AbortController
}

interface Tracked extends VerifyTarget {
  verdict?: Verdict
  /** The best description so far of why it is not recovered. */
  pending?: { text: string; final: boolean; replacement: string }
  /** The replacement seen Ready, and since when (the stability window runs from there). */
  readySince?: { uid: string; at: number }
}

/** Watches the namespaces (each watch's first list is the baseline), then tracks deleted pods. */
export class Verification {
  private readonly watched = new Map<string, Watched>()
  private readonly tracked: Tracked[] = []
  private readonly timers: Timers
  private readonly stableMs: number
  private readonly cancels = new Set<() => void>()
  /** Called whenever something changed that a waiting `start` or `settle` may care about. */
  private wake: () => void = () => undefined
  private stopped = false

  private constructor(private readonly options: VerificationOptions) {
    this.timers = options.timers ?? unrefTimers
    this.stableMs = options.stableMs ?? STABLE_MS
  }

  /**
   * Starts watching; resolves once every namespace has its baseline or the deadline passed. Call
   * it before deleting anything: a replacement must never be in a baseline.
   */
  static async start(options: VerificationOptions): Promise<Verification> {
    const verification = new Verification(options)
    for (const namespace of new Set(options.namespaces)) {
      const watched: Watched = { pods: new Map(), controller: new AbortController() }
      verification.watched.set(namespace, watched)
      void verification.follow(namespace, watched)
    }
    const waitMs = options.deadline - options.clock.now()
    await verification.waitFor(
      () => [...verification.watched.values()].every(w => w.baseline || w.failure),
      waitMs
    )
    verification.giveUpUnlisted(waitMs)
    return verification
  }

  /** A namespace without a baseline by the deadline is not watched: stop its retries. */
  private giveUpUnlisted(waitedMs: number): void {
    const waited = `no pod list within ${Math.round(Math.max(0, waitedMs) / 1000)} s`
    for (const [namespace, w] of this.watched) {
      if (w.baseline || w.failure) continue
      w.failure = `verification could not watch namespace ${namespace}: ${w.broken ?? waited}`
      w.controller.abort()
    }
  }

  /** Runs one namespace's watch loop, keeping its pods, until stopped. */
  private async follow(namespace: string, w: Watched): Promise<void> {
    const onResync = (why: string) => {
      w.broken = why
      this.options.onResync?.(why)
    }
    const signal = w.controller.signal
    try {
      for await (const event of this.options.api.watchPods({ namespace, signal, onResync })) {
        this.apply(w, event)
        this.evaluate()
      }
      if (!signal.aborted) throw new Error('the watch ended')
    } catch (error) {
      if (!signal.aborted) {
        const was = w.baseline ? 'lost its watch of' : 'could not watch'
        w.failure ??= `verification ${was} namespace ${namespace}: ${(error as Error).message}`
      }
    } finally {
      this.evaluate()
    }
  }

  private apply(w: Watched, event: PodEvent): void {
    const uid = (pod: Pod) => pod.metadata.uid ?? ''
    if (event.type === 'SYNC') {
      w.pods = new Map(event.pods.map(pod => [uid(pod), pod]))
      w.baseline ??= new Set(w.pods.keys())
      w.broken = undefined
    } else if (event.type === 'DELETED') w.pods.delete(uid(event.pod))
    else w.pods.set(uid(event.pod), event.pod)
  }

  track(target: VerifyTarget): void {
    this.tracked.push({ ...target })
    this.evaluate()
  }

  private now(): number {
    return this.options.clock.now()
  }

  private evaluate(): void {
    if (this.stopped) return
    for (const t of this.tracked) if (!t.verdict) this.judge(t)
    this.wake()
  }

  private judge(t: Tracked): void {
    const w = this.watched.get(t.namespace)
    if (!w?.baseline || w.failure) {
      const detail = w?.failure ?? `verification did not watch namespace ${t.namespace}`
      t.verdict = { outcome: 'unknown', detail }
      return
    }
    const candidates = replacementsOf(w.pods.values(), t, w.baseline)
    const healthy = candidates.find(pod => isHealthy(pod, this.options.detect))
    if (healthy) return this.judgeReady(t, healthy)
    t.readySince = undefined
    const latest = candidates[0]
    if (!latest) return
    const problem = replacementProblem(latest, this.options.detect)
    const replacement = latest.metadata.name ?? ''
    t.pending = { ...problem, replacement }
    if (problem.final) t.verdict = { outcome: 'not-recovered', detail: problem.text, replacement }
  }

  // Ready for an instant is not recovered: a crashing container without a readiness probe is
  // Ready until it exits. It must stay Ready for the stability window.
  private judgeReady(t: Tracked, healthy: Pod): void {
    const uid = healthy.metadata.uid ?? ''
    if (t.readySince?.uid !== uid) {
      t.readySince = { uid, at: this.now() }
      this.later(this.stableMs + 5, () => this.evaluate())
    }
    if (this.now() - t.readySince.at < this.stableMs) return
    const ms = Math.max(0, t.readySince.at - t.deletedAt)
    t.verdict = {
      outcome: 'recovered',
      detail: `replacement ${healthy.metadata.name} Ready after ${(ms / 1000).toFixed(1)} s`,
      replacement: healthy.metadata.name,
      recoveredInMs: ms
    }
  }

  private later(ms: number, fn: () => void): () => void {
    const cancel = this.timers.after(ms, () => {
      this.cancels.delete(cancel)
      fn()
    })
    this.cancels.add(cancel)
    return cancel
  }

  /** Resolves when `done()` holds (checked at every change) or after `ms`. */
  private waitFor(done: () => boolean, ms: number): Promise<void> {
    return new Promise<void>(resolve => {
      const finish = () => {
        cancel()
        this.wake = () => undefined
        resolve()
      }
      const cancel = this.later(ms, finish)
      this.wake = () => void ((this.stopped || done()) && finish())
      this.wake()
    })
  }

  /** Waits until every tracked pod is settled or the budget runs out; then stops watching. */
  async settle(budgetMs: number): Promise<Map<string, Verdict>> {
    const settled = () => this.tracked.every(t => t.verdict)
    await this.waitFor(settled, Math.max(0, budgetMs))
    // A replacement already Ready gets the rest of its stability window, never more.
    const windows = this.tracked.filter(t => !t.verdict && t.readySince)
    if (windows.length > 0) {
      const left = Math.max(
        ...windows.map(t => (t.readySince?.at ?? 0) + this.stableMs - this.now())
      )
      await this.waitFor(settled, Math.max(0, Math.min(left, this.stableMs)) + 10)
      this.evaluate()
    }
    this.stop()
    const verdicts = new Map<string, Verdict>()
    for (const t of this.tracked) {
      verdicts.set(t.uid, t.verdict ?? (await this.timedOut(t, budgetMs)))
    }
    return verdicts
  }

  /** Stops every watch and timer (a pending wait ends at once). */
  stop(): void {
    this.stopped = true
    for (const w of this.watched.values()) w.controller.abort()
    for (const cancel of this.cancels) cancel()
    this.cancels.clear()
    this.wake()
  }

  private async timedOut(t: Tracked, budgetMs: number): Promise<Verdict> {
    // A watch failing when the budget ran out may have missed the replacement.
    const broken = this.watched.get(t.namespace)?.broken
    if (broken) {
      const detail = `verification lost its watch of namespace ${t.namespace}: ${broken}`
      return { outcome: 'unknown', detail }
    }
    const budget = `${Math.round(budgetMs / 1000)} s`
    if (t.pending) {
      const detail = `${t.pending.text} after ${budget}`
      return { outcome: 'not-recovered', detail, replacement: t.pending.replacement }
    }
    const owner = `owner ${t.owner.kind}/${t.owner.name}`
    const replicas = await this.options.api
      .ownerReplicas(t.namespace, t.owner.kind, t.owner.name)
      .catch(() => undefined)
    if (replicas === 'missing') return { outcome: 'not-recovered', detail: `${owner} was deleted` }
    if (replicas === 0) return { outcome: 'not-recovered', detail: `${owner} is scaled to zero` }
    return { outcome: 'not-recovered', detail: `no replacement created within ${budget}` }
  }
}
