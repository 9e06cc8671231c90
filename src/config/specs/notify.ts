// Inputs: notification channels (a URL turns one on), their routing and the budget for all.

import type { Severity } from '../../notify/types.js'
import { parseList } from '../../lib/parse.js'
import { parseUrl } from '../checks.js'
import { GITHUB_ISSUE_INPUTS } from './github-issues.js'
import { duration, flag, input, list, oneOf, optionalText, text, type FieldType } from '../field.js'

const severity = oneOf<Severity>(['info', 'warning', 'critical'])

/** A URL with these schemes, or undefined when not set (plain http only to this machine). */
function url(
  schemes: string[],
  expected: string,
  httpAnywhere = false
): FieldType<string | undefined> {
  return {
    parse: f => {
      if (f.value === '') return undefined
      if (!parseUrl(f.value, schemes, httpAnywhere)) f.invalid(f.value, expected)
      return f.value
    }
  }
}

const httpsUrl = (example: string) => url(['https:', 'http:'], `an https:// URL like ${example}`)

const deviceKeys: FieldType<string[]> = {
  parse: f => {
    const keys = parseList(f.value)
    for (const key of keys.filter(k => !/^[A-Za-z0-9_-]+$/.test(k)))
      f.invalid(key, 'Bark device keys (letters and digits), separated by commas or new lines')
    return keys
  }
}

/** The key of Bark's push encryption: AES-128/192/256 by its length. */
const encryptionKey: FieldType<string | undefined> = {
  parse: f => {
    const bytes = Buffer.byteLength(f.value)
    if (f.value !== '' && ![16, 24, 32].includes(bytes))
      f.problem(
        `Input '${f.name}': a key of ${bytes} bytes is not valid; expected 32 characters for AES-256 (or 16/24 for AES-128/192), as set in the Bark app's push encryption.`
      )
    return f.value || undefined
  }
}

const minSeverity = <const N extends string>(name: N, description: string, help: string) =>
  input({ name, default: 'warning', description, help }, severity)

export const NOTIFY_INPUTS = {
  BarkUrl: input(
    {
      name: 'bark-url',
      default: '',
      secret: true,
      description:
        'Bark server and device key, https://api.day.app/DEVICE_KEY (the original BARK_BASE_URL), or the server alone with bark-device-keys. Unset: Bark is off.',
      help: 'Bark server + device key (https://api.day.app/KEY) or server only'
    },
    // Checked with bark-device-keys and bark-enabled (rules.ts).
    text
  ),
  BarkDeviceKeys: input(
    {
      name: 'bark-device-keys',
      default: '',
      secret: true,
      description:
        'One or more Bark device keys, comma or newline separated; sent as device_keys in one request.',
      help: 'Bark device keys (with a server-only bark-url)'
    },
    deviceKeys
  ),
  BarkEnabled: input(
    {
      name: 'bark-enabled',
      default: 'true',
      description: 'Set false to turn Bark off while keeping bark-url (the original BARK_ENABLED).',
      help: 'send Bark pushes when bark-url is set'
    },
    flag
  ),
  BarkEncryptionKey: input(
    {
      name: 'bark-encryption-key',
      default: '',
      secret: true,
      description:
        "Key set in the Bark app's Push Encryption (AES256, CBC): 32 characters (16/24 for AES-128/192).",
      help: 'encrypt Bark pushes (AES key of 16/24/32 characters)'
    },
    encryptionKey
  ),
  BarkCritical: input(
    {
      name: 'bark-critical',
      default: 'false',
      description:
        'Send critical runs with Bark level critical (rings through silent mode) instead of timeSensitive.',
      help: 'critical alerts use Bark level critical (rings through silent mode)'
    },
    flag
  ),
  BarkMinSeverity: minSeverity(
    'bark-min-severity',
    'Lowest severity pushed to Bark: info, warning or critical.',
    'the least a Bark push needs'
  ),
  BarkGroup: input(
    {
      name: 'bark-group',
      default: '',
      description: 'Bark notification group; default pod-cleaner-<context>, one per cluster.',
      help: 'Bark group (default: the cluster context)'
    },
    optionalText
  ),
  SlackWebhook: input(
    {
      name: 'slack-webhook',
      default: '',
      secret: true,
      description: 'Slack incoming webhook URL.',
      help: 'Slack incoming webhook URL'
    },
    httpsUrl('https://hooks.slack.com/services/T…/B…/…')
  ),
  SlackMinSeverity: minSeverity(
    'slack-min-severity',
    'Lowest severity sent to Slack.',
    'the least a Slack message needs'
  ),
  DingTalkWebhook: input(
    {
      name: 'dingtalk-webhook',
      default: '',
      secret: true,
      description:
        'DingTalk robot webhook URL (https://oapi.dingtalk.com/robot/send?access_token=…).',
      help: 'DingTalk robot webhook URL'
    },
    httpsUrl('https://oapi.dingtalk.com/robot/send?access_token=…')
  ),
  DingTalkSecret: input(
    {
      name: 'dingtalk-secret',
      default: '',
      secret: true,
      description: 'DingTalk robot signing secret (SEC…), when the robot uses signing.',
      help: 'DingTalk signing secret'
    },
    optionalText
  ),
  DingTalkMinSeverity: minSeverity(
    'dingtalk-min-severity',
    'Lowest severity sent to DingTalk.',
    'the least a DingTalk message needs'
  ),
  WebhookUrl: input(
    {
      name: 'webhook-url',
      default: '',
      secret: true,
      description: 'URL that receives the versioned JSON payload (schema: pod-cleaner/v1).',
      help: 'generic JSON webhook URL (the versioned cycle result)'
    },
    httpsUrl('https://example.com/hooks/pod-cleaner')
  ),
  WebhookSecret: input(
    {
      name: 'webhook-secret',
      default: '',
      secret: true,
      description: 'Secret for the X-Pod-Cleaner-Signature: sha256=… HMAC of the body.',
      help: 'HMAC-SHA256 key for the X-Pod-Cleaner-Signature header'
    },
    optionalText
  ),
  WebhookMinSeverity: minSeverity(
    'webhook-min-severity',
    'Lowest severity sent to the webhook.',
    'the least a webhook post needs'
  ),
  SmtpUrl: input(
    {
      name: 'smtp-url',
      default: '',
      secret: true,
      description: 'SMTP server, smtp://user:password@host:587 or smtps://user:password@host:465.',
      help: 'SMTP server, smtp(s)://user:pass@host:port'
    },
    url(
      ['smtp:', 'smtps:'],
      'smtp://user:password@host:587 (STARTTLS) or smtps://user:password@host:465'
    )
  ),
  // Sender and recipients are checked when smtp-url turns email on (rules.ts).
  EmailFrom: input(
    {
      name: 'email-from',
      default: '',
      description: 'Sender address, e.g. Pod Cleaner <ops@example.com>.',
      help: 'email sender'
    },
    text
  ),
  EmailTo: input(
    {
      name: 'email-to',
      default: '',
      description: 'Recipients, comma separated.',
      help: 'email recipients'
    },
    list
  ),
  EmailMinSeverity: minSeverity(
    'email-min-severity',
    'Lowest severity sent by email.',
    'the least an email needs'
  ),
  // Metrics are not secret, but the URL may hold credentials; the gateway is usually in-cluster
  // over plain http.
  PushgatewayUrl: input(
    {
      name: 'pushgateway-url',
      default: '',
      secret: true,
      description: "Prometheus Pushgateway URL; every run's metrics are pushed.",
      help: 'Prometheus Pushgateway for run metrics'
    },
    url(['https:', 'http:'], 'an http(s):// URL like http://pushgateway.monitoring:9091', true)
  ),
  NotifyResolved: input(
    {
      name: 'notify-resolved',
      default: 'true',
      description:
        'Say when an incident resolves (its workload healthy again): one quiet message (Bark level passive) to the channels its opening reached. Needs state-file.',
      help: 'tell when an incident resolves (quietly)'
    },
    flag
  ),
  ...GITHUB_ISSUE_INPUTS,
  NotifyTimeout: input(
    {
      name: 'notify-timeout',
      default: '30s',
      description: 'Total time for all notifications, retries included (1s to 600s).',
      help: 'budget for all notifications, retries included'
    },
    duration(1, 600, '("30") or with units ("30s", "2m")')
  ),
  NotifyTest: input(
    {
      name: 'notify-test',
      default: 'false',
      description: 'Send a sample message to every configured channel (whatever its min severity).',
      help: 'send a sample to every channel instead of a cleanup (or: notify-test command)'
    },
    flag
  )
}
