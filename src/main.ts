// run(): inputs → Config → cycle → outputs, summary, exit status. One setFailed, at the top.

import * as core from '@actions/core'
import { failureReason, runWithConfig } from './app.js'
import { buildConfig, decodeKubeconfig } from './config.js'
import { Inputs } from './constants.js'
import { kubeconfigSecrets } from './kube/kubeconfig.js'
import { createLogger, type LogSink } from './logger.js'
import { annotations, outputs, renderSummary } from './report.js'
import type { CycleResult } from './result.js'

const coreSink: LogSink = {
  debug: line => core.debug(line),
  info: line => core.info(line),
  notice: line => core.notice(line),
  warning: line => core.warning(line),
  error: line => core.error(line),
  group: (name, fn) => core.group(name, fn)
}

/** Masks the kubeconfig input and every secret inside it before anything can log. */
function maskInputs(): void {
  const raw = core.getInput(Inputs.Kubeconfig)
  if (raw.trim() === '') return
  core.setSecret(raw.trim())
  const decoded = decodeKubeconfig(raw)
  for (const secret of kubeconfigSecrets(decoded || raw)) core.setSecret(secret)
}

export async function run(): Promise<void> {
  let result: CycleResult | undefined
  try {
    maskInputs()
    const config = buildConfig(name => core.getInput(name))
    const logger = createLogger(coreSink, config.logFormat)
    result = await runWithConfig(config, logger, secret => core.setSecret(secret))

    for (const [name, value] of Object.entries(outputs(result))) core.setOutput(name, value)
    for (const a of annotations(result)) {
      if (a.level === 'error') core.error(a.message, { title: a.title })
      else core.warning(a.message, { title: a.title })
    }
    const failure = failureReason(result, config.failOn)
    if (failure) core.setFailed(`Pod Cleaner: ${failure} (fail-on: ${config.failOn})`)
  } catch (error) {
    // Bad input and unusable kubeconfigs end here: a clear message, nothing was deleted.
    core.setFailed(error instanceof Error ? error.message : String(error))
  } finally {
    if (result) {
      try {
        await core.summary.addRaw(renderSummary(result)).write()
      } catch (error) {
        core.warning(
          `Could not write the job summary: ${error instanceof Error ? error.message : String(error)}`
        )
      }
    }
  }
}
