// What every channel's delivery shares, whatever its protocol (HTTP, SMTP): the error with a short,
// scrubbed reason, the retry loop within the budget's deadline, and the sleep that wakes on abort.
// Deadlines and attempt counts travel as parameters and return values, never beside the signal.

import { withRetry } from '../lib/retry.js'

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

/** Retry tuning shared by every channel (HTTP adds its transport on top). */
export interface RetryTuning {
  /** Timeout of one attempt (connect + answer + body). */
  attemptTimeoutMs: number
  /** Attempts in all, the first included. */
  attempts: number
  baseDelayMs: number
  maxDelayMs: number
  /** Waits between attempts; must wake (rejecting) as soon as the signal aborts. */
  sleep: (ms: number, signal: AbortSignal) => Promise<void>
}

/** The budget one send runs in: aborts when it is spent, and when that is (ms since epoch). */
export interface Budget {
  signal: AbortSignal
  deadline: number
}

export const budgetSpent = (): DeliveryError =>
  new DeliveryError('timeout: the notification budget was spent', false)

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

export const DEFAULT_RETRY_TUNING: RetryTuning = {
  attemptTimeoutMs: 10_000,
  attempts: 4,
  baseDelayMs: 500,
  maxDelayMs: 8_000,
  sleep: abortableSleep
}

export interface DeliverOptions extends Budget {
  tuning: RetryTuning
  /** Removes secrets from a failure's reason (URLs, keys, passwords). */
  scrub: (reason: string) => string
  /** The reason for an error that is not a DeliveryError (a bug, or an unwrapped library error). */
  reasonOf: (error: unknown) => string
  onRetry?: (reason: string, attempt: number, delayMs: number) => void
}

/**
 * Runs `attempt` (1, 2, …) until it succeeds, retrying retryable DeliveryErrors with backoff and
 * the server's Retry-After while the deadline allows. Resolves with the value and the attempts it
 * took; rejects with a scrubbed DeliveryError that says how many attempts were made.
 */
export async function deliver<T>(
  attempt: (n: number) => Promise<T>,
  options: DeliverOptions
): Promise<{ value: T; attempts: number }> {
  const { tuning, signal } = options
  let attempts = 0
  const reasonOf = (e: unknown): string =>
    e instanceof DeliveryError ? e.reason : options.reasonOf(e)
  try {
    const value = await withRetry(
      n => {
        attempts = n
        return attempt(n)
      },
      {
        attempts: tuning.attempts,
        baseDelayMs: tuning.baseDelayMs,
        maxDelayMs: tuning.maxDelayMs,
        deadline: options.deadline,
        retryable: e => e instanceof DeliveryError && e.retryable,
        retryAfterMs: e => (e instanceof DeliveryError ? e.retryAfterMs : undefined),
        sleep: ms => tuning.sleep(ms, signal),
        onRetry: (e, n, delay) => options.onRetry?.(reasonOf(e), n, delay)
      }
    )
    return { value, attempts }
  } catch (error) {
    const base = error instanceof DeliveryError ? error : new DeliveryError(reasonOf(error), false)
    throw new DeliveryError(
      options.scrub(base.reason),
      base.retryable,
      base.status,
      base.retryAfterMs,
      Math.max(1, attempts)
    )
  }
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

export function formatMs(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${Math.round(ms / 100) / 10} s`
}
