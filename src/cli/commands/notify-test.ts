// `pod-cleaner notify-test` (or --notify-test): a sample message to every configured channel;
// the cluster is not touched. Exit 0 only when there is a channel and none failed.

import { runNotifyTest } from '../../app/wiring.js'
import type { Config } from '../../config/config.js'
import type { Logger } from '../../lib/logger.js'
import { notificationText } from '../../report/summary.js'
import type { CliIo } from '../io.js'

export async function notifyTest(config: Config, logger: Logger, io: CliIo): Promise<number> {
  const outcomes = await runNotifyTest(config, logger)
  for (const o of outcomes) io.stdout(`${notificationText(o)}\n`)
  return outcomes.length > 0 && outcomes.every(o => o.status !== 'failed') ? 0 : 1
}
