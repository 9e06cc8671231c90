// What both Actions of this repository (the Action and the fleet's aggregate) say to the
// runner: log lines through @actions/core, and the job summary, whose failure is only a warning.

import * as core from '@actions/core'
import { isUnexpected, sourceStack } from '../app/failure.js'
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

/**
 * The run's failure: its message as the step's error. An unexpected error (a bug) also prints its
 * stack trace in src/ files and lines to the log first — plain log lines, not an annotation: the
 * annotation stays one readable line, the trace is there to copy into a bug report.
 */
export function failed(error: unknown): void {
  const message = error instanceof Error ? error.message : String(error)
  if (error instanceof Error && isUnexpected(error)) {
    core.info(`Unexpected error (please report it with these lines):\n${sourceStack(error)}`)
  }
  core.setFailed(message)
}
