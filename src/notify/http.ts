// The one HTTP sender every channel shares: a timeout per attempt, retries with backoff + jitter on
// network errors, 408/429 and 5xx (honouring Retry-After, via ../retry.ts), all within the
// notification budget. Errors carry a short reason and never the URL: webhook URLs are secrets.

import { request } from 'undici'
import { parseRetryAfter, withRetry } from '../lib/retry.js'

export interface HttpOptions {
  /** Timeout of one attempt (connect + answer + body). */
  attemptTimeoutMs: number
  /** Attempts in all, the first included. */
  attempts: number
  baseDelayMs: number
  maxDelayMs: number
}

export const DEFAULT_HTTP_OPTIONS: HttpOptions = {
  attemptTimeoutMs: 10_000,
  attempts: 4,
  baseDelayMs: 500,
  maxDelayMs: 8_000
}

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

const MAX_ANSWER_CHARS = 4_000

/** A failed delivery: `reason` is safe to log and to show in the job summary. */
export class DeliveryError extends Error {
  constructor(
    readonly reason: string,
    readonly retryable: boolean,
    readonly status?: number,
    readonly retryAfterMs?: number,
    readonly attempts = 1
  ) {
    super(reason)
    this.name = 'DeliveryError'
  }
}

// The Channel contract carries only a signal: the router registers its budget's deadline against
// the signal it hands each channel (so retries never sleep past it), and senders count their
// attempts against it (so the outcome can say how many there were).
const deadlines = new WeakMap<AbortSignal, number>()
const attemptCounts = new WeakMap<AbortSignal, number>()

/** An AbortSignal that aborts when the budget is spent, with its deadline known to `send`. */
export function budgetSignal(budgetMs: number): { signal: AbortSignal; deadline: number } {
  const deadline = Date.now() + budgetMs
  const signal = AbortSignal.timeout(Math.max(1, budgetMs))
  deadlines.set(signal, deadline)
  return { signal, deadline }
}

/** A signal of one channel's own, aborting with the budget and sharing its deadline. */
export function channelSignal(budget: AbortSignal): AbortSignal {
  const signal = AbortSignal.any([budget])
  const deadline = deadlines.get(budget)
  if (deadline !== undefined) deadlines.set(signal, deadline)
  return signal
}

export function deadlineOf(signal: AbortSignal): number | undefined {
  return deadlines.get(signal)
}

/** Records that attempt `n` started for the channel holding this signal. */
export function recordAttempt(signal: AbortSignal, n: number): void {
  attemptCounts.set(signal, n)
}

export function attemptsMade(signal: AbortSignal): number {
  return attemptCounts.get(signal) ?? 0
}

/** Sleeps, but wakes (rejecting) as soon as the signal aborts, so no timer outlives a run. */
export function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(budgetSpent())
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort)
      resolve()
    }, ms)
    const onAbort = (): void => {
      clearTimeout(timer)
      reject(budgetSpent())
    }
    signal.addEventListener('abort', onAbort, { once: true })
  })
}

const budgetSpent = (): DeliveryError =>
  new DeliveryError('timeout: the notification budget was spent', false)

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

/** Removes every secret-looking part of the URL (path segments, query values) from a reason. */
export function scrub(reason: string, url: string, secrets: readonly string[] = []): string {
  const parts = [...secrets]
  try {
    const u = new URL(url)
    parts.push(u.href, u.pathname, u.search, u.password, u.username)
    for (const segment of u.pathname.split('/')) parts.push(decodeURIComponent(segment))
    for (const value of u.searchParams.values()) parts.push(value)
  } catch {
    parts.push(url)
  }
  let text = reason
  for (const part of parts.filter(p => p.length >= 6).sort((a, b) => b.length - a.length)) {
    text = text.split(part).join('***')
  }
  return text
}

export interface SendOptions {
  signal: AbortSignal
  http?: Partial<HttpOptions>
  /** Channel-specific answer check (Bark's `code`, DingTalk's `errcode`); throws DeliveryError. */
  check?: (response: HttpResponse) => void
  /** Extra secrets to scrub from reasons (device keys, tokens in the body …). */
  secrets?: readonly string[]
  onRetry?: (reason: string, attempt: number, delayMs: number) => void
}

/** One attempt: the request with its own timeout, the answer read and checked. */
async function attempt(
  req: HttpRequest,
  options: SendOptions,
  timeoutMs: number,
  cutByBudget: boolean
) {
  const timeout = AbortSignal.timeout(timeoutMs)
  let response: HttpResponse
  try {
    const answer = await request(req.url, {
      method: req.method ?? 'POST',
      headers: req.headers,
      body: req.body,
      signal: AbortSignal.any([options.signal, timeout])
    })
    const text = await answer.body.text()
    response = {
      status: answer.statusCode,
      headers: answer.headers,
      text: text.slice(0, MAX_ANSWER_CHARS)
    }
  } catch (error) {
    // A timeout cut short to fit the budget is the budget running out, not a slow attempt.
    if (options.signal.aborted || (timeout.aborted && cutByBudget)) throw budgetSpent()
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
  const deadline = deadlineOf(options.signal)
  let attempts = 0
  try {
    const response = await withRetry(
      n => {
        attempts = n
        recordAttempt(options.signal, n)
        // An attempt never runs past the budget: its timeout is cut to what is left.
        const left = deadline === undefined ? Infinity : deadline - Date.now()
        return attempt(
          req,
          options,
          Math.max(1, Math.min(http.attemptTimeoutMs, left)),
          left < http.attemptTimeoutMs
        )
      },
      {
        attempts: http.attempts,
        baseDelayMs: http.baseDelayMs,
        maxDelayMs: http.maxDelayMs,
        deadline,
        retryable: e => e instanceof DeliveryError && e.retryable,
        retryAfterMs: e => (e instanceof DeliveryError ? e.retryAfterMs : undefined),
        sleep: ms => abortableSleep(ms, options.signal),
        onRetry: (e, n, delay) => options.onRetry?.(reasonOf(e), n, delay)
      }
    )
    return { response, attempts }
  } catch (error) {
    const base = error instanceof DeliveryError ? error : new DeliveryError(reasonOf(error), false)
    throw new DeliveryError(
      scrub(base.reason, req.url, options.secrets),
      base.retryable,
      base.status,
      base.retryAfterMs,
      attempts
    )
  }
}

function reasonOf(error: unknown): string {
  if (error instanceof DeliveryError) return error.reason
  return networkReason(error)
}

export function formatMs(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${Math.round(ms / 100) / 10} s`
}

/** JSON POST headers every channel uses. */
export const JSON_HEADERS = {
  'content-type': 'application/json; charset=utf-8',
  'user-agent': 'pod-cleaner-action'
}
