// Steps 4a and 5: watch the affected namespaces before acting (their first list is the baseline:
// pods that existed before the deletions never count as replacements), then wait — within the
// verification budget and the run's deadline — for each deleted pod's owner to be whole again.

import { acted } from '../domain/decisions.js'
import type { Plan } from '../domain/policy.js'
import type { CycleResult, PodRow } from '../domain/result.js'
import { remainingMs, type CycleRun } from './context.js'
import { autoBudgetSeconds, baselineDeadline, Verification, type Verdict } from './verify.js'

/** Reporting needs this much of the run after verification; notifications up to 15 s more. */
const REPORT_RESERVE_MS = 5000
const NOTIFY_RESERVE_MAX_MS = 15_000

/** Starts watching when something will really be deleted and verification is on. */
export async function startVerification(
  run: CycleRun,
  plan: Plan
): Promise<Verification | undefined> {
  const { config } = run
  const planned = plan.decisions.filter(d => d.decision === 'delete')
  if (planned.length === 0 || config.dryRun || run.scanOnly || config.verifyTimeoutSeconds === 0)
    return undefined
  return Verification.start({
    api: run.cluster,
    namespaces: planned.map(d => d.finding.namespace),
    detect: config.detect,
    clock: run.clock,
    deadline: baselineDeadline(run.clock.now(), run.deadline),
    onResync: why => run.logger.debug(`verification watch resync: ${why}`)
  })
}

/** The verification budget — explicit, or by cluster size — within the run's deadline. */
async function budgetMs(run: CycleRun): Promise<{ ms: number; namespaces?: number }> {
  let seconds: number
  let namespaces: number | undefined
  if (run.config.verifyTimeoutSeconds === 'auto') {
    namespaces = await run.cluster.countNamespaces().catch(() => undefined)
    seconds = autoBudgetSeconds(namespaces ?? Number.MAX_SAFE_INTEGER)
  } else seconds = run.config.verifyTimeoutSeconds
  const reserve = REPORT_RESERVE_MS + Math.min(run.config.notify.timeoutMs, NOTIFY_RESERVE_MAX_MS)
  return { ms: Math.min(seconds * 1000, remainingMs(run, reserve)), namespaces }
}

function applyVerdict(row: PodRow, verdict: Verdict | undefined): void {
  row.outcome = verdict?.outcome ?? 'unknown'
  row.outcomeDetail = verdict?.detail
  row.replacement = verdict?.replacement
  row.recoveredInMs = verdict?.recoveredInMs
}

/** Settles every acted row's outcome; rows that were not verified say why. */
export async function verifyRecovery(
  run: CycleRun,
  result: CycleResult,
  verification: Verification | undefined
): Promise<void> {
  const rows = result.pods.filter(row => acted(row.decision))
  if (verification && rows.length > 0) {
    const budget = await budgetMs(run)
    const started = run.clock.now()
    const seconds = Math.round(budget.ms / 1000)
    const verdicts = await run.logger.group(`Verify recovery (budget ${seconds} s)`, () =>
      verification.settle(budget.ms)
    )
    for (const row of rows) {
      applyVerdict(row, verdicts.get(row.uid))
      // The annotations (report/) carry the errors; the log keeps the story.
      run.logger.info(`${row.namespace}/${row.pod}: ${row.outcome} — ${row.outcomeDetail ?? ''}`)
    }
    result.verification = {
      budgetSeconds: seconds,
      durationMs: run.clock.now() - started,
      namespacesInCluster: budget.namespaces
    }
  } else verification?.stop()
  markUnverified(
    result,
    run.config.verifyTimeoutSeconds === 0
      ? 'verification disabled (verify-timeout: 0)'
      : 'not verified'
  )
}

/** Acted rows without an outcome are `unknown`, never silently fine. */
export function markUnverified(result: CycleResult, detail?: string): void {
  for (const row of result.pods) {
    if (acted(row.decision) && !row.outcome) {
      row.outcome = 'unknown'
      if (detail) row.outcomeDetail = detail
    }
  }
}
