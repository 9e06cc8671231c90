// The notifications module's public face: config → channels → notify(buildNotification(result)).

export type { Channel, Notification, RunContext, SendOutcome, Severity } from './types.js'
export { SEVERITY_RANK } from './types.js'
export {
  createChannels,
  NOTIFY_INPUT_DEFAULTS,
  NotifyInputs,
  notifySecrets,
  parseNotifyConfig,
  type NotifyConfig,
  type NotifyInputName,
  type NotifyInputSource
} from '../config/notify.js'
export { buildNotification, runContextFromEnv, severityOf } from './message.js'
export { notify, outcomeLine, type NotifyOptions } from './router.js'
export { notifyTest, sampleNotification } from './test-message.js'
