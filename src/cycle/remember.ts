// Step 6: fold this run into the memory across runs (domain/state.ts) and raise the escalations
// it calls for; fold it into the incidents (domain/incidents.ts), whose changes are what the
// notifications say. A state that cannot be written is a warning, never the run's failure.

import { acted } from '../domain/decisions.js'
import { incidentChanges, NO_STATE_NOTICE, openIncidents } from '../domain/incidents.js'
import { observeRun } from '../domain/run-observation.js'
import type { CycleResult, PodRow } from '../domain/result.js'
import {
  emptyState,
  updateState,
  type CleanupRecord,
  type OwnerRef,
  type StateFile
} from '../domain/state.js'
import { remainingMs, type CycleRun } from './context.js'

/** How long recalling the open incidents from the archive may take at most. */
export const ARCHIVE_BUDGET_MS = 15_000

/**
 * Step 0: what earlier runs learnt (a fresh memory without a state store). A state that remembers
 * no incident (lost, corrupt, new) takes the archive's open incidents (GitHub issues), so nothing
 * already announced is announced again.
 */
export async function recall(run: CycleRun, result: CycleResult): Promise<StateFile> {
  if (!run.state) run.logger.info(`Incidents: ${NO_STATE_NOTICE}`)
  const loaded = run.state?.read() ?? { state: emptyState() }
  if (loaded.warning) {
    result.warnings.push(loaded.warning)
    run.logger.warning(loaded.warning)
  }
  const state = loaded.state
  if (!run.state || !run.archive || Object.keys(state.incidents).length > 0) return state
  const budgetMs = Math.min(ARCHIVE_BUDGET_MS, remainingMs(run))
  try {
    const open = await run.archive.openIncidents(run.cluster.context, {
      signal: AbortSignal.timeout(Math.max(1, budgetMs)),
      deadline: run.clock.now() + budgetMs
    })
    if (open.length > 0)
      run.logger.info(`Incidents: ${open.length} open ones recalled from their records`)
    return { ...state, incidents: Object.fromEntries(open.map(i => [i.fingerprint, i])) }
  } catch (error) {
    const warning = `open incidents could not be recalled from their records: ${(error as Error).message}`
    result.warnings.push(warning)
    run.logger.warning(warning)
    return state
  }
}

const sorted = <T>(record: Record<string, T>): Record<string, T> =>
  Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))

function cleanupOf(row: PodRow & { owner: NonNullable<PodRow['owner']> }): CleanupRecord {
  const { kind, name, uid } = row.owner
  return {
    owner: { namespace: row.namespace, kind, name, uid },
    action: row.decision,
    recovered:
      row.outcome === 'recovered' ? true : row.outcome === 'not-recovered' ? false : undefined
  }
}

/** The owners' memory: unrecovered cleanups counted, given up at the limit, escalated. */
function rememberOwners(run: CycleRun, result: CycleResult, memory: StateFile): StateFile {
  const brokenOwners = new Map<string, OwnerRef>()
  for (const row of result.pods) {
    if (row.owner && row.decision !== 'report')
      brokenOwners.set(row.owner.uid, { namespace: row.namespace, ...row.owner })
  }
  const cleanups = result.pods
    .filter((row): row is PodRow & { owner: NonNullable<PodRow['owner']> } =>
      Boolean(acted(row.decision) && row.owner)
    )
    .map(cleanupOf)
  const { config } = run
  const update = updateState(memory, {
    now: new Date(run.clock.now()),
    cleanups,
    brokenOwners,
    scanned: config.namespaces.length > 0 ? new Set(config.namespaces) : '*',
    giveUpAfter: config.giveUpAfter,
    realertIntervalSeconds: config.realertIntervalSeconds
  })
  for (const e of update.escalations) {
    const { namespace, kind, name } = e.owner
    result.escalations.push({
      namespace,
      owner: { kind, name },
      unrecovered: e.unrecovered,
      firstSeenBroken: e.firstSeenBroken,
      message: `Gave up on ${kind}/${name} in ${namespace}: ${e.unrecovered} cleanups in a row did not heal it (broken since ${e.firstSeenBroken}). Its pods are no longer deleted until it is healthy again.`
    })
  }
  return update.state
}

/**
 * Folds the run into the memory: the owners (only after a cycle that completed), then the
 * incidents (always: a failed run is an incident too). Without a state store every run starts
 * from no incidents, so every problem is announced anew (as before incidents existed). A scan
 * (scanOnly) changes nothing, the state file included.
 */
export function remember(
  run: CycleRun,
  result: CycleResult,
  memory: StateFile,
  completed = true
): void {
  const owners = completed && run.state ? rememberOwners(run, result, memory) : memory
  const { incidents, changes } = incidentChanges(
    run.state ? memory.incidents : {},
    observeRun(result),
    new Date(run.clock.now()),
    { realertIntervalSeconds: run.config.realertIntervalSeconds }
  )
  result.incidents = { remembered: Boolean(run.state), changes, open: openIncidents(incidents) }
  if (!run.state || run.scanOnly) return
  try {
    // Keys in a stable order: a run that changes nothing writes the same bytes.
    run.state.write({ ...owners, owners: sorted(owners.owners), incidents: sorted(incidents) })
  } catch (error) {
    result.warnings.push(`state-file could not be written: ${(error as Error).message}`)
    run.logger.warning(result.warnings.at(-1) as string)
  }
}
