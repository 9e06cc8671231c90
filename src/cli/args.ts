// The command line: one flag per input (from the input specs, so names, defaults, help and allowed
// values are the Action's), plus the CLI's own flags; and the help generated from the same specs.

import { parseArgs } from 'node:util'
import { AGGREGATE_INPUTS } from '../config/aggregate.js'
import type { InputSpec } from '../config/field.js'
import { BOOLEAN_INPUTS, INPUT_SPECS, type ActionInputName } from '../config/inputs.js'

/** aggregate's own flags (its fail-on and notification flags are the Action's). */
const AGGREGATE_FLAGS = [
  AGGREGATE_INPUTS.Results,
  AGGREGATE_INPUTS.Clusters,
  AGGREGATE_INPUTS.FleetName
] as const

/** The CLI's own flags, besides one per input. */
const OWN_FLAGS = {
  file: { type: 'string' },
  output: { type: 'string' },
  summary: { type: 'string' },
  verbose: { type: 'boolean', short: 'v' },
  help: { type: 'boolean', short: 'h' },
  namespace: { type: 'string', short: 'n', multiple: true }
} as const

const OWN_HELP = [
  '  -n NS                     same as --namespaces, repeatable',
  '  --file FILE               scan: decide offline from `kubectl get pods -A -o json`',
  '  --output table|json       output format (default: table)',
  '  --summary FILE            also write the Markdown job summary to FILE',
  '  -v, --verbose             debug logs',
  '  -h, --help                this help'
]

const COMMANDS = [
  'Commands:',
  '  scan   list, detect and decide; print what would be done (read-only)',
  '  run    the full cycle: delete the broken pods (add --dry-run for a server-side dry run)',
  '  show   print a saved `result` output (JSON file) as a table',
  '  notify-test  send a sample message to every configured channel (like curl to Bark)',
  "  aggregate    one fleet summary and notification from many clusters' results (--results DIR",
  '               --clusters LIST; --output markdown|json)'
]

export interface CommandLine {
  command?: string
  /** The word after the command (show's file). */
  operand?: string
  file?: string
  output?: string
  summary?: string
  verbose: boolean
  help: boolean
  /** -n NS, in order. */
  namespace: string[]
  /** Input flags as given (strings, like Action inputs). */
  inputs: Partial<Record<ActionInputName, string>>
  /** aggregate's own flags as given (--results, --clusters, --fleet-name). */
  aggregate: Record<string, string>
}

/** One help line's text: an enumeration lists every allowed value. */
export function helpText(spec: InputSpec): string {
  if (!spec.values) return spec.help
  const values = spec.values.join(' | ')
  return spec.help ? `${values}: ${spec.help}` : values
}

export function usage(): string {
  const flags = INPUT_SPECS.map(spec => {
    const def = spec.default ? ` [default: ${spec.default}]` : ''
    return `  --${spec.name.padEnd(24)}${helpText(spec)}${def}`
  })
  return [
    'Usage: pod-cleaner <command> [flags]',
    '',
    ...COMMANDS,
    '',
    'Flags (same names and defaults as the Action inputs):',
    ...flags,
    ...AGGREGATE_FLAGS.map(spec => `  --${spec.name.padEnd(24)}${spec.help}`),
    ...OWN_HELP
  ].join('\n')
}

const BOOLEAN_FLAGS = new Set<string>(BOOLEAN_INPUTS)

/** Lets boolean flags stand alone (`--dry-run`) or take a value (`--dry-run=false`). */
function normalizeBooleans(argv: string[]): string[] {
  const out: string[] = []
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string
    out.push(arg)
    if (arg.startsWith('--') && !arg.includes('=') && BOOLEAN_FLAGS.has(arg.slice(2))) {
      const next = argv[i + 1]
      if (next === undefined || next.startsWith('-')) out.push('true')
    }
  }
  return out
}

/** Parses argv; throws (node:util's message) on an unknown flag or a missing value. */
export function parseCommandLine(argv: string[]): CommandLine {
  const inputFlags = Object.fromEntries(
    [...INPUT_SPECS, ...AGGREGATE_FLAGS].map(spec => [spec.name, { type: 'string' } as const])
  )
  const { values, positionals } = parseArgs({
    args: normalizeBooleans(argv),
    options: { ...inputFlags, ...OWN_FLAGS },
    allowPositionals: true,
    strict: true
  })
  const given: Record<string, unknown> = values
  const inputs: CommandLine['inputs'] = {}
  for (const spec of INPUT_SPECS) {
    const value = given[spec.name]
    if (typeof value === 'string') inputs[spec.name] = value
  }
  const aggregate: Record<string, string> = {}
  for (const spec of AGGREGATE_FLAGS) {
    const value = given[spec.name]
    if (typeof value === 'string') aggregate[spec.name] = value
  }
  return {
    command: positionals[0],
    operand: positionals[1],
    file: values.file,
    output: values.output,
    summary: values.summary,
    verbose: values.verbose === true,
    help: values.help === true,
    namespace: values.namespace ?? [],
    inputs,
    aggregate
  }
}
