// What the Action and the CLI share: from a Config to a finished CycleResult, and the exit policy.

import type { Config } from '../config/config.js'
import { runCycle, type CycleOptions } from '../cycle/run.js'
import { createCluster } from '../kube/cluster.js'
import { keylessKubeConfig, type IdTokenProvider } from '../kube/github-oidc.js'
import { describeIdentity } from '../kube/identity.js'
import { Inputs } from '../config/inputs.js'
import { InputError } from '../domain/errors.js'
import {
  KubeConfigError,
  kubeconfigSecrets,
  loadKubeConfig,
  type LoadedKubeConfig
} from '../kube/kubeconfig.js'
import type { Logger } from '../lib/logger.js'
import { createNotifier, outcomeLine, runContextFromEnv } from '../notify/index.js'
import type { CycleResult } from '../domain/result.js'
import { fileStateStore } from '../store/state-file.js'
import type { NotificationOutcome, Notifier } from '../cycle/ports.js'

/** The kubeconfig, loaded and checked; its problems name the input to change. */
function loadCluster(config: Config): LoadedKubeConfig {
  if (config.auth.kind === 'github-oidc')
    return keylessKubeConfig(config.auth.server, config.auth.certificateAuthority)
  try {
    return loadKubeConfig(config.kubeconfig, config.context, config.kubeconfigFile)
  } catch (error) {
    if (!(error instanceof KubeConfigError)) throw error
    const input = error.field === 'context' ? Inputs.Context : Inputs.Kubeconfig
    throw new InputError([`Input '${input}': ${error.message}`])
  }
}

/** What only the caller can give: the Action asks GitHub for the job's OIDC token. */
export interface Access {
  /** auth: github-oidc — the job's ID token for an audience (core.getIDToken). */
  idToken?: IdTokenProvider
}

/** Without a token provider (the CLI), auth: github-oidc cannot work: say so when it is used. */
const noIdToken: IdTokenProvider = () =>
  Promise.reject(
    new Error(
      "only the Action can ask GitHub for the job's OIDC token; expected the Pod Cleaner Action step in a workflow job"
    )
  )

/** Loads the kubeconfig (masking every secret in it first) and runs one cycle. */
export async function runWithConfig(
  config: Config,
  logger: Logger,
  mask: (secret: string) => void,
  options: CycleOptions = {},
  access: Access = {}
): Promise<CycleResult> {
  const loaded = loadCluster(config)
  for (const secret of kubeconfigSecrets(loaded.kubeConfig.exportConfig())) mask(secret)
  logger.info(`Cluster: context ${loaded.contextName} from ${loaded.source}`)
  // One deadline for the whole run: no retry starts past it, and every step ends by it.
  const deadline = Date.now() + config.timeoutSeconds * 1000
  for (const warning of loaded.warnings ?? []) logger.warning(warning)
  const cluster = createCluster(loaded, {
    requestTimeoutMs: config.requestTimeoutSeconds * 1000,
    deadline,
    onRetry: message => logger.warning(message),
    mask,
    githubOidc:
      config.auth.kind === 'github-oidc'
        ? { audience: config.auth.audience, provider: access.idToken ?? noIdToken }
        : undefined
  })
  // Who we are, before anything is listed: a credential that cannot be had or is refused stops here.
  const identity = await cluster.whoAmI().catch(error => {
    throw new Error(cluster.describeError(error))
  })
  logger.info(`Acting as ${describeIdentity(identity)}; credentials: ${cluster.credentials}`)
  const state = config.stateFile ? fileStateStore(config.stateFile) : undefined
  // The open GitHub issues remember incidents too: a state that lost them recalls them there.
  const archive = state ? configuredNotifier(config).archive : undefined
  const result = await runCycle(
    config,
    { cluster, logger, state, archive },
    { ...options, deadline }
  )
  result.cluster.identity = identity
  result.cluster.credentials = cluster.credentials
  result.warnings.unshift(...(loaded.warnings ?? []))
  if (!options.scanOnly)
    await sendNotifications(result, config, logger, configuredNotifier(config, deadline))
  return result
}

/**
 * The channels `config` sets up, linking to this run, within the notification budget — and
 * within the run's deadline when there is one (the cycle leaves time for this), so the run ends
 * within its timeout.
 */
export function configuredNotifier(config: Config, deadline?: number): Notifier {
  const left = deadline === undefined ? Infinity : Math.max(1000, deadline - Date.now())
  return createNotifier(config.notify, {
    budgetMs: Math.min(config.notify.timeoutMs, left),
    run: runContextFromEnv(),
    notifyResolved: config.notify.notifyResolved
  })
}

/** Step 7: tell people. Never fails or stalls the cleanup: bounded, outcomes go into the result. */
export async function sendNotifications(
  result: CycleResult,
  config: Config,
  logger: Logger,
  notifier: Notifier = configuredNotifier(config)
): Promise<void> {
  for (const notice of config.notify.notices) logger.debug(notice)
  if (notifier.channels.length === 0) return
  result.notifications = await notifier.send(result)
  for (const outcome of result.notifications) {
    if (outcome.status === 'failed') logger.warning(`Notification ${outcomeLine(outcome)}`)
    else logger.info(`Notification ${outcomeLine(outcome)}`)
  }
}

/** notify-test: a sample message to every configured channel; the cluster is not touched. */
export async function runNotifyTest(
  config: Config,
  logger: Logger,
  notifier: Notifier = configuredNotifier(config)
): Promise<NotificationOutcome[]> {
  if (notifier.channels.length === 0) {
    logger.warning(
      'notify-test: no notification channel is configured (bark-url, slack-webhook, dingtalk-webhook, webhook-url, smtp-url, pushgateway-url)'
    )
    return []
  }
  const outcomes = await notifier.test()
  for (const outcome of outcomes) logger.info(`notify-test ${outcomeLine(outcome)}`)
  return outcomes
}
