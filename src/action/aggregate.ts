// run() of the aggregate sub-action (aggregate/action.yml): inputs → AggregateConfig → one fleet
// summary, one notification per channel, the fleet outputs, and the exit status under fail-on.
// One setFailed at the top; the summary is written in `finally`.

import * as core from '@actions/core'
import { runAggregate } from '../app/aggregate.js'
import {
  AGGREGATE_NOTIFY_INPUTS,
  AggregateInputs,
  parseAggregateConfig
} from '../config/aggregate.js'
import { SECRET_INPUTS } from '../config/inputs.js'
import { notifySecrets } from '../config/notify.js'
import { availableParallelism, loadavg } from 'node:os'
import { createLogger } from '../lib/logger.js'
import { readFleetResultsInParallel } from '../store/result-files.js'
import { coreSink, failed, writeSummary } from './job.js'

/** The one place the sub-action reads its inputs. */
const input = (name: string): string => core.getInput(name)

/**
 * Cores nobody else is using (at most 4): threads help on a runner of its own, and only slow
 * things down on a machine whose cores are busy (measured: bench/RESULTS.md, fleet aggregate).
 */
function idleCores(): number {
  const idle = availableParallelism() - (loadavg()[0] ?? 0)
  return Math.max(1, Math.min(4, Math.round(idle)))
}

export async function runAggregateAction(): Promise<void> {
  let summary: string | undefined
  try {
    // Credentials are masked before anything can log them.
    for (const name of AGGREGATE_NOTIFY_INPUTS.filter(n => SECRET_INPUTS.includes(n))) {
      const value = input(name).trim()
      if (value) core.setSecret(value)
    }
    const parsed = parseAggregateConfig(input)
    if ('problems' in parsed) {
      core.setFailed(parsed.problems.join('\n'))
      return
    }
    const { config } = parsed
    for (const secret of notifySecrets(config.notify)) core.setSecret(secret)
    const run = await runAggregate(config, createLogger(coreSink, 'text'), {
      // The results are read on up to 4 threads, each running this bundle (aggregate-entry.ts).
      read: (dir, clusters) =>
        readFleetResultsInParallel(dir, clusters, {
          script: new URL(import.meta.url),
          threads: idleCores()
        })
    })
    summary = run.summary
    for (const [name, value] of Object.entries(run.outputs)) core.setOutput(name, value)
    if (run.failure)
      core.setFailed(
        `Pod Cleaner fleet: ${run.failure} (${AggregateInputs.FailOn}: ${config.failOn})`
      )
  } catch (error) {
    failed(error)
  } finally {
    if (summary !== undefined) await writeSummary(summary)
  }
}
