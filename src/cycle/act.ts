// Step 4 of the cycle: act on the plan, one pod at a time — delete or evict with the uid
// precondition, within the run's deadline — and turn every decision into a report row.

import type { Config } from '../config/config.js'
import type { CycleDeps } from './run.js'
import { statusText, type Finding } from '../domain/detect.js'
import type { Diagnosis } from './diagnose.js'
import type { ActOutcome, DeleteRequest } from './ports.js'
import { podAgeSeconds, type Decision, type Plan } from '../domain/policy.js'
import { acted } from '../domain/decisions.js'
import type { PodRow, RowDecision } from '../domain/result.js'
import type { StateFile } from '../domain/state.js'
import type { Verification } from './verify.js'

function baseRow(
  finding: Finding,
  now: Date,
  memory: StateFile,
  diagnosis?: Diagnosis
): Omit<PodRow, 'decision'> {
  const p = finding.primary
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
    ageSeconds: Math.floor(podAgeSeconds(finding, now)),
    message: p.message,
    brokenSince:
      (finding.owner && memory.owners[finding.owner.uid]?.firstSeenBroken) || p.finishedAt
  }
}

/** StatefulSet pods keep their identity: never force-delete them (grace 0 could run two at once). */
export function gracePeriodFor(finding: Finding, configured: number): number | undefined {
  if (finding.owner?.kind === 'StatefulSet' && configured === 0) return undefined
  return configured
}

function outcomeRow(
  outcome: ActOutcome,
  config: Config,
  describeError: (error: unknown) => string
): Pick<PodRow, 'decision' | 'detail'> {
  const evict = config.mode === 'evict'
  switch (outcome.result) {
    case 'deleted': {
      const decision: RowDecision = config.dryRun
        ? evict
          ? 'would-evict'
          : 'would-delete'
        : evict
          ? 'evicted'
          : 'deleted'
      return { decision, detail: config.dryRun ? 'server-side dry run' : undefined }
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
      return { decision: 'failed', detail: describeError(outcome.error) }
  }
}

/** Step 4: act on the planned pods one by one, within the run's deadline. */
export async function act(
  plan: Plan,
  config: Config,
  deps: CycleDeps,
  ctx: {
    deadline: number
    now: Date
    scanOnly: boolean
    memory: StateFile
    diagnoses: Map<string, Diagnosis>
    verification?: Verification
  }
): Promise<PodRow[]> {
  const { logger, cluster } = deps
  const rows: PodRow[] = []
  for (const d of plan.decisions) {
    rows.push(
      await actOn(d, baseRow(d.finding, ctx.now, ctx.memory, ctx.diagnoses.get(d.finding.uid)))
    )
  }
  return rows

  async function actOn(d: Decision, row: Omit<PodRow, 'decision'>): Promise<PodRow> {
    const f = d.finding
    const where = {
      namespace: f.namespace,
      pod: f.name,
      container: row.container,
      status: row.status
    }
    switch (d.decision) {
      case 'report':
        logger.warning(`Report only: ${f.namespace}/${f.name} ${row.status}`, {
          ...where,
          detail: d.reason
        })
        return { ...row, decision: 'report', detail: d.reason }
      case 'skip':
        logger.info(`Skipped ${f.namespace}/${f.name}: ${d.reason}`, where)
        return { ...row, decision: 'skipped', detail: d.reason }
      case 'given-up':
        logger.warning(`Given up on ${f.namespace}/${f.name}: ${d.reason}`, where)
        return { ...row, decision: 'given-up', detail: d.reason }
      case 'diagnose': // decide settles every pod it asked to diagnose; never delete one undiagnosed
        return { ...row, decision: 'skipped', detail: 'not diagnosed; next run' }
      case 'delete':
        break
    }
    if (ctx.scanOnly) {
      return {
        ...row,
        decision: config.mode === 'evict' ? 'would-evict' : 'would-delete',
        detail: 'scan only'
      }
    }
    if (Date.now() >= ctx.deadline) {
      logger.warning(`Skipped ${f.namespace}/${f.name}: run timeout reached`, where)
      return {
        ...row,
        decision: 'skipped',
        detail: `timeout (${config.timeoutSeconds}s) reached before acting; next run`
      }
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
    const result: PodRow = {
      ...row,
      ...outcomeRow(outcome, config, error => cluster.describeError(error))
    }
    if (acted(result.decision) && f.owner) {
      ctx.verification?.track({
        namespace: f.namespace,
        pod: f.name,
        uid: f.uid,
        owner: f.owner,
        deletedAt: Date.now()
      })
    }
    const line = `${result.decision}: ${f.namespace}/${f.name} (${row.status}${row.exitCode !== undefined ? `, exit ${row.exitCode}` : ''}, ${row.restarts} restarts)`
    if (result.decision === 'failed') logger.error(`${line}: ${result.detail}`, where)
    else logger.info(result.detail ? `${line}: ${result.detail}` : line, where)
    return result
  }
}
