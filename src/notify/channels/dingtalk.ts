// DingTalk custom robot: a markdown message to the robot's webhook, optionally signed (HMAC-SHA256
// of "timestamp\nsecret", base64, as `timestamp` & `sign` query parameters). DingTalk answers
// HTTP 200 even on failure: its `errcode` decides.

import { createHmac } from 'node:crypto'
import { clip, truncateLines } from '../message.js'
import { DeliveryError } from '../delivery.js'
import {
  httpChannel,
  JSON_HEADERS,
  statusError,
  type HttpOptions,
  type HttpResponse
} from '../http.js'
import type { Channel, Notification, Severity } from '../types.js'

export interface DingTalkConfig {
  /** https://oapi.dingtalk.com/robot/send?access_token=… */
  webhook: string
  secret?: string
  minSeverity: Severity
}

/** DingTalk caps a message's content; stay well under it. */
export const DINGTALK_MAX_BYTES = 18_000
/** errcode for "sending too fast" (20 messages a minute per robot): worth waiting for. */
const DINGTALK_RATE_LIMITED = 130101

/** sign = base64(HMAC-SHA256(key = secret, timestamp + "\n" + secret)). */
export function dingTalkSign(secret: string, timestamp: number): string {
  return createHmac('sha256', secret).update(`${timestamp}\n${secret}`).digest('base64')
}

/** The webhook with `timestamp` and `sign` added (URLSearchParams does the URL-encoding). */
export function signedUrl(webhook: string, secret: string | undefined, now = Date.now()): string {
  if (!secret) return webhook
  const url = new URL(webhook)
  url.searchParams.set('timestamp', String(now))
  url.searchParams.set('sign', dingTalkSign(secret, now))
  return url.toString()
}

/** DingTalk markdown: a heading, the subtitle, then a list; markdown specials in names escaped. */
export function dingTalkPayload(n: Notification): {
  msgtype: 'markdown'
  markdown: { title: string; text: string }
} {
  const head = [`### ${escapeMd(n.title)}`, '', `**${n.severity}** · ${escapeMd(n.subtitle)}`, '']
  const foot = n.runUrl ? ['', `[Job summary of this run](${n.runUrl})`] : []
  const items = n.lines.map(line => `- ${escapeMd(clip(line, 300))}`)
  const text = (kept: string[]) => [...head, ...kept, ...foot].join('\n')
  const kept = truncateLines(
    items,
    k => Buffer.byteLength(text(k)) <= DINGTALK_MAX_BYTES,
    more => `- +${more} more: see the job summary`
  )
  return { msgtype: 'markdown', markdown: { title: clip(n.title, 60), text: text(kept) } }
}

const escapeMd = (text: string): string => text.replace(/([\\`*_[\]#|])/g, '\\$1')

export function checkDingTalkAnswer(response: HttpResponse): void {
  if (response.status < 200 || response.status >= 300) throw statusError(response)
  let answer: { errcode?: number; errmsg?: string }
  try {
    answer = JSON.parse(response.text) as typeof answer
  } catch {
    throw new DeliveryError(`HTTP ${response.status}: not a DingTalk answer`, false)
  }
  if (answer.errcode === 0) return
  // 310000: keyword, signature or IP allow-list mismatch; 300001: bad token. Only the rate limit
  // clears by waiting.
  throw new DeliveryError(
    `DingTalk errcode ${answer.errcode}: ${clip(answer.errmsg ?? '', 200)}`,
    answer.errcode === DINGTALK_RATE_LIMITED,
    response.status,
    answer.errcode === DINGTALK_RATE_LIMITED ? 3_000 : undefined
  )
}

export function dingTalkChannel(config: DingTalkConfig, http?: Partial<HttpOptions>): Channel {
  return httpChannel('dingtalk', config.minSeverity, http, n => ({
    // Signed once per send: DingTalk accepts a timestamp within an hour, retries included.
    request: {
      url: signedUrl(config.webhook, config.secret),
      headers: JSON_HEADERS,
      body: JSON.stringify(dingTalkPayload(n))
    },
    check: checkDingTalkAnswer,
    secrets: config.secret ? [config.secret] : []
  }))
}
