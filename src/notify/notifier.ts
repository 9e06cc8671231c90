// The Notifier port (cycle/ports.ts) over the configured channels: the run's notification through
// the router, or notify-test's sample. The budget and the run's links are fixed at creation.

import type { Notifier } from '../cycle/ports.js'
import { createChannels, type ChannelsConfig } from './channels/index.js'
import type { HttpOptions } from './http.js'
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
}

export function createNotifier(config: ChannelsConfig, options: NotifierOptions): Notifier {
  const channels = orderChannels(options.channels ?? createChannels(config, options.http))
  const run = options.run ?? {}
  return {
    channels: channels.map(c => c.name),
    send: result =>
      notify(buildNotification(result, run), channels, { budgetMs: options.budgetMs }),
    test: () => notifyTest(channels, run, { budgetMs: options.budgetMs })
  }
}
