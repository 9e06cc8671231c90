// run(): inputs → Config → cycle → outputs, summary, exit status. One setFailed, at the top.

import * as core from '@actions/core'
import { runNotifyTest, runWithConfig } from '../app/wiring.js'
import { failOnReason } from '../domain/fail-on.js'
import { buildConfig, decodeKubeconfig } from '../config/config.js'
import { Inputs, SECRET_INPUTS, type ActionInputName } from '../config/inputs.js'
import { isKubeconfigPath } from '../config/specs/cluster.js'
import { kubeconfigSecrets } from '../kube/kubeconfig.js'
import { notifySecrets } from '../config/notify.js'
import { createLogger } from '../lib/logger.js'
import { coreSink, failed, writeSummary } from './job.js'
import { annotations } from '../report/annotations.js'
import { outputs } from '../report/outputs.js'
import { renderNotifyTest, renderSummary } from '../report/summary.js'
import type { CycleResult } from '../domain/result.js'
import { writeResultFile } from '../store/result-files.js'

/** The one place the Action reads its inputs. */
const input = (name: ActionInputName): string => core.getInput(name)

/** Masks every secret input, and every secret inside the kubeconfig, before anything can log. */
function maskInputs(): void {
  const raw = input(Inputs.Kubeconfig)
  // A path is no secret (the file's credentials are masked once it is read).
  const path = isKubeconfigPath(raw)
  for (const name of SECRET_INPUTS) {
    const value = input(name).trim()
    if (value && !(name === Inputs.Kubeconfig && path)) core.setSecret(value)
  }
  if (raw.trim() === '' || path) return
  const decoded = decodeKubeconfig(raw)
  for (const secret of kubeconfigSecrets(decoded || raw)) core.setSecret(secret)
}

/**
 * auth: github-oidc — the job's OIDC token for the cluster's audience. GitHub sets the request
 * variables only when the job may ask (permissions: id-token: write); say so instead of core's
 * "Unable to get ACTIONS_ID_TOKEN_REQUEST_URL env variable".
 */
async function idToken(audience: string): Promise<string> {
  if (!process.env.ACTIONS_ID_TOKEN_REQUEST_URL || !process.env.ACTIONS_ID_TOKEN_REQUEST_TOKEN)
    throw new Error(
      "this job may not request an OIDC token (ACTIONS_ID_TOKEN_REQUEST_URL is not set); expected 'permissions: id-token: write' on the job or the workflow (a reusable workflow's caller must grant it too)"
    )
  return core.getIDToken(audience)
}

/** result-file: a result that cannot be written is a warning (the fleet shows "no result"). */
function saveResult(path: string, result: CycleResult): void {
  try {
    writeResultFile(path, result)
  } catch (error) {
    core.warning(
      `Could not write result-file ${path}: ${error instanceof Error ? error.message : String(error)}`
    )
  }
}

export async function run(): Promise<void> {
  let result: CycleResult | undefined
  try {
    maskInputs()
    const config = buildConfig(input)
    for (const secret of notifySecrets(config.notify)) core.setSecret(secret)
    const logger = createLogger(coreSink, config.logFormat)
    if (config.notify.test) {
      // notify-test: one sample notification to every channel; the cluster is not touched.
      const outcomes = await runNotifyTest(config, logger)
      await writeSummary(renderNotifyTest(outcomes))
      const failed = outcomes.filter(o => o.status === 'failed')
      if (outcomes.length === 0 || failed.length > 0) {
        core.setFailed(
          `notify-test: ${outcomes.length === 0 ? 'no channel is configured' : `${failed.length} channel(s) failed`}`
        )
      }
      return
    }
    result = await runWithConfig(config, logger, secret => core.setSecret(secret), {}, { idToken })
    if (config.resultFile) saveResult(config.resultFile, result)

    for (const [name, value] of Object.entries(outputs(result))) core.setOutput(name, value)
    for (const a of annotations(result)) {
      if (a.level === 'error') core.error(a.message, { title: a.title })
      else core.warning(a.message, { title: a.title })
    }
    const failure = failOnReason(result, config.failOn)
    if (failure) core.setFailed(`Pod Cleaner: ${failure} (fail-on: ${config.failOn})`)
  } catch (error) {
    // Bad input and unusable kubeconfigs end here: a clear message, nothing was deleted. An
    // unexpected error also logs its stack trace in src/ terms (job.ts).
    failed(error)
  } finally {
    if (result) await writeSummary(renderSummary(result))
  }
}
