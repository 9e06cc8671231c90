// One cycle: list → detect → decide (diagnosing first) → act → verify → remember → result. It
// reads like the steps; each lives in its own file. All I/O goes through the ports (ports.ts).

import { ConfigError, type Config } from '../config/config.js'
import { Inputs } from '../config/inputs.js'
import { NamespaceNotFoundError } from '../domain/errors.js'
import type { CycleResult } from '../domain/result.js'
import type { StateFile } from '../domain/state.js'
import { act } from './act.js'
import { cycleRun, type CycleDeps, type CycleOptions, type CycleRun } from './context.js'
import { decideDiagnosed, reportBreaker } from './decide.js'
import { markUnverified, startVerification, verifyRecovery } from './recovery.js'
import { recall, remember } from './remember.js'
import { closeResult, newResult } from './result.js'
import { scan } from './scan.js'
import type { Verification } from './verify.js'

export type { ClusterApi, StateStore } from './ports.js'
export type { CycleDeps, CycleOptions } from './context.js'

/** One full cycle. Never throws for cluster errors: they end up in result.errors. */
export async function runCycle(
  config: Config,
  deps: CycleDeps,
  options: CycleOptions = {}
): Promise<CycleResult> {
  const run = cycleRun(config, deps, options)
  const { logger, clock } = run
  const result = newResult(run)
  let verification: Verification | undefined
  let recalled: StateFile | undefined
  try {
    const memory = await recall(run, result)
    recalled = memory

    const listStart = clock.now()
    const scanned = await logger.group('List and detect', () => scan(run))
    result.timings.listMs = clock.now() - listStart
    result.podsScanned = scanned.podsScanned
    result.pages = scanned.pages
    const summary = `Scanned ${scanned.podsScanned} pods in ${scanned.pages} pages: ${scanned.findings.length} unhealthy`
    logger.info(summary, { ms: result.timings.listMs })

    const { plan, diagnoses } = await decideDiagnosed(run, scanned, memory)
    result.breaker = plan.breaker
    reportBreaker(run, plan)

    // Watch before acting, so replacements are seen from their start.
    verification = await startVerification(run, plan)
    const actStart = clock.now()
    if (plan.decisions.length > 0) {
      result.pods = await logger.group(config.dryRun ? 'Act (dry run)' : 'Act', () =>
        act(run, { plan, memory, diagnoses, verification })
      )
    }
    result.timings.actMs = clock.now() - actStart

    await verifyRecovery(run, result, verification)
    remember(run, result, memory)
  } catch (error) {
    verification?.stop()
    failCycle(run, result, error)
    // A failed run is an incident too; nothing resolves in it.
    if (recalled) remember(run, result, recalled, false)
  } finally {
    closeResult(run, result)
  }
  return result
}

/** A cycle error is a result.error, except bad input: that stops the run (nothing was deleted). */
function failCycle(run: CycleRun, result: CycleResult, error: unknown): void {
  if (error instanceof ConfigError) throw error
  if (error instanceof NamespaceNotFoundError) {
    throw new ConfigError([
      `Input '${Inputs.Namespaces}': ${error.message}; expected existing namespaces (or an empty input for the whole cluster).`
    ])
  }
  const message = run.cluster.describeError(error)
  result.errors.push(message)
  run.logger.error(`Cycle failed: ${message}`)
  markUnverified(result)
}
