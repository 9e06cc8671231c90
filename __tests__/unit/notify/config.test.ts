// Notification inputs: every problem at once, each naming the input, the (redacted) value and the
// expected form; Bark's two URL forms; secrets collected for masking.
import { describe, expect, it } from '@jest/globals'
import {
  NOTIFY_INPUT_DEFAULTS,
  NotifyInputs,
  notifySecrets,
  parseNotifyConfig
} from '../../../src/config/notify.js'
import { createChannels } from '../../../src/notify/channels/index.js'

const inputs =
  (values: Record<string, string>) =>
  (name: string): string =>
    values[name] ?? ''

describe('parseNotifyConfig', () => {
  it('nothing set: no channels, Bark off with a notice, not an error', () => {
    const { config, problems } = parseNotifyConfig(inputs({}))
    expect(problems).toEqual([])
    expect(createChannels(config)).toEqual([])
    expect(config.notices).toEqual(["Bark notifications are off: 'bark-url' is not set."])
    expect(config.timeoutMs).toBe(30_000)
    expect(config.test).toBe(false)
  })

  it('the original BARK_BASE_URL form: https://api.day.app/KEY', () => {
    const { config, problems } = parseNotifyConfig(
      inputs({ 'bark-url': 'https://api.day.app/F5u42Bd3HyW8KxkUqo2gRA' })
    )
    expect(problems).toEqual([])
    expect(config.bark).toEqual({
      server: 'https://api.day.app',
      deviceKeys: ['F5u42Bd3HyW8KxkUqo2gRA'],
      encryptionKey: undefined,
      critical: false,
      group: undefined,
      minSeverity: 'warning'
    })
  })

  it('bark-enabled: false turns a configured Bark off', () => {
    const { config } = parseNotifyConfig(
      inputs({ 'bark-url': 'https://api.day.app/F5u42Bd3HyW8KxkUqo2gRA', 'bark-enabled': 'false' })
    )
    expect(config.bark).toBeUndefined()
    expect(config.notices).toEqual(["Bark notifications are off: 'bark-enabled' is false."])
  })

  it('every channel configured: channels in order, Bark first, all secrets for masking', () => {
    const { config, problems } = parseNotifyConfig(
      inputs({
        'bark-url': 'https://bark.example.com',
        'bark-device-keys': 'KEYONE1234567890,KEYTWO1234567890',
        'bark-encryption-key': 'k'.repeat(32),
        'slack-webhook': 'https://hooks.slack.com/services/T0/B0/SLACKSECRET',
        'slack-min-severity': 'critical',
        'dingtalk-webhook': 'https://oapi.dingtalk.com/robot/send?access_token=DINGTOKEN',
        'dingtalk-secret': 'SECding',
        'webhook-url': 'https://example.com/hook/WEBHOOKSECRET',
        'webhook-secret': 'whsec',
        'smtp-url': 'smtps://ops:p%40ss@smtp.example.com:465',
        'email-from': 'Pod Cleaner <ops@example.com>',
        'email-to': 'a@example.com, b@example.com',
        'pushgateway-url': 'http://pushgateway.monitoring:9091',
        'notify-timeout': '45s',
        'notify-test': 'true'
      })
    )
    expect(problems).toEqual([])
    expect(createChannels(config).map(c => `${c.name}:${c.minSeverity}`)).toEqual([
      'bark:warning',
      'slack:critical',
      'dingtalk:warning',
      'webhook:warning',
      'email:warning',
      'pushgateway:info'
    ])
    expect(config.timeoutMs).toBe(45_000)
    expect(config.test).toBe(true)
    expect(config.email?.to).toEqual(['a@example.com', 'b@example.com'])
    const secrets = notifySecrets(config)
    for (const s of [
      'KEYONE1234567890',
      'KEYTWO1234567890',
      'k'.repeat(32),
      'https://hooks.slack.com/services/T0/B0/SLACKSECRET',
      'DINGTOKEN',
      'SECding',
      'whsec',
      'p@ss'
    ]) {
      expect(secrets).toContain(s)
    }
  })

  it('collects every problem in action.yml order, naming input, value and expected form, secrets redacted', () => {
    const { problems } = parseNotifyConfig(
      inputs({
        'bark-url': 'ftp://x',
        'bark-encryption-key': 'short',
        'bark-min-severity': 'loud',
        'bark-critical': 'maybe',
        'slack-webhook': 'http://hooks.slack.com/services/T0/B0/SLACKSECRET',
        'smtp-url': 'smtp://user:hunter2@',
        'email-to': 'not-an-address',
        'notify-timeout': 'forever'
      })
    )
    expect(problems).toEqual([
      `Input 'bark-url': "ftp://x" is not valid; expected an https:// URL like https://api.day.app/DEVICE_KEY.`,
      `Input 'bark-encryption-key': a key of 5 bytes is not valid; expected 32 characters for AES-256 (or 16/24 for AES-128/192), as set in the Bark app's push encryption.`,
      `Input 'bark-critical': "maybe" is not valid; expected true or false.`,
      `Input 'bark-min-severity': "loud" is not valid; expected one of info, warning, critical.`,
      `Input 'slack-webhook': "http://hooks.slack.com/***" is not valid; expected an https:// URL like https://hooks.slack.com/services/T…/B…/….`,
      `Input 'smtp-url': "smtp***" is not valid; expected smtp://user:password@host:587 (STARTTLS) or smtps://user:password@host:465.`,
      `Input 'email-from': "" is not valid; expected a sender address like "Pod Cleaner <ops@example.com>".`,
      `Input 'email-to': "not-an-address" is not valid; expected e-mail addresses separated by commas.`,
      `Input 'notify-timeout': "forever" is not valid; expected a duration from 1s to 600s, as seconds ("30") or with units ("30s", "2m").`
    ])
    expect(problems.join('\n')).not.toContain('SLACKSECRET')
    expect(problems.join('\n')).not.toContain('hunter2')
  })

  it('a server without a key, and keys without a server, are problems', () => {
    expect(parseNotifyConfig(inputs({ 'bark-url': 'https://api.day.app' })).problems).toEqual([
      `Input 'bark-url': "https://api.day.app" is not valid; expected a device key in its path (https://api.day.app/DEVICE_KEY) or 'bark-device-keys'.`
    ])
    expect(parseNotifyConfig(inputs({ 'bark-device-keys': 'KEYONE1234567890' })).problems).toEqual([
      `Input 'bark-device-keys' is set but 'bark-url' is not; expected bark-url with the server, like https://api.day.app.`
    ])
  })

  it('declares a default for every input', () => {
    expect(Object.keys(NOTIFY_INPUT_DEFAULTS).sort()).toEqual(Object.values(NotifyInputs).sort())
    expect(NOTIFY_INPUT_DEFAULTS['bark-enabled']).toBe('true')
    expect(NOTIFY_INPUT_DEFAULTS['bark-min-severity']).toBe('warning')
  })
})
