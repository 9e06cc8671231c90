// Step 4: act on the plan, one pod at a time — delete or evict with the uid precondition, within
// the run's deadline — and turn every decision into a report row. Dry runs are decided here, at
// the one place where the change is made.

import { acted } from '../domain/decisions.js'
import { statusText, type Finding } from '../domain/detect.js'
import { podAgeSeconds, type Decision, type Plan } from '../domain/policy.js'
import type { PodRow, RowDecision } from '../domain/result.js'
import type { StateFile } from '../domain/state.js'
import type { CycleRun } from './context.js'
import type { Diagnosis } from './diagnose.js'
import type { ActOutcome, DeleteRequest } from './ports.js'
import type { Verification } from './verify.js'

type BaseRow = Omit<PodRow, 'decision'>

export interface ActInputs {
  plan: Plan
  memory: StateFile
  diagnoses: ReadonlyMap<string, Diagnosis>
  verification?: Verification
}

function baseRow(run: CycleRun, finding: Finding, inputs: ActInputs): BaseRow {
  const p = finding.primary
  const diagnosis = inputs.diagnoses.get(finding.uid)
  return {
    cause: diagnosis?.cause,
    diagnosis: diagnosis
      ? { logTail: diagnosis.logTail, events: diagnosis.events, notes: diagnosis.notes }
      : undefined,
    namespace: finding.namespace,
    pod: finding.name,
    uid: finding.uid,
    owner: finding.owner ? { ...finding.owner } : undefined,
    container: p.container,
    init: p.init,
    reason: p.reason,
    status: statusText(p),
    exitCode: p.exitCode,
    restarts: p.restarts,
    ageSeconds: Math.floor(podAgeSeconds(finding, new Date(run.clock.now()))),
    message: p.message,
    brokenSince:
      (finding.owner && inputs.memory.owners[finding.owner.uid]?.firstSeenBroken) || p.finishedAt
  }
}

/** StatefulSet pods keep their identity: never force-delete them (grace 0 could run two at once). */
export function gracePeriodFor(finding: Finding, configured: number): number | undefined {
  if (finding.owner?.kind === 'StatefulSet' && configured === 0) return undefined
  return configured
}

function doneDecision(run: CycleRun): RowDecision {
  const evict = run.config.mode === 'evict'
  if (run.config.dryRun) return evict ? 'would-evict' : 'would-delete'
  return evict ? 'evicted' : 'deleted'
}

function outcomeRow(run: CycleRun, outcome: ActOutcome): Pick<PodRow, 'decision' | 'detail'> {
  switch (outcome.result) {
    case 'deleted':
      return {
        decision: doneDecision(run),
        detail: run.config.dryRun ? 'server-side dry run' : undefined
      }
    case 'gone':
      return { decision: 'skipped', detail: 'already gone (404)' }
    case 'replaced':
      return {
        decision: 'skipped',
        detail: 'replaced since listing: uid changed (409), the new pod was not touched'
      }
    case 'blocked':
      return { decision: 'blocked', detail: `blocked by PodDisruptionBudget: ${outcome.message}` }
    case 'failed':
      return { decision: 'failed', detail: run.cluster.describeError(outcome.error) }
  }
}

const where = (row: BaseRow) => ({
  namespace: row.namespace,
  pod: row.pod,
  container: row.container,
  status: row.status
})

/** The row of a pod that is not deleted, logged at the level its decision deserves. */
function leftAlone(run: CycleRun, d: Decision, row: BaseRow): PodRow | undefined {
  const name = `${row.namespace}/${row.pod}`
  switch (d.decision) {
    case 'report':
      run.logger.warning(`Report only: ${name} ${row.status}`, { ...where(row), detail: d.reason })
      return { ...row, decision: 'report', detail: d.reason }
    case 'skip':
      run.logger.info(`Skipped ${name}: ${d.reason}`, where(row))
      return { ...row, decision: 'skipped', detail: d.reason }
    case 'given-up':
      run.logger.warning(`Given up on ${name}: ${d.reason}`, where(row))
      return { ...row, decision: 'given-up', detail: d.reason }
    case 'diagnose': // decide settles every pod it asked to diagnose; never delete one undiagnosed
      return { ...row, decision: 'skipped', detail: 'not diagnosed; next run' }
    case 'delete':
      return undefined
  }
}

/** Deletes (or evicts) one planned pod, unless the run is a scan or out of time. */
async function deleteOne(run: CycleRun, f: Finding, row: BaseRow, inputs: ActInputs) {
  const { config, cluster, logger } = run
  if (run.scanOnly) {
    const decision = config.mode === 'evict' ? 'would-evict' : 'would-delete'
    return { ...row, decision, detail: 'scan only' } satisfies PodRow
  }
  if (run.clock.now() >= run.deadline) {
    logger.warning(`Skipped ${f.namespace}/${f.name}: run timeout reached`, where(row))
    const detail = `timeout (${config.timeoutSeconds}s) reached before acting; next run`
    return { ...row, decision: 'skipped', detail } satisfies PodRow
  }
  const req: DeleteRequest = {
    namespace: f.namespace,
    name: f.name,
    uid: f.uid,
    gracePeriodSeconds: gracePeriodFor(f, config.gracePeriodSeconds),
    dryRun: config.dryRun
  }
  const outcome =
    config.mode === 'evict' ? await cluster.evictPod(req) : await cluster.deletePod(req)
  const result: PodRow = { ...row, ...outcomeRow(run, outcome) }
  if (acted(result.decision) && f.owner) {
    const target = { namespace: f.namespace, pod: f.name, uid: f.uid, owner: f.owner }
    inputs.verification?.track({ ...target, deletedAt: run.clock.now() })
  }
  logOutcome(run, result)
  return result
}

function logOutcome(run: CycleRun, row: PodRow): void {
  const exit = row.exitCode !== undefined ? `, exit ${row.exitCode}` : ''
  const line = `${row.decision}: ${row.namespace}/${row.pod} (${row.status}${exit}, ${row.restarts} restarts)`
  if (row.decision === 'failed') run.logger.error(`${line}: ${row.detail}`, where(row))
  else run.logger.info(row.detail ? `${line}: ${row.detail}` : line, where(row))
}

/** Step 4: every decision becomes a row; planned pods are acted on one by one. */
export async function act(run: CycleRun, inputs: ActInputs): Promise<PodRow[]> {
  const rows: PodRow[] = []
  for (const d of inputs.plan.decisions) {
    const row = baseRow(run, d.finding, inputs)
    rows.push(leftAlone(run, d, row) ?? (await deleteOne(run, d.finding, row, inputs)))
  }
  return rows
}
