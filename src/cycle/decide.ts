// Step 3: decide, diagnosing before deleting. A delete destroys the evidence, and the diagnosis
// may show that a delete cannot help; then a sibling may become its owner's candidate, and it is
// diagnosed in turn. Diagnoses are an input of the pure `decide`, never a change to findings.

import { decide, type Plan, type PolicyContext } from '../domain/policy.js'
import type { StateFile } from '../domain/state.js'
import type { CycleRun } from './context.js'
import { diagnoseAll, type Diagnosis } from './diagnose.js'
import type { Scan } from './scan.js'

/** Diagnosis never takes more than this, and leaves this much of the run for acting. */
const DIAGNOSIS_MAX_MS = 60_000
const DIAGNOSIS_RESERVE_MS = 10_000

/** Givens-up from earlier runs, as policy reasons keyed by owner uid. */
export function givenUpReasons(memory: StateFile): Map<string, string> {
  const reasons = new Map<string, string>()
  for (const [uid, s] of Object.entries(memory.owners)) {
    if (s.givenUp) {
      reasons.set(
        uid,
        `given up: ${s.unrecovered} cleanups did not heal ${s.kind}/${s.name} (broken since ${s.firstSeenBroken}); fix it, then it is watched again`
      )
    }
  }
  return reasons
}

export interface Decided {
  plan: Plan
  diagnoses: Map<string, Diagnosis>
}

/** Decides, diagnosing every pod that would be deleted or is reported, until nothing is new. */
export async function decideDiagnosed(
  run: CycleRun,
  scanned: Scan,
  memory: StateFile
): Promise<Decided> {
  const { config, logger } = run
  const diagnoses = new Map<string, Diagnosis>()
  const attempted = new Set<string>()
  const context: PolicyContext = {
    options: config.policy,
    now: new Date(run.clock.now()),
    podsInScope: scanned.podsInScope,
    givenUp: givenUpReasons(memory),
    diagnosis: config.diagnose
      ? { verdicts: diagnoses, attempted, deleteUnfixable: config.deleteUnfixable }
      : undefined
  }
  const budgetEnd = Math.min(
    run.clock.now() + DIAGNOSIS_MAX_MS,
    run.deadline - DIAGNOSIS_RESERVE_MS
  )
  for (;;) {
    const plan = decide(scanned.findings, context)
    const todo = plan.decisions
      .filter(d => d.decision === 'diagnose' || d.decision === 'report')
      .map(d => d.finding)
      .filter(f => !attempted.has(f.uid))
    if (!config.diagnose || todo.length === 0) return { plan, diagnoses }
    for (const f of todo) attempted.add(f.uid)
    const found = await logger.group('Diagnose', () =>
      diagnoseAll(todo, run.cluster, {
        logLines: config.diagnosticLogLines,
        parallel: 4,
        budgetMs: Math.max(0, budgetEnd - run.clock.now())
      })
    )
    for (const [uid, diagnosis] of found) diagnoses.set(uid, diagnosis)
    for (const note of new Set([...found.values()].flatMap(d => d.notes))) {
      logger.notice(`Diagnosis incomplete: ${note} — the cleanup goes on without it`)
    }
  }
}

/** Says loudly when the breaker stops every delete. */
export function reportBreaker(run: CycleRun, plan: Plan): void {
  const b = plan.breaker
  if (!b.tripped) return
  run.logger.error(
    `Circuit breaker tripped: ${b.unhealthy} of ${b.podsInScope} pods in scope (${b.percent}%) are broken, over max-unhealthy-percent ${b.limitPercent}%. Nothing is deleted: this looks like an outage, not a broken pod.`
  )
}
