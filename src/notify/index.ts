// The notifications module's public face: channels → notify(buildNotification(result)), and the
// Notifier port the wiring uses. Notification settings are read in config/notify.ts.

export type { Channel, Notification, RunContext, SendOutcome, Severity } from './types.js'
export { SEVERITY_RANK } from './types.js'
export { createChannels, type ChannelsConfig } from './channels/index.js'
export { buildNotification, runContextFromEnv, severityOf } from './message.js'
export { createNotifier, type NotifierOptions } from './notifier.js'
export { notify, outcomeLine, type NotifyOptions } from './router.js'
export { notifyTest, sampleNotification } from './test-message.js'
