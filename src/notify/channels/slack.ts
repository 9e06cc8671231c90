// Slack incoming webhook: Block Kit within Slack's limits (header ≤ 150 characters, a section's
// text ≤ 3,000, ≤ 50 blocks), with a plain `text` fallback for notifications and old clients.

import { clip } from '../message.js'
import { httpChannel, JSON_HEADERS, type HttpOptions } from '../http.js'
import type { Channel, Notification, Severity } from '../types.js'

export interface SlackConfig {
  webhook: string
  minSeverity: Severity
}

export const SLACK_HEADER_MAX = 150
export const SLACK_SECTION_MAX = 3000
export const SLACK_MAX_BLOCKS = 50

const ICON: Record<Severity, string> = {
  info: ':white_check_mark:',
  warning: ':warning:',
  critical: ':rotating_light:'
}

/** Slack's mrkdwn needs only &, < and > escaped. */
export function escapeSlack(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
}

type Block = Record<string, unknown>

const section = (text: string): Block => ({ type: 'section', text: { type: 'mrkdwn', text } })

/** Packs lines into sections of at most SLACK_SECTION_MAX characters each, by whole lines. */
export function packSections(lines: readonly string[], max = SLACK_SECTION_MAX): string[] {
  const sections: string[] = []
  let current = ''
  for (const raw of lines) {
    const line = clip(`• ${escapeSlack(raw)}`, max)
    if (current !== '' && current.length + 1 + line.length > max) {
      sections.push(current)
      current = ''
    }
    current = current === '' ? line : `${current}\n${line}`
  }
  if (current !== '') sections.push(current)
  return sections
}

export function slackPayload(n: Notification): { text: string; blocks: Block[] } {
  const head: Block[] = [
    { type: 'header', text: { type: 'plain_text', text: clip(n.title, SLACK_HEADER_MAX) } },
    section(`${ICON[n.severity]} *${n.severity}* · ${escapeSlack(n.subtitle)}`)
  ]
  const tail: Block[] = n.runUrl
    ? [
        {
          type: 'context',
          elements: [{ type: 'mrkdwn', text: `<${n.runUrl}|Job summary of this run>` }]
        }
      ]
    : []
  const room = SLACK_MAX_BLOCKS - head.length - tail.length
  const sections = packSections(n.lines)
  let body = sections.map(section)
  if (sections.length > room) {
    // Keep whole sections and say how many lines did not fit.
    const keptSections = sections.slice(0, room - 1)
    const keptLines = keptSections.reduce((sum, s) => sum + s.split('\n').length, 0)
    body = [
      ...keptSections.map(section),
      section(`+${n.lines.length - keptLines} more: see the job summary`)
    ]
  }
  return { text: `${n.title}\n${n.subtitle}`, blocks: [...head, ...body, ...tail] }
}

export function slackChannel(config: SlackConfig, http?: Partial<HttpOptions>): Channel {
  // The default answer check fits: Slack answers "ok", its errors are HTTP 4xx with text such as
  // invalid_payload or no_service, and 429/5xx are worth another attempt.
  return httpChannel('slack', config.minSeverity, http, n => ({
    request: { url: config.webhook, headers: JSON_HEADERS, body: JSON.stringify(slackPayload(n)) }
  }))
}
