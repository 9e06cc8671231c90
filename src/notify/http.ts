// The one HTTP sender every web channel shares: a timeout per attempt, retries with backoff +
// jitter on network errors, 408/429 and 5xx (honouring Retry-After), all within the send's
// deadline. Errors carry a short reason and never the URL: webhook URLs are secrets.

import { request } from 'undici'
import { parseRetryAfter } from '../lib/retry.js'
import {
  budgetSpent,
  DEFAULT_RETRY_TUNING,
  deliver,
  DeliveryError,
  formatMs,
  scrub,
  type Budget,
  type RetryTuning
} from './delivery.js'
import type { Channel, Notification, Severity } from './types.js'

export interface HttpRequest {
  method?: 'POST' | 'PUT'
  url: string
  headers?: Record<string, string>
  body: string
}

export interface HttpResponse {
  status: number
  headers: Record<string, string | string[] | undefined>
  /** The answer's text, at most MAX_ANSWER_CHARS. */
  text: string
}

/** Makes one request and reads its answer; throws (with a `code`) on network errors. */
export type HttpTransport = (req: HttpRequest, signal: AbortSignal) => Promise<HttpResponse>

/** Retry tuning plus the transport: undici in production, a fake of our own in unit tests. */
export interface HttpOptions extends RetryTuning {
  transport: HttpTransport
}

const MAX_ANSWER_CHARS = 4_000

/** The real transport: undici's request, the answer's text cut to MAX_ANSWER_CHARS. */
export const undiciTransport: HttpTransport = async (req, signal) => {
  const answer = await request(req.url, {
    method: req.method ?? 'POST',
    headers: req.headers,
    body: req.body,
    signal
  })
  const text = await answer.body.text()
  return {
    status: answer.statusCode,
    headers: answer.headers,
    text: text.slice(0, MAX_ANSWER_CHARS)
  }
}

export const DEFAULT_HTTP_OPTIONS: HttpOptions = {
  ...DEFAULT_RETRY_TUNING,
  transport: undiciTransport
}

const NETWORK_REASONS: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  EPIPE: 'connection reset',
  UND_ERR_SOCKET: 'connection closed by the server',
  ENOTFOUND: 'DNS lookup failed',
  EAI_AGAIN: 'DNS lookup failed (temporary)',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ETIMEDOUT: 'connect timeout',
  UND_ERR_CONNECT_TIMEOUT: 'connect timeout',
  UND_ERR_HEADERS_TIMEOUT: 'timeout waiting for the answer',
  UND_ERR_BODY_TIMEOUT: 'timeout reading the answer'
}

/** Turns a thrown network error into a reason without the URL (only codes, never messages). */
export function networkReason(error: unknown): string {
  const seen = new Set<unknown>()
  for (let e = error; e && !seen.has(e); e = (e as { cause?: unknown }).cause) {
    seen.add(e)
    const code = (e as { code?: unknown }).code
    if (typeof code === 'string') {
      if (NETWORK_REASONS[code]) return `${NETWORK_REASONS[code]} (${code})`
      if (/CERT|TLS|SSL|SELF_SIGNED|UNABLE_TO/.test(code)) return `TLS error (${code})`
      return `network error (${code})`
    }
  }
  return `network error (${(error as { name?: string })?.name ?? typeof error})`
}

/** The default answer check: 2xx is success; 408, 429 and 5xx are worth another attempt. */
export function checkStatus(response: HttpResponse): void {
  if (response.status >= 200 && response.status < 300) return
  throw statusError(response)
}

/** A DeliveryError for a non-2xx answer, with the server's own short explanation. */
export function statusError(response: HttpResponse, explanation?: string): DeliveryError {
  const retryable = response.status === 408 || response.status === 429 || response.status >= 500
  const header = response.headers['retry-after']
  const retryAfterMs = parseRetryAfter(Array.isArray(header) ? header[0] : header)
  const said = explanation ?? shortAnswer(response.text)
  return new DeliveryError(
    `HTTP ${response.status}${said ? `: ${said}` : ''}`,
    retryable,
    response.status,
    retryAfterMs
  )
}

/** The first line of an answer, trimmed to 200 characters (answers may be HTML pages). */
export function shortAnswer(text: string): string {
  const line = (text.split('\n').find(l => l.trim() !== '') ?? '').trim()
  if (line.startsWith('<')) return ''
  return line.length > 200 ? `${line.slice(0, 197)}...` : line
}

/** How a channel's request is sent: its answer check and the secrets to scrub from reasons. */
export interface HttpDelivery {
  /** Channel-specific answer check (Bark's `code`, DingTalk's `errcode`); throws DeliveryError. */
  check?: (response: HttpResponse) => void
  /** Extra secrets to scrub from reasons (device keys, tokens in the body …). */
  secrets?: readonly string[]
}

export interface SendOptions extends Budget, HttpDelivery {
  http?: Partial<HttpOptions>
  onRetry?: (reason: string, attempt: number, delayMs: number) => void
}

/** One attempt: the request with its own timeout (cut to the budget), the answer checked. */
async function attempt(req: HttpRequest, options: SendOptions, http: HttpOptions) {
  // An attempt never runs past the budget: its timeout is cut to what is left.
  const left = options.deadline - Date.now()
  const timeoutMs = Math.max(1, Math.min(http.attemptTimeoutMs, left))
  const timeout = AbortSignal.timeout(timeoutMs)
  let response: HttpResponse
  try {
    response = await http.transport(req, AbortSignal.any([options.signal, timeout]))
  } catch (error) {
    // A timeout cut short to fit the budget is the budget running out, not a slow attempt.
    if (options.signal.aborted || (timeout.aborted && left < http.attemptTimeoutMs)) {
      throw budgetSpent()
    }
    if (timeout.aborted) throw new DeliveryError(`timeout after ${formatMs(timeoutMs)}`, true)
    throw new DeliveryError(networkReason(error), true)
  }
  ;(options.check ?? checkStatus)(response)
  return response
}

/** Sends one request with retries; resolves with the answer and how many attempts it took. */
export async function send(
  req: HttpRequest,
  options: SendOptions
): Promise<{ response: HttpResponse; attempts: number }> {
  const http = { ...DEFAULT_HTTP_OPTIONS, ...options.http }
  const { value, attempts } = await deliver(() => attempt(req, options, http), {
    signal: options.signal,
    deadline: options.deadline,
    tuning: http,
    scrub: reason => scrub(reason, req.url, options.secrets),
    reasonOf: networkReason,
    onRetry: options.onRetry
  })
  return { response: value, attempts }
}

/** JSON POST headers every channel uses. */
export const JSON_HEADERS = {
  'content-type': 'application/json; charset=utf-8',
  'user-agent': 'pod-cleaner-action'
}

/** What a web channel sends for one notification: the request and how to judge the answer. */
export interface HttpMessage extends HttpDelivery {
  request: HttpRequest
}

/** A channel that turns a notification into one HTTP request, sent with retries by `send`. */
export function httpChannel(
  name: string,
  minSeverity: Severity,
  http: Partial<HttpOptions> | undefined,
  message: (n: Notification) => HttpMessage | Promise<HttpMessage>
): Channel {
  return {
    name,
    minSeverity,
    async send(n, budget) {
      const { request: req, check, secrets } = await message(n)
      const { attempts } = await send(req, { ...budget, http, check, secrets })
      return { attempts }
    }
  }
}
