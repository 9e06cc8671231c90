// The safety rules: which findings may be acted on. Pure. Each per-pod rule is a small check
// that returns the reason it refuses (descheduler's constraint style); the report lists it.
// Run-level rules (circuit breaker, one pod per owner, max-deletions) come after.

import { BREAKER_MIN_PODS, SKIP_ANNOTATION } from './reasons.js'
import type { Finding } from './detect.js'

export interface PolicyOptions {
  excludeNamespaces: ReadonlySet<string>
  minRestarts: number
  minPodAgeSeconds: number
  maxDeletions: number
  maxUnhealthyPercent: number
  deleteBarePods: boolean
  deleteDaemonSetPods: boolean
  deleteJobPods: boolean
}

export interface PolicyContext {
  options: PolicyOptions
  now: Date
  /** Pods seen in the scanned scope outside excluded namespaces (the breaker's denominator). */
  podsInScope: number
  /** Owners (by uid) given up on in earlier runs, with why. */
  givenUp?: ReadonlyMap<string, string>
  /**
   * Diagnosis, when on: every pod must be diagnosed before it may be deleted (a delete destroys
   * the evidence, and the diagnosis may show that a delete cannot help).
   */
  diagnosis?: {
    /** Verdicts by pod uid. */
    verdicts: ReadonlyMap<string, DiagnosisVerdict>
    /** Pods whose diagnosis was attempted (a pod attempted without a verdict ran out of time). */
    attempted: ReadonlySet<string>
    /** delete-unfixable: delete even when the cause is one a new pod cannot fix. */
    deleteUnfixable: boolean
  }
}

/** What decide needs of a diagnosis. */
export interface DiagnosisVerdict {
  cause: string
  unfixable: boolean
}

/**
 * `diagnose`: the pod would be deleted but has not been diagnosed yet — diagnose it, then decide
 * again. It holds its owner's slot and counts against max-deletions meanwhile.
 */
export type DecisionKind = 'delete' | 'diagnose' | 'report' | 'skip' | 'given-up'

export interface Decision {
  finding: Finding
  decision: DecisionKind
  /** Why a finding is skipped or report-only; shown in the report. */
  reason?: string
}

export interface BreakerState {
  tripped: boolean
  unhealthy: number
  podsInScope: number
  percent: number
  limitPercent: number
}

export interface Plan {
  decisions: Decision[]
  breaker: BreakerState
}

type Check = (finding: Finding, ctx: PolicyContext) => string | undefined

/** Seconds since the pod was created (0 when unknown, so an unknown age is "too young"). */
export function podAgeSeconds(finding: Finding, now: Date): number {
  if (!finding.createdAt) return 0
  const created = Date.parse(finding.createdAt)
  return Number.isNaN(created) ? 0 : Math.max(0, (now.getTime() - created) / 1000)
}

export const checks: ReadonlyArray<{ name: string; check: Check }> = [
  {
    name: 'opt-out',
    check: f =>
      f.annotations[SKIP_ANNOTATION] === 'true' ? `annotated ${SKIP_ANNOTATION}=true` : undefined
  },
  {
    name: 'terminating',
    check: f => (f.terminating ? 'already terminating' : undefined)
  },
  {
    name: 'mirror-pod',
    check: f => (f.mirror ? 'static (mirror) pod: the kubelet owns it' : undefined)
  },
  {
    name: 'bare-pod',
    check: (f, ctx) =>
      !f.owner && !ctx.options.deleteBarePods
        ? 'no controller would recreate it (bare pod)'
        : undefined
  },
  {
    name: 'daemonset-pod',
    check: (f, ctx) =>
      f.owner?.kind === 'DaemonSet' && !ctx.options.deleteDaemonSetPods
        ? `DaemonSet pod (delete-daemonset-pods is off)`
        : undefined
  },
  {
    // The kubelet restarts a Job's pod in place; a new pod runs the same template, and the Job
    // controller counts a deleted pod against backoffLimit (CronJob pods are owned by a Job).
    name: 'job-pod',
    check: (f, ctx) =>
      f.owner?.kind === 'Job' && !ctx.options.deleteJobPods
        ? 'Job pod: the kubelet restarts it in place and a delete counts against backoffLimit (delete-job-pods is off)'
        : undefined
  },
  {
    name: 'min-pod-age',
    check: (f, ctx) => {
      const age = podAgeSeconds(f, ctx.now)
      return age < ctx.options.minPodAgeSeconds
        ? `younger than min-pod-age (${Math.floor(age)}s < ${ctx.options.minPodAgeSeconds}s)`
        : undefined
    }
  },
  {
    name: 'min-restarts',
    check: (f, ctx) => {
      // Restarts only measure crash loops; RunContainerError and friends may never restart.
      const p = f.primary
      const restartBased = p.reason === 'CrashLoopBackOff' || p.exitCode !== undefined
      return restartBased && p.restarts < ctx.options.minRestarts
        ? `fewer restarts than min-restarts (${p.restarts} < ${ctx.options.minRestarts})`
        : undefined
    }
  }
]

/** The first per-pod rule that refuses this finding, if any. */
export function refusal(finding: Finding, ctx: PolicyContext): string | undefined {
  for (const { check } of checks) {
    const reason = check(finding, ctx)
    if (reason !== undefined) return reason
  }
  return undefined
}

/** The circuit breaker: mass failure is an outage that deletions would make worse. */
export function breakerOf(findings: readonly Finding[], ctx: PolicyContext): BreakerState {
  const { options } = ctx
  const unhealthy = findings.filter(f => !options.excludeNamespaces.has(f.namespace)).length
  const percent = ctx.podsInScope > 0 ? (unhealthy / ctx.podsInScope) * 100 : 0
  return {
    tripped: ctx.podsInScope >= BREAKER_MIN_PODS && percent > options.maxUnhealthyPercent,
    unhealthy,
    podsInScope: ctx.podsInScope,
    percent: Math.round(percent * 10) / 10,
    limitPercent: options.maxUnhealthyPercent
  }
}

/** Why a finding is never deleted this run whatever else happens (a Decision), or undefined. */
function leaveAlone(
  finding: Finding,
  ctx: PolicyContext,
  breaker: BreakerState
): Decision | undefined {
  const skip = (reason: string): Decision => ({ finding, decision: 'skip', reason })
  if (ctx.options.excludeNamespaces.has(finding.namespace))
    return skip(`namespace ${finding.namespace} is excluded`)
  if (finding.class === 'report') {
    const reason = `${finding.primary.reason}: a delete cannot fix it`
    return { finding, decision: 'report', reason }
  }
  const verdict = ctx.diagnosis?.verdicts.get(finding.uid)
  if (verdict?.unfixable && !ctx.diagnosis?.deleteUnfixable)
    return { finding, decision: 'report', reason: `${verdict.cause}: a delete cannot fix it` }
  const givenUp = finding.owner ? ctx.givenUp?.get(finding.owner.uid) : undefined
  if (givenUp) return { finding, decision: 'given-up', reason: givenUp }
  const refused = refusal(finding, ctx)
  if (refused) return skip(refused)
  if (breaker.tripped)
    return skip(
      `circuit breaker: ${breaker.percent}% of pods in scope are broken (limit ${breaker.limitPercent}%)`
    )
  return undefined
}

/** A candidate that passed every rule: diagnosed first when diagnosis is on. */
function candidate(finding: Finding, ctx: PolicyContext): Decision {
  if (!ctx.diagnosis || ctx.diagnosis.verdicts.has(finding.uid))
    return { finding, decision: 'delete' }
  return ctx.diagnosis.attempted.has(finding.uid)
    ? {
        finding,
        decision: 'skip',
        reason:
          'not diagnosed within the diagnosis budget (a delete would destroy the evidence); next run'
      }
    : { finding, decision: 'diagnose' }
}

/** Decide for every finding. Findings are processed in namespace/name order (stable reports). */
export function decide(findings: readonly Finding[], ctx: PolicyContext): Plan {
  const sorted = [...findings].sort(
    (a, b) => a.namespace.localeCompare(b.namespace) || a.name.localeCompare(b.name)
  )
  const breaker = breakerOf(sorted, ctx)
  // Run-level limits: one pod per owner, at most max-deletions.
  const ownersHandled = new Set<string>()
  let planned = 0
  const decisions = sorted.map((finding): Decision => {
    const alone = leaveAlone(finding, ctx, breaker)
    if (alone) return alone
    const owner = finding.owner
    if (owner && ownersHandled.has(owner.uid)) {
      const reason = `another pod of ${owner.kind}/${owner.name} is handled this run; next run`
      return { finding, decision: 'skip', reason }
    }
    if (planned >= ctx.options.maxDeletions) {
      const reason = `max-deletions (${ctx.options.maxDeletions}) reached; next run`
      return { finding, decision: 'skip', reason }
    }
    if (owner) ownersHandled.add(owner.uid)
    planned++
    return candidate(finding, ctx)
  })
  return { decisions, breaker }
}
