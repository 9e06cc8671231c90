// Notification settings, read once from raw inputs (Action inputs or CLI flags) into one typed
// NotifyConfig. Every problem is collected; each names the input, the value (secrets redacted)
// and the expected form — the style of ../config.ts.

import { NotifyInputs, type NotifyInputName } from '../constants.js'
import { parseDuration, parseList } from '../lib/parse.js'
import { barkChannel, parseBarkUrl, type BarkConfig } from '../notify/channels/bark.js'
import { dingTalkChannel, type DingTalkConfig } from '../notify/channels/dingtalk.js'
import { emailChannel, type EmailConfig } from '../notify/channels/email.js'
import type { HttpOptions } from '../notify/http.js'
import { pushgatewayChannel, type PushgatewayConfig } from '../notify/channels/pushgateway.js'
import { slackChannel, type SlackConfig } from '../notify/channels/slack.js'
import type { Channel, Severity } from '../notify/types.js'
import { webhookChannel, type WebhookConfig } from '../notify/channels/webhook.js'

export { NotifyInputs, type NotifyInputName }

/** Defaults, exactly as action.yml declares them. */
export const NOTIFY_INPUT_DEFAULTS: Record<NotifyInputName, string> = {
  [NotifyInputs.BarkUrl]: '',
  [NotifyInputs.BarkDeviceKeys]: '',
  [NotifyInputs.BarkEnabled]: 'true',
  [NotifyInputs.BarkEncryptionKey]: '',
  [NotifyInputs.BarkCritical]: 'false',
  [NotifyInputs.BarkMinSeverity]: 'warning',
  [NotifyInputs.BarkGroup]: '',
  [NotifyInputs.SlackWebhook]: '',
  [NotifyInputs.SlackMinSeverity]: 'warning',
  [NotifyInputs.DingTalkWebhook]: '',
  [NotifyInputs.DingTalkSecret]: '',
  [NotifyInputs.DingTalkMinSeverity]: 'warning',
  [NotifyInputs.WebhookUrl]: '',
  [NotifyInputs.WebhookSecret]: '',
  [NotifyInputs.WebhookMinSeverity]: 'warning',
  [NotifyInputs.SmtpUrl]: '',
  [NotifyInputs.EmailFrom]: '',
  [NotifyInputs.EmailTo]: '',
  [NotifyInputs.EmailMinSeverity]: 'warning',
  [NotifyInputs.PushgatewayUrl]: '',
  [NotifyInputs.NotifyTimeout]: '30s',
  [NotifyInputs.NotifyTest]: 'false'
}

/** Reads one raw input; returns '' when it is not set (core.getInput fits). */
export type NotifyInputSource = (name: NotifyInputName) => string

export interface NotifyConfig {
  bark?: BarkConfig
  slack?: SlackConfig
  dingtalk?: DingTalkConfig
  webhook?: WebhookConfig
  email?: EmailConfig
  pushgateway?: PushgatewayConfig
  /** Total budget for all channels, retries included. */
  timeoutMs: number
  /** notify-test: send a sample message to every configured channel. */
  test: boolean
  /** Worth a log line, not an error (e.g. Bark off because no bark-url is set). */
  notices: string[]
}

const SEVERITIES: readonly Severity[] = ['info', 'warning', 'critical']
const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]'])
const EMAIL = /^[^\s@<>]+@[^\s@<>]+\.?[^\s@<>]*$/

/** A value safe to show: a URL keeps only scheme and host (paths and queries hold tokens). */
export function redact(value: string): string {
  let shown: string
  try {
    const url = new URL(value)
    const hidden = url.pathname.replace(/\/+$/, '') !== '' || url.search !== '' || url.username
    shown = `${url.protocol}//${url.host}${hidden ? '/***' : ''}`
  } catch {
    shown = value.length <= 12 ? value : `${value.slice(0, 4)}***`
  }
  return JSON.stringify(shown)
}

function parseUrl(
  value: string,
  schemes: readonly string[],
  httpAnywhere = false
): URL | undefined {
  try {
    const url = new URL(value)
    if (!schemes.includes(url.protocol) || url.hostname === '') return undefined
    // Secrets travel in these URLs: plain http only to this machine (tests, a local relay).
    if (url.protocol === 'http:' && !httpAnywhere && !LOOPBACK.has(url.hostname)) return undefined
    return url
  } catch {
    return undefined
  }
}

export function parseNotifyConfig(input: NotifyInputSource): {
  config: NotifyConfig
  problems: string[]
} {
  const problems: string[] = []
  const notices: string[] = []
  const raw = (name: NotifyInputName): string => {
    const value = (input(name) ?? '').trim()
    return value === '' ? NOTIFY_INPUT_DEFAULTS[name] : value
  }
  const fail = (name: NotifyInputName, shown: string, expected: string): void => {
    problems.push(`Input '${name}': ${shown} is not valid; expected ${expected}.`)
  }
  const boolean = (name: NotifyInputName): boolean => {
    const value = raw(name)
    if (['true', 'True', 'TRUE'].includes(value)) return true
    if (['false', 'False', 'FALSE'].includes(value)) return false
    fail(name, JSON.stringify(value), 'true or false')
    return NOTIFY_INPUT_DEFAULTS[name] === 'true'
  }
  const severity = (name: NotifyInputName): Severity => {
    const value = raw(name)
    if ((SEVERITIES as readonly string[]).includes(value)) return value as Severity
    fail(name, JSON.stringify(value), `one of ${SEVERITIES.join(', ')}`)
    return NOTIFY_INPUT_DEFAULTS[name] as Severity
  }
  const httpsUrl = (name: NotifyInputName, example: string): string | undefined => {
    const value = raw(name)
    if (value === '') return undefined
    if (parseUrl(value, ['https:', 'http:'])) return value
    fail(name, redact(value), `an https:// URL like ${example}`)
    return undefined
  }
  const secret = (name: NotifyInputName): string | undefined => raw(name) || undefined

  // Bark: bark-url is https://host/DEVICE_KEY (the original BARK_BASE_URL) or the server plus
  // bark-device-keys. No URL → Bark is off, with a notice (the original default was "enabled").
  let bark: BarkConfig | undefined
  const barkEnabled = boolean(NotifyInputs.BarkEnabled)
  const barkUrl = raw(NotifyInputs.BarkUrl)
  const deviceKeys = parseList(raw(NotifyInputs.BarkDeviceKeys))
  const barkCritical = boolean(NotifyInputs.BarkCritical)
  const barkMinSeverity = severity(NotifyInputs.BarkMinSeverity)
  const encryptionKey = secret(NotifyInputs.BarkEncryptionKey)
  if (encryptionKey !== undefined && ![16, 24, 32].includes(Buffer.byteLength(encryptionKey))) {
    problems.push(
      `Input '${NotifyInputs.BarkEncryptionKey}': a key of ${Buffer.byteLength(encryptionKey)} bytes is not valid; expected 32 characters for AES-256 (or 16/24 for AES-128/192), as set in the Bark app's push encryption.`
    )
  }
  for (const key of deviceKeys) {
    if (!/^[A-Za-z0-9_-]+$/.test(key)) {
      fail(
        NotifyInputs.BarkDeviceKeys,
        redact(key),
        'Bark device keys (letters and digits), separated by commas or new lines'
      )
    }
  }
  if (barkUrl === '') {
    if (deviceKeys.length > 0) {
      problems.push(
        `Input '${NotifyInputs.BarkDeviceKeys}' is set but '${NotifyInputs.BarkUrl}' is not; expected bark-url with the server, like https://api.day.app.`
      )
    } else if (barkEnabled) {
      notices.push(`Bark notifications are off: '${NotifyInputs.BarkUrl}' is not set.`)
    }
  } else if (!barkEnabled) {
    notices.push(`Bark notifications are off: '${NotifyInputs.BarkEnabled}' is false.`)
  } else {
    const parsed = parseUrl(barkUrl, ['https:', 'http:'])
      ? parseBarkUrl(barkUrl, deviceKeys.length > 0)
      : undefined
    if (!parsed) {
      fail(
        NotifyInputs.BarkUrl,
        redact(barkUrl),
        'an https:// URL like https://api.day.app/DEVICE_KEY'
      )
    } else {
      const keys = [...new Set([...(parsed.key ? [parsed.key] : []), ...deviceKeys])]
      if (keys.length === 0) {
        fail(
          NotifyInputs.BarkUrl,
          redact(barkUrl),
          `a device key in its path (https://api.day.app/DEVICE_KEY) or '${NotifyInputs.BarkDeviceKeys}'`
        )
      } else {
        bark = {
          server: parsed.server,
          deviceKeys: keys,
          encryptionKey,
          critical: barkCritical,
          group: raw(NotifyInputs.BarkGroup) || undefined,
          minSeverity: barkMinSeverity
        }
      }
    }
  }

  // Slack, DingTalk and the generic webhook: a URL turns the channel on.
  const slackWebhook = httpsUrl(
    NotifyInputs.SlackWebhook,
    'https://hooks.slack.com/services/T…/B…/…'
  )
  const slackMinSeverity = severity(NotifyInputs.SlackMinSeverity)
  const slack = slackWebhook ? { webhook: slackWebhook, minSeverity: slackMinSeverity } : undefined

  const dingWebhook = httpsUrl(
    NotifyInputs.DingTalkWebhook,
    'https://oapi.dingtalk.com/robot/send?access_token=…'
  )
  const dingSecret = secret(NotifyInputs.DingTalkSecret)
  const dingMinSeverity = severity(NotifyInputs.DingTalkMinSeverity)
  const dingtalk = dingWebhook
    ? { webhook: dingWebhook, secret: dingSecret, minSeverity: dingMinSeverity }
    : undefined

  const webhookUrl = httpsUrl(NotifyInputs.WebhookUrl, 'https://example.com/hooks/pod-cleaner')
  const webhookSecret = secret(NotifyInputs.WebhookSecret)
  const webhookMinSeverity = severity(NotifyInputs.WebhookMinSeverity)
  const webhook = webhookUrl
    ? { url: webhookUrl, secret: webhookSecret, minSeverity: webhookMinSeverity }
    : undefined

  // Email: smtp-url turns it on; from and to are then required.
  let email: EmailConfig | undefined
  const smtpUrl = raw(NotifyInputs.SmtpUrl)
  const from = raw(NotifyInputs.EmailFrom)
  const to = parseList(raw(NotifyInputs.EmailTo))
  const emailMinSeverity = severity(NotifyInputs.EmailMinSeverity)
  if (smtpUrl !== '') {
    const url = parseUrl(smtpUrl, ['smtp:', 'smtps:'])
    if (!url) {
      fail(
        NotifyInputs.SmtpUrl,
        redact(smtpUrl),
        'smtp://user:password@host:587 (STARTTLS) or smtps://user:password@host:465'
      )
    }
    if (!EMAIL.test(from.replace(/^.*<(.+)>\s*$/, '$1'))) {
      fail(
        NotifyInputs.EmailFrom,
        JSON.stringify(from),
        'a sender address like "Pod Cleaner <ops@example.com>"'
      )
    }
    if (to.length === 0) {
      problems.push(
        `Input '${NotifyInputs.EmailTo}' is empty; expected one or more addresses, separated by commas, when smtp-url is set.`
      )
    }
    for (const address of to) {
      if (!EMAIL.test(address.replace(/^.*<(.+)>\s*$/, '$1'))) {
        fail(NotifyInputs.EmailTo, JSON.stringify(address), 'e-mail addresses separated by commas')
      }
    }
    if (url) email = { smtpUrl, from, to, minSeverity: emailMinSeverity }
  } else if (from !== '' || to.length > 0) {
    notices.push(`Email notifications are off: '${NotifyInputs.SmtpUrl}' is not set.`)
  }

  // Pushgateway: metrics are not secret, and the gateway is usually in-cluster over plain http.
  let pushgateway: PushgatewayConfig | undefined
  const gateway = raw(NotifyInputs.PushgatewayUrl)
  if (gateway !== '') {
    if (parseUrl(gateway, ['https:', 'http:'], true)) pushgateway = { url: gateway }
    else
      fail(
        NotifyInputs.PushgatewayUrl,
        redact(gateway),
        'an http(s):// URL like http://pushgateway.monitoring:9091'
      )
  }

  const timeoutRaw = raw(NotifyInputs.NotifyTimeout)
  let timeoutSeconds = parseDuration(timeoutRaw)
  if (timeoutSeconds === undefined || timeoutSeconds < 1 || timeoutSeconds > 600) {
    fail(
      NotifyInputs.NotifyTimeout,
      JSON.stringify(timeoutRaw),
      'a duration from 1s to 600s, as seconds ("30") or with units ("30s", "2m")'
    )
    timeoutSeconds = parseDuration(NOTIFY_INPUT_DEFAULTS[NotifyInputs.NotifyTimeout]) as number
  }
  const test = boolean(NotifyInputs.NotifyTest)

  return {
    config: {
      bark,
      slack,
      dingtalk,
      webhook,
      email,
      pushgateway,
      timeoutMs: timeoutSeconds * 1000,
      test,
      notices
    },
    problems
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
  if (config.email) {
    secrets.push(config.email.smtpUrl)
    const password = new URL(config.email.smtpUrl).password
    if (password) secrets.push(password, decodeURIComponent(password))
  }
  return [...new Set(secrets.filter(s => s.length > 0))]
}

/** The configured channels, Bark first; Pushgateway takes every run (min severity info). */
export function createChannels(config: NotifyConfig, http?: Partial<HttpOptions>): Channel[] {
  const channels: Channel[] = []
  if (config.bark) channels.push(barkChannel(config.bark, http))
  if (config.slack) channels.push(slackChannel(config.slack, http))
  if (config.dingtalk) channels.push(dingTalkChannel(config.dingtalk, http))
  if (config.webhook) channels.push(webhookChannel(config.webhook, http))
  if (config.email) channels.push(emailChannel(config.email, http))
  if (config.pushgateway) channels.push(pushgatewayChannel(config.pushgateway, http))
  return channels
}
