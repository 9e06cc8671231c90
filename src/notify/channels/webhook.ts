// Generic JSON webhook: the documented, versioned payload (schema pod-cleaner/v1) with the whole
// CycleResult, optionally signed: X-Pod-Cleaner-Signature: sha256=<hex HMAC of the raw body>.

import { createHmac, randomUUID } from 'node:crypto'
import { resultJson } from '../../report/outputs.js'
import { httpChannel, JSON_HEADERS, type HttpOptions } from '../http.js'
import type { Channel, Notification, Severity } from '../types.js'

export interface WebhookConfig {
  url: string
  secret?: string
  minSeverity: Severity
}

export const WEBHOOK_SCHEMA = 'pod-cleaner/v1'
export const SIGNATURE_HEADER = 'x-pod-cleaner-signature'
export const DELIVERY_HEADER = 'x-pod-cleaner-delivery'
/** Receivers often cap bodies at 1 MB; the result drops rows from the end to fit (podsTruncated). */
export const WEBHOOK_RESULT_MAX_BYTES = 900_000

/** The raw body: fields in a fixed order, the result as the `result` output has it. */
export function webhookBody(n: Notification): string {
  const head = JSON.stringify({
    schema: WEBHOOK_SCHEMA,
    severity: n.severity,
    title: n.title,
    subtitle: n.subtitle,
    runUrl: n.runUrl ?? null,
    lines: n.lines.slice(0, 100)
  })
  return `${head.slice(0, -1)},"result":${resultJson(n.result, WEBHOOK_RESULT_MAX_BYTES)}}`
}

/** "sha256=<hex>": HMAC-SHA256 of the exact bytes sent, keyed with webhook-secret. */
export function webhookSignature(secret: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(body, 'utf8').digest('hex')}`
}

export function webhookChannel(config: WebhookConfig, http?: Partial<HttpOptions>): Channel {
  return httpChannel('webhook', config.minSeverity, http, n => {
    const body = webhookBody(n)
    // One delivery id for every attempt, so a receiver can drop duplicates of a retry.
    const headers: Record<string, string> = { ...JSON_HEADERS, [DELIVERY_HEADER]: randomUUID() }
    if (config.secret) headers[SIGNATURE_HEADER] = webhookSignature(config.secret, body)
    return {
      request: { url: config.url, headers, body },
      secrets: config.secret ? [config.secret] : []
    }
  })
}
