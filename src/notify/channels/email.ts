// Email over SMTP with nodemailer: a plain-text and an HTML part (every value HTML-escaped).
// The SMTP URL carries the password: it is parsed here and never shown in an error.

import { createTransport } from 'nodemailer'
import {
  budgetSpent,
  DEFAULT_RETRY_TUNING,
  deliver,
  DeliveryError,
  scrub,
  type RetryTuning
} from '../delivery.js'
import { clip } from '../message.js'
import type { Channel, Notification, Severity } from '../types.js'
import { escapeHtml } from '../../report/format.js'

export interface EmailConfig {
  /** smtp://user:pass@host:587 (STARTTLS when offered) or smtps://user:pass@host:465. */
  smtpUrl: string
  from: string
  to: string[]
  minSeverity: Severity
}

/** Rows in a mail: enough to act on, the rest is in the job summary. */
export const EMAIL_MAX_LINES = 200

export function emailMessage(n: Notification): { subject: string; text: string; html: string } {
  const lines = n.lines.slice(0, EMAIL_MAX_LINES)
  const more = n.lines.length - lines.length
  const tail = more > 0 ? [`+${more} more: see the job summary`] : []
  const link = n.runUrl ? [`Job summary: ${n.runUrl}`] : []
  const text = [n.subtitle, `Severity: ${n.severity}`, '', ...lines, ...tail, '', ...link].join(
    '\n'
  )
  const items = [...lines, ...tail].map(line => `<li>${escapeHtml(line)}</li>`).join('\n')
  const html = [
    `<h2>${escapeHtml(n.title)}</h2>`,
    `<p>${escapeHtml(n.subtitle)} · severity <strong>${escapeHtml(n.severity)}</strong></p>`,
    `<ul>\n${items}\n</ul>`,
    n.runUrl ? `<p><a href="${escapeHtml(n.runUrl)}">Job summary of this run</a></p>` : ''
  ].join('\n')
  return { subject: clip(n.title, 200), text, html }
}

/** nodemailer's transport options from the SMTP URL, with our timeouts. */
export function smtpOptions(smtpUrl: string, timeoutMs: number) {
  const url = new URL(smtpUrl)
  const secure = url.protocol === 'smtps:'
  return {
    host: url.hostname,
    port: url.port ? Number(url.port) : secure ? 465 : 587,
    secure,
    auth: url.username
      ? { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) }
      : undefined,
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    socketTimeout: timeoutMs
  }
}

/** A short reason from nodemailer's error: its code and the server's reply, never the URL. */
export function smtpReason(error: unknown): { reason: string; retryable: boolean } {
  const e = error as { code?: string; responseCode?: number; response?: string }
  const reply = e.response ? `: ${clip(e.response, 160)}` : ''
  // SMTP 4xx replies are transient by definition; 5xx are not. Connection trouble is worth a retry.
  if (e.responseCode !== undefined) {
    return { reason: `SMTP ${e.responseCode}${reply}`, retryable: e.responseCode < 500 }
  }
  switch (e.code) {
    case 'EAUTH':
      return { reason: `SMTP authentication failed${reply}`, retryable: false }
    case 'ETIMEDOUT':
      return { reason: 'SMTP timeout', retryable: true }
    case 'ECONNECTION':
    case 'ESOCKET':
      return { reason: `SMTP connection failed (${e.code})`, retryable: true }
    default:
      return { reason: `SMTP error (${e.code ?? 'unknown'})${reply}`, retryable: false }
  }
}

/** One SMTP attempt: a transport of its own, closed when the budget is spent (nodemailer has no
 * AbortSignal), its failure turned into a short reason. */
async function sendMail(
  config: EmailConfig,
  message: ReturnType<typeof emailMessage>,
  signal: AbortSignal,
  timeoutMs: number
): Promise<void> {
  const transport = createTransport(smtpOptions(config.smtpUrl, timeoutMs))
  const close = (): void => transport.close()
  signal.addEventListener('abort', close, { once: true })
  try {
    await transport.sendMail({ from: config.from, to: config.to, ...message })
  } catch (error) {
    if (signal.aborted) throw budgetSpent()
    const { reason, retryable } = smtpReason(error)
    throw new DeliveryError(reason, retryable)
  } finally {
    signal.removeEventListener('abort', close)
    transport.close()
  }
}

export function emailChannel(config: EmailConfig, tuning?: Partial<RetryTuning>): Channel {
  const options = { ...DEFAULT_RETRY_TUNING, ...tuning }
  const url = new URL(config.smtpUrl)
  const secrets = [decodeURIComponent(url.password), url.password].filter(Boolean)
  return {
    name: 'email',
    minSeverity: config.minSeverity,
    async send(n, { signal, deadline }) {
      const message = emailMessage(n)
      const { attempts } = await deliver(
        () => sendMail(config, message, signal, options.attemptTimeoutMs),
        {
          signal,
          deadline,
          tuning: options,
          scrub: reason => scrub(reason, config.smtpUrl, secrets),
          reasonOf: error => smtpReason(error).reason
        }
      )
      return { attempts }
    }
  }
}
