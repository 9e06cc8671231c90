// The notification part of the Config: which channels are on, their routing and the budget, built
// from the parsed inputs; and what to mask once it is built.

import { parseBarkUrl, type BarkConfig } from '../notify/channels/bark.js'
import type { ChannelsConfig } from '../notify/channels/index.js'
import { parseUrl } from './checks.js'
import { NotifyInputs, type InputValues } from './inputs.js'

/** The channels that are on (a channel without settings is off), and their common budget. */
export interface NotifyConfig extends ChannelsConfig {
  /** Say when an incident resolves (notify-resolved). */
  notifyResolved: boolean
  /** Total budget for all channels, retries included. */
  timeoutMs: number
  /** notify-test: send a sample message to every configured channel. */
  test: boolean
  /** Worth a log line, not an error (e.g. Bark off because no bark-url is set). */
  notices: string[]
}

/**
 * Bark's server and device keys: bark-url is https://host/DEVICE_KEY, or the server alone plus
 * bark-device-keys. Or what bark-url was expected to be.
 */
export function barkTarget(
  url: string,
  keys: string[]
): { server: string; deviceKeys: string[] } | { expected: string } {
  const parsed = parseUrl(url, ['https:', 'http:']) ? parseBarkUrl(url, keys.length > 0) : undefined
  if (!parsed) return { expected: 'an https:// URL like https://api.day.app/DEVICE_KEY' }
  const deviceKeys = [...new Set([...(parsed.key ? [parsed.key] : []), ...keys])]
  if (deviceKeys.length === 0)
    return {
      expected: `a device key in its path (https://api.day.app/DEVICE_KEY) or '${NotifyInputs.BarkDeviceKeys}'`
    }
  return { server: parsed.server, deviceKeys }
}

/** Bark is on when bark-url is set and bark-enabled is not false (rules.ts checked the rest). */
function bark(v: InputValues): BarkConfig | undefined {
  if (v.BarkUrl === '' || !v.BarkEnabled) return undefined
  const target = barkTarget(v.BarkUrl, v.BarkDeviceKeys)
  if ('expected' in target) return undefined
  return {
    ...target,
    encryptionKey: v.BarkEncryptionKey,
    critical: v.BarkCritical,
    group: v.BarkGroup,
    minSeverity: v.BarkMinSeverity
  }
}

/** Channels that are off although something about them is set. */
function notices(v: InputValues): string[] {
  const notices: string[] = []
  if (v.BarkUrl === '' && v.BarkDeviceKeys.length === 0 && v.BarkEnabled)
    notices.push(`Bark notifications are off: '${NotifyInputs.BarkUrl}' is not set.`)
  if (v.BarkUrl !== '' && !v.BarkEnabled)
    notices.push(`Bark notifications are off: '${NotifyInputs.BarkEnabled}' is false.`)
  if (v.SmtpUrl === undefined && (v.EmailFrom !== '' || v.EmailTo.length > 0))
    notices.push(`Email notifications are off: '${NotifyInputs.SmtpUrl}' is not set.`)
  return notices
}

/** A URL turns its channel on. */
export function toNotifyConfig(v: InputValues): NotifyConfig {
  const on = <T>(url: string | undefined, channel: (url: string) => T): T | undefined =>
    url === undefined ? undefined : channel(url)
  return {
    bark: bark(v),
    slack: on(v.SlackWebhook, webhook => ({ webhook, minSeverity: v.SlackMinSeverity })),
    dingtalk: on(v.DingTalkWebhook, webhook => ({
      webhook,
      secret: v.DingTalkSecret,
      minSeverity: v.DingTalkMinSeverity
    })),
    webhook: on(v.WebhookUrl, url => ({
      url,
      secret: v.WebhookSecret,
      minSeverity: v.WebhookMinSeverity
    })),
    email: on(v.SmtpUrl, smtpUrl => ({
      smtpUrl,
      from: v.EmailFrom,
      to: v.EmailTo,
      minSeverity: v.EmailMinSeverity
    })),
    pushgateway: on(v.PushgatewayUrl, url => ({ url })),
    githubIssues:
      v.GithubIssues && v.GithubToken !== undefined
        ? { token: v.GithubToken, labels: v.GithubLabels }
        : undefined,
    notifyResolved: v.NotifyResolved,
    timeoutMs: v.NotifyTimeout * 1000,
    test: v.NotifyTest,
    notices: notices(v)
  }
}

/** Every value to mask (core.setSecret): webhook URLs, device keys, secrets, passwords. */
export function notifySecrets(config: NotifyConfig): string[] {
  const secrets: string[] = []
  if (config.bark) {
    secrets.push(...config.bark.deviceKeys)
    if (config.bark.encryptionKey) secrets.push(config.bark.encryptionKey)
  }
  if (config.slack) secrets.push(config.slack.webhook)
  if (config.dingtalk) {
    secrets.push(config.dingtalk.webhook)
    const token = new URL(config.dingtalk.webhook).searchParams.get('access_token')
    if (token) secrets.push(token)
    if (config.dingtalk.secret) secrets.push(config.dingtalk.secret)
  }
  if (config.webhook) {
    secrets.push(config.webhook.url)
    if (config.webhook.secret) secrets.push(config.webhook.secret)
  }
  if (config.githubIssues) secrets.push(config.githubIssues.token)
  if (config.email) {
    secrets.push(config.email.smtpUrl)
    const password = new URL(config.email.smtpUrl).password
    if (password) secrets.push(password, decodeURIComponent(password))
  }
  return [...new Set(secrets.filter(s => s.length > 0))]
}
