// The notification settings' public face (notify/index.ts re-exports it): the names, defaults and
// NotifyConfig of the notification inputs, the values to mask, and the channels they turn on.

import { buildConfig, parseConfig } from './config.js'
import { NotifyInputs, type NotifyInputName } from './inputs.js'
import type { NotifyConfig } from './notify-config.js'

export { NOTIFY_INPUT_DEFAULTS, NotifyInputs, type NotifyInputName } from './inputs.js'
export { notifySecrets, type NotifyConfig } from './notify-config.js'

/** Reads one raw notification input; returns '' when it is not set (core.getInput fits). */
export type NotifyInputSource = (name: NotifyInputName) => string

const NOTIFY_NAMES = new Set<string>(Object.values(NotifyInputs))

/** The notification inputs alone (the others at their defaults): the NotifyConfig, or problems. */
export function parseNotifyConfig(input: NotifyInputSource): {
  config: NotifyConfig
  problems: string[]
} {
  const parsed = parseConfig(name => (NOTIFY_NAMES.has(name) ? input(name as NotifyInputName) : ''))
  if ('config' in parsed) return { config: parsed.config.notify, problems: [] }
  // Nothing configured, with the problems that kept it so.
  return { config: buildConfig(() => '').notify, problems: parsed.problems }
}
