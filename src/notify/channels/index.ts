// The configured channels, one factory per file here. The settings shape is structural so this
// module needs nothing from config/: config's NotifyConfig fits it as is.

import type { HttpOptions } from '../http.js'
import type { Channel } from '../types.js'
import { barkChannel, type BarkConfig } from './bark.js'
import { dingTalkChannel, type DingTalkConfig } from './dingtalk.js'
import { emailChannel, type EmailConfig } from './email.js'
import { githubIssuesChannel, type GitHubIssuesConfig } from '../github-issues/channel.js'
import { pushgatewayChannel, type PushgatewayConfig } from './pushgateway.js'
import { slackChannel, type SlackConfig } from './slack.js'
import { webhookChannel, type WebhookConfig } from './webhook.js'

/** Each channel's settings; a channel without settings is off. */
export interface ChannelsConfig {
  bark?: BarkConfig
  slack?: SlackConfig
  dingtalk?: DingTalkConfig
  webhook?: WebhookConfig
  email?: EmailConfig
  pushgateway?: PushgatewayConfig
  /** Incident records (github-issues): every change, whatever its severity. */
  githubIssues?: GitHubIssuesConfig
}

/** The configured channels, Bark first; Pushgateway takes every run (min severity info). */
export function createChannels(config: ChannelsConfig, http?: Partial<HttpOptions>): Channel[] {
  const channels: Channel[] = []
  if (config.bark) channels.push(barkChannel(config.bark, http))
  if (config.slack) channels.push(slackChannel(config.slack, http))
  if (config.dingtalk) channels.push(dingTalkChannel(config.dingtalk, http))
  if (config.webhook) channels.push(webhookChannel(config.webhook, http))
  if (config.email) channels.push(emailChannel(config.email, http))
  if (config.pushgateway) channels.push(pushgatewayChannel(config.pushgateway, http))
  if (config.githubIssues) channels.push(githubIssuesChannel(config.githubIssues))
  return channels
}
