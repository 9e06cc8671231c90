// The Notifier port (cycle/ports.ts) over the configured channels: the run's digest of incident
// changes through the router (or, without a state file, the whole run's notification as before),
// or notify-test's sample. The budget and the run's links are fixed at creation.

import type { IncidentArchive, Notifier } from '../cycle/ports.js'
import { createChannels, type ChannelsConfig } from './channels/index.js'
import type { HttpOptions } from './http.js'
import { channelDigest, digestItems } from './digest.js'
import { buildNotification } from './message.js'
import { notify, orderChannels } from './router.js'
import { notifyTest } from './test-message.js'
import type { Channel, RunContext } from './types.js'

export interface NotifierOptions {
  /** Total time for all channels of one send, retries included. */
  budgetMs: number
  /** Links and names from the environment (the GitHub run). */
  run?: RunContext
  /** The channels to use instead of those `config` sets up (tests, a channel of one's own). */
  channels?: readonly Channel[]
  /** Retry tuning and transport for the web channels. */
  http?: Partial<HttpOptions>
  /** Tell when an incident resolves (notify-resolved; default true). */
  notifyResolved?: boolean
}

export function createNotifier(config: ChannelsConfig, options: NotifierOptions): Notifier {
  const run = options.run ?? {}
  // Issues go to the run's repository, through the run's API (GitHub Enterprise Server).
  const githubIssues = config.githubIssues && {
    repository: run.repository,
    apiUrl: run.apiUrl,
    ...config.githubIssues
  }
  const channels = orderChannels(
    options.channels ?? createChannels({ ...config, githubIssues }, options.http)
  )
  const archive = channels.find(
    (c): c is Channel & IncidentArchive =>
      'openIncidents' in c && typeof c.openIncidents === 'function'
  )
  return {
    channels: channels.map(c => c.name),
    archive,
    send: result => {
      const budget = { budgetMs: options.budgetMs }
      // Without memory across runs every run is judged alone, as before incidents existed.
      if (!result.incidents.remembered)
        return notify(buildNotification(result, run), channels, budget)
      const items = digestItems(result)
      const notifyResolved = options.notifyResolved ?? true
      return notify(
        channel => channelDigest(result, items, channel, run, { notifyResolved }),
        channels,
        budget
      )
    },
    test: () => notifyTest(channels, run, { budgetMs: options.budgetMs })
  }
}
