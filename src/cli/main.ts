// Entry of the local CLI: the same cycle as the Action, with flags named like the inputs.
//   pod-cleaner scan [--kubeconfig F] [--context C] [-n NS …] [--file pods.json] [--output table|json]
//   pod-cleaner run [--dry-run] …
//   pod-cleaner show result.json | pod-cleaner notify-test …
//   pod-cleaner aggregate --results DIR --clusters a,b,c [--summary F] [--output json]

import { isUnexpected, sourceStack } from '../app/failure.js'
import type { Config } from '../config/config.js'
import { consoleSink, createLogger } from '../lib/logger.js'
import { parseCommandLine, usage, type CommandLine } from './args.js'
import { aggregate } from './commands/aggregate.js'
import { cycle } from './commands/cycle.js'
import { notifyTest } from './commands/notify-test.js'
import { show } from './commands/show.js'
import { configFromFlags } from './config.js'
import { fail, messageOf, processIo, type CliIo } from './io.js'

export { usage } from './args.js'
export { useColor, type CliIo } from './io.js'

const COMMANDS = ['scan', 'run', 'notify-test'] as const
type Command = (typeof COMMANDS)[number]
const isCommand = (word: string): word is Command => (COMMANDS as readonly string[]).includes(word)

/**
 * Runs one command; returns the exit code (0 ok, 1 fail-on, a failed channel or an error nobody
 * expected, 2 bad usage or input). An unexpected error (a bug, an untranslated system error)
 * prints its stack trace in src/ files and lines (app/failure.ts), for a bug report.
 */
export async function main(argv: string[], io: CliIo = processIo): Promise<number> {
  try {
    return await command(argv, io)
  } catch (error) {
    io.stderr(`pod-cleaner: ${messageOf(error)}\n`)
    if (error instanceof Error && isUnexpected(error))
      io.stderr(`Unexpected error (please report it with these lines):\n${sourceStack(error)}\n`)
    return 1
  }
}

async function command(argv: string[], io: CliIo): Promise<number> {
  let line: CommandLine
  try {
    line = parseCommandLine(argv)
  } catch (error) {
    io.stderr(`pod-cleaner: ${messageOf(error)}\n\n${usage()}\n`)
    return 2
  }
  const { command } = line
  if (line.help || command === undefined || command === 'help') {
    io.stdout(`${usage()}\n`)
    return command === undefined && !line.help ? 2 : 0
  }
  if (command === 'show') return show(line.operand, io)
  if (command === 'aggregate') return aggregate(line, io)
  if (!isCommand(command))
    return fail(
      io,
      `unknown command ${JSON.stringify(command)}; expected scan, run, show, notify-test or aggregate.`
    )
  const output = line.output ?? 'table'
  if (output !== 'table' && output !== 'json')
    return fail(io, `--output ${JSON.stringify(output)} is not valid; expected table or json.`)

  let config: Config
  try {
    config = configFromFlags(line)
  } catch (error) {
    return fail(io, messageOf(error))
  }
  const logger = createLogger(consoleSink(line.verbose), config.logFormat)
  if (command === 'notify-test' || config.notify.test) return notifyTest(config, logger, io)
  return cycle({ command, file: line.file, output, summary: line.summary }, config, logger, io)
}
