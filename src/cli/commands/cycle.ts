// `pod-cleaner scan` and `pod-cleaner run`: one cycle (scan decides only; --file scans a saved pod
// list offline), printed as a table or JSON; the exit code follows fail-on.

import { writeFileSync } from 'node:fs'
import { isUnexpected } from '../../app/failure.js'
import { runWithConfig } from '../../app/wiring.js'
import { failOnReason } from '../../domain/fail-on.js'
import type { Config } from '../../config/config.js'
import { runCycle } from '../../cycle/run.js'
import type { CycleResult } from '../../domain/result.js'
import { fileCluster, loadPodsFile } from '../../kube/file-cluster.js'
import type { Logger } from '../../lib/logger.js'
import { renderSummary } from '../../report/summary.js'
import { writeResultFile } from '../../store/result-files.js'
import { fail, messageOf, type CliIo } from '../io.js'
import { printResult, type OutputFormat } from '../output.js'

export interface CycleCommand {
  command: 'scan' | 'run'
  /** A saved `kubectl get pods -A -o json` to scan instead of the cluster. */
  file?: string
  output: OutputFormat
  /** Also write the Markdown job summary here. */
  summary?: string
}

async function runOnce(cmd: CycleCommand, config: Config, logger: Logger): Promise<CycleResult> {
  if (!cmd.file)
    return runWithConfig(config, logger, () => undefined, { scanOnly: cmd.command === 'scan' })
  if (cmd.command !== 'scan')
    throw new Error('--file works with scan only: a saved pod list cannot be acted on.')
  const path = cmd.file
  return runCycle(
    { ...config, diagnose: false },
    // Offline: no logs or events to read.
    { cluster: fileCluster(path, loadPodsFile(path), config.namespaces), logger },
    { scanOnly: true }
  )
}

export async function cycle(
  cmd: CycleCommand,
  config: Config,
  logger: Logger,
  io: CliIo
): Promise<number> {
  let result: CycleResult
  try {
    result = await runOnce(cmd, config, logger)
  } catch (error) {
    // A bug's stack trace is printed by main().
    if (isUnexpected(error)) throw error
    return fail(io, messageOf(error))
  }
  printResult(result, cmd.output, io)
  if (cmd.summary) writeFileSync(cmd.summary, renderSummary(result))
  if (config.resultFile) writeResultFile(config.resultFile, result)
  const failure = failOnReason(result, config.failOn)
  if (failure) {
    io.stderr(`pod-cleaner: ${failure} (fail-on: ${config.failOn})\n`)
    return 1
  }
  return 0
}
