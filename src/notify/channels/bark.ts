// Bark (iOS push through bark-server and APNs). One POST to <server>/push with a JSON body
// (bark-server has no <server>/<KEY>/push route) for one device key or several, cut to fit
// APNs' 4 KB payload, optionally end-to-end encrypted (AES-CBC, PKCS7; ciphertext + iv fields).

import { createCipheriv, randomBytes } from 'node:crypto'
import { clip, truncateLines } from '../message.js'
import { DeliveryError } from '../delivery.js'
import {
  httpChannel,
  JSON_HEADERS,
  shortAnswer,
  statusError,
  type HttpOptions,
  type HttpResponse
} from '../http.js'
import type { Channel, Notification, Severity } from '../types.js'

export interface BarkConfig {
  /** The server without a trailing slash or key, e.g. https://api.day.app. */
  server: string
  deviceKeys: string[]
  /** 16, 24 or 32 characters: AES-128/192/256, as chosen in the Bark app. */
  encryptionKey?: string
  /** Allow level "critical" (rings through silent mode) for critical notifications. */
  critical: boolean
  /** The notification group on the phone; default: one per cluster context. */
  group?: string
  minSeverity: Severity
}

/** APNs refuses payloads over 4096 bytes. */
export const APNS_MAX_BYTES = 4096
/** Room bark-server's own APNs fields take (aps, alert, sound, category, thread-id …). */
export const APNS_RESERVED_BYTES = 320
/** A push shows a few lines; a long one is cut anyway. */
const MAX_LINE_CHARS = 160

export const BARK_ICON =
  'https://raw.githubusercontent.com/kubernetes/kubernetes/master/logo/logo.png'

/** A Bark device key in a URL path: bark-server makes 22-character base-57 keys. */
const DEVICE_KEY = /^[A-Za-z0-9_-]{16,}$/

/**
 * Splits a bark-url into the server and the device key in its path, if any:
 * https://api.day.app/KEY → { server: https://api.day.app, key: KEY };
 * https://host/bark (a self-hosted prefix, used with bark-device-keys) → { server: https://host/bark }.
 */
export function parseBarkUrl(
  raw: string,
  keysGiven: boolean
): { server: string; key?: string } | undefined {
  let url: URL
  try {
    url = new URL(raw.trim())
  } catch {
    return undefined
  }
  url.search = ''
  url.hash = ''
  const segments = url.pathname.split('/').filter(s => s !== '')
  const last = segments.at(-1)
  // Without bark-device-keys the last segment must be the key (https://host/KEY); with them, it
  // is a key only when it looks like one, else part of a self-hosted prefix.
  const isKey = last !== undefined && (!keysGiven || DEVICE_KEY.test(last))
  const prefix = isKey ? segments.slice(0, -1) : segments
  const server = `${url.origin}${prefix.length > 0 ? `/${prefix.join('/')}` : ''}`
  return { server, key: isKey ? decodeURIComponent(last) : undefined }
}

/** Bark levels: active lights the screen; timeSensitive breaks through Focus; critical rings. */
export function barkLevel(severity: Severity, allowCritical: boolean): string {
  if (severity === 'critical') return allowCritical ? 'critical' : 'timeSensitive'
  return severity === 'warning' ? 'active' : 'passive'
}

export type BarkFields = Record<string, string | number>

/** The push's visible fields (title, body, level …), before device keys and encryption. */
export function barkFields(n: Notification, config: BarkConfig, body: string): BarkFields {
  const fields: BarkFields = {
    title: clip(n.title, 120),
    subtitle: clip(n.subtitle, 120),
    body,
    group: config.group ?? `pod-cleaner-${n.result.cluster.context}`,
    level: barkLevel(n.severity, config.critical),
    icon: BARK_ICON,
    isArchive: '1'
  }
  if (n.runUrl) fields.url = n.runUrl
  // An audible alarm only for what a person must look at.
  if (n.severity === 'critical') fields.sound = 'alarm'
  if (fields.level === 'critical') fields.volume = 5
  return fields
}

/** AES-CBC with PKCS7 padding, as the Bark app decrypts: key and iv are their UTF-8 bytes. */
export function encryptFields(
  fields: BarkFields,
  key: string,
  iv: string = randomIv()
): { ciphertext: string; iv: string } {
  const bits = Buffer.byteLength(key) * 8
  const cipher = createCipheriv(`aes-${bits}-cbc`, Buffer.from(key), Buffer.from(iv))
  const encrypted = Buffer.concat([cipher.update(JSON.stringify(fields), 'utf8'), cipher.final()])
  return { ciphertext: encrypted.toString('base64'), iv }
}

/** 16 random alphanumeric characters: Bark takes the iv as a 16-character string. */
export function randomIv(): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'
  return [...randomBytes(16)].map(b => alphabet[b % alphabet.length]).join('')
}

/** What APNs carries for these fields (device keys stay on bark-server). */
function apnsBytes(fields: BarkFields | { ciphertext: string; iv: string }): number {
  return Buffer.byteLength(JSON.stringify(fields)) + APNS_RESERVED_BYTES
}

/** The /push JSON body: fields (or their ciphertext) cut to fit APNs, plus the device key(s). */
export function barkPayload(
  n: Notification,
  config: BarkConfig,
  iv?: string
): Record<string, unknown> {
  const lines = n.lines.map(line => clip(line, MAX_LINE_CHARS))
  // One iv for the whole push: the size measured is the size sent.
  const ivUsed = iv ?? randomIv()
  const wire = (kept: string[]) => {
    const fields = barkFields(n, config, kept.join('\n'))
    return config.encryptionKey ? encryptFields(fields, config.encryptionKey, ivUsed) : fields
  }
  const kept = truncateLines(lines, k => apnsBytes(wire(k)) <= APNS_MAX_BYTES)
  const keys =
    config.deviceKeys.length === 1
      ? { device_key: config.deviceKeys[0] }
      : { device_keys: config.deviceKeys }
  return { ...keys, ...wire(kept) }
}

/** bark-server answers {code, message} (and per-device results in `data` for device_keys). */
export function checkBarkAnswer(response: HttpResponse): void {
  let answer: { code?: number; message?: string; data?: { code?: number; message?: string }[] }
  try {
    answer = JSON.parse(response.text) as typeof answer
  } catch {
    if (response.status >= 200 && response.status < 300) {
      throw new DeliveryError(`HTTP ${response.status}: not a Bark server answer`, false)
    }
    throw statusError(response)
  }
  if (response.status === 400 || answer.code === 400) {
    // bark-server's 400: an unknown device key or a malformed push; another attempt won't help.
    throw new DeliveryError(
      `HTTP 400: rejected by bark-server (bad device key?): ${shortAnswer(answer.message ?? '')}`,
      false,
      400
    )
  }
  if (response.status < 200 || response.status >= 300) {
    throw statusError(response, answer.message)
  }
  if (answer.code !== 200) {
    throw new DeliveryError(
      `bark-server answered code ${answer.code}: ${answer.message ?? ''}`,
      false
    )
  }
  // A batch push answers 200 with one result per device: report the failed ones by position
  // (the keys themselves are secrets). Retrying would push the others twice.
  const failed = (answer.data ?? [])
    .map((d, i) => ({ ...d, device: i + 1 }))
    .filter(d => d.code !== 200)
  if (failed.length > 0) {
    const first = failed[0] as { code?: number; device: number }
    throw new DeliveryError(
      `bark-server rejected ${failed.length} of ${answer.data?.length} devices (device #${first.device}: code ${first.code})`,
      false
    )
  }
}

export function barkChannel(config: BarkConfig, http?: Partial<HttpOptions>): Channel {
  const secrets = [...config.deviceKeys, ...(config.encryptionKey ? [config.encryptionKey] : [])]
  return httpChannel('bark', config.minSeverity, http, n => ({
    request: {
      url: `${config.server}/push`,
      headers: JSON_HEADERS,
      body: JSON.stringify(barkPayload(n, config))
    },
    check: checkBarkAnswer,
    secrets
  }))
}
