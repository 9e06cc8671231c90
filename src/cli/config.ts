// Flags → Config: the same buildConfig as the Action, with two CLI conveniences — --kubeconfig is
// a file to read, and -n NS (repeatable) adds to --namespaces.

import { readFileSync } from 'node:fs'
import { buildConfig, ConfigError, type Config } from '../config/config.js'
import { Inputs } from '../config/inputs.js'
import type { CommandLine } from './args.js'
import { messageOf } from './io.js'

function readKubeconfig(file: string | undefined): string {
  if (!file) return ''
  try {
    return readFileSync(file, 'utf8')
  } catch (error) {
    const why = (error as NodeJS.ErrnoException).code ?? messageOf(error)
    throw new ConfigError([
      `--kubeconfig ${file}: cannot read the file (${why}); expected a readable kubeconfig file.`
    ])
  }
}

/** Throws ConfigError listing every problem. */
export function configFromFlags(line: CommandLine): Config {
  const kubeconfig = readKubeconfig(line.inputs[Inputs.Kubeconfig])
  const namespaces = [...line.namespace, line.inputs[Inputs.Namespaces] ?? '']
    .filter(Boolean)
    .join(',')
  return buildConfig(name => {
    if (name === Inputs.Kubeconfig) return kubeconfig
    if (name === Inputs.Namespaces) return namespaces
    return line.inputs[name] ?? ''
  })
}
