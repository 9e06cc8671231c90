// `pod-cleaner aggregate --results DIR --clusters LIST`: every cluster's saved result (or why it
// has none) as one fleet — the fleet summary (Markdown) on stdout or in --summary FILE, or the
// fleet outputs as JSON with --output json; one notification per configured channel. The exit
// code follows fail-on over the fleet.

import { writeFileSync } from 'node:fs'
import { setFlagsFromString } from 'node:v8'
import { runAggregate } from '../../app/aggregate.js'
import { parseAggregateConfig } from '../../config/aggregate.js'
import { consoleSink, createLogger } from '../../lib/logger.js'
import type { CommandLine } from '../args.js'
import { fail, messageOf, type CliIo } from '../io.js'

export async function aggregate(line: CommandLine, io: CliIo): Promise<number> {
  const output = line.output ?? 'markdown'
  if (output !== 'markdown' && output !== 'json')
    return fail(io, `--output ${JSON.stringify(output)} is not valid; expected markdown or json.`)
  const parsed = parseAggregateConfig(
    name => line.aggregate[name] ?? line.inputs[name as keyof CommandLine['inputs']] ?? ''
  )
  if ('problems' in parsed) return fail(io, parsed.problems.join('\n'))
  const { config } = parsed
  // The scan's heap tuning (lib/runtime.ts) keeps a streaming scan small; reading a fleet's
  // results keeps them live, which V8's default sizing does about twice as fast (bench/RESULTS.md).
  for (const flag of ['--semi-space-growth-factor=2', '--heap-growing-percent=0'])
    setFlagsFromString(flag)
  const logger = createLogger(consoleSink(line.verbose), 'text')
  let run
  try {
    run = await runAggregate(config, logger)
  } catch (error) {
    return fail(io, messageOf(error))
  }
  if (line.summary) writeFileSync(line.summary, run.summary)
  if (output === 'json') io.stdout(`${JSON.stringify(run.outputs, null, 2)}\n`)
  else io.stdout(run.summary)
  if (run.failure) {
    io.stderr(`pod-cleaner: ${run.failure} (fail-on: ${config.failOn})\n`)
    return 1
  }
  return 0
}
