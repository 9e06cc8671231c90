// What both Actions of this repository (the Action and the fleet's aggregate) say to the
// runner: log lines through @actions/core, and the job summary, whose failure is only a warning.

import * as core from '@actions/core'
import type { LogSink } from '../lib/logger.js'

export const coreSink: LogSink = {
  debug: line => core.debug(line),
  info: line => core.info(line),
  notice: line => core.notice(line),
  warning: line => core.warning(line),
  error: line => core.error(line),
  group: (name, fn) => core.group(name, fn)
}

/** A summary that cannot be written is a warning, never the run's failure. */
export async function writeSummary(markdown: string): Promise<void> {
  try {
    await core.summary.addRaw(markdown).write()
  } catch (error) {
    core.warning(
      `Could not write the job summary: ${error instanceof Error ? error.message : String(error)}`
    )
  }
}
