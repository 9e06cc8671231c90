// Retries with exponential backoff and equal jitter (half the capped delay, plus a random part
// of the other half), honouring a server's Retry-After, within a deadline. Shared by the
// Kubernetes client and the notifiers. (p-retry does not let an error dictate its own delay,
// which Retry-After needs; this is the small piece it would replace.)

export interface RetryOptions {
  /** Attempts in all, the first included. */
  attempts: number
  baseDelayMs: number
  maxDelayMs: number
  /** Absolute time (ms since epoch) after which no new attempt starts. */
  deadline?: number
  /** Whether this error is worth another attempt. */
  retryable: (error: unknown) => boolean
  /** A delay the error asks for (Retry-After), in ms. */
  retryAfterMs?: (error: unknown) => number | undefined
  onRetry?: (error: unknown, attempt: number, delayMs: number) => void
  sleep?: (ms: number) => Promise<void>
  /** Stops waiting between attempts (the last error is thrown) when it aborts. */
  signal?: AbortSignal
  random?: () => number
  /** The clock `deadline` is read by (ms since epoch); Date.now by default. */
  now?: () => number
}

export const sleep = (ms: number): Promise<void> => new Promise(resolve => setTimeout(resolve, ms))

/** A sleep that ends early when `signal` aborts (true when it did). */
function abortableSleep(ms: number, signal: AbortSignal): Promise<boolean> {
  return new Promise(resolve => {
    if (signal.aborted) return resolve(true)
    const done = (aborted: boolean) => {
      clearTimeout(timer)
      signal.removeEventListener('abort', onAbort)
      resolve(aborted)
    }
    const onAbort = () => done(true)
    const timer = setTimeout(() => done(false), ms)
    signal.addEventListener('abort', onAbort)
  })
}

/** The delay before attempt `attempt + 1` (attempt counts from 1). */
export function backoffDelay(
  attempt: number,
  options: Pick<RetryOptions, 'baseDelayMs' | 'maxDelayMs'>,
  random: () => number = Math.random
): number {
  const ceiling = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** (attempt - 1))
  return Math.round(ceiling / 2 + (random() * ceiling) / 2)
}

/** Parses a Retry-After header (seconds or an HTTP date) into ms. */
export function parseRetryAfter(
  value: string | null | undefined,
  now = Date.now()
): number | undefined {
  if (!value) return undefined
  if (/^\d+(\.\d+)?$/.test(value.trim())) return Math.round(Number(value) * 1000)
  const date = Date.parse(value)
  return Number.isNaN(date) ? undefined : Math.max(0, date - now)
}

export async function withRetry<T>(
  fn: (attempt: number) => Promise<T>,
  options: RetryOptions
): Promise<T> {
  const wait = options.sleep ?? sleep
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn(attempt)
    } catch (error) {
      if (attempt >= options.attempts || !options.retryable(error)) throw error
      const asked = options.retryAfterMs?.(error)
      let delay = asked ?? backoffDelay(attempt, options, options.random)
      if (asked !== undefined) delay = Math.min(asked, Math.max(options.maxDelayMs, 60_000))
      const now = options.now ?? Date.now
      if (options.deadline !== undefined && now() + delay >= options.deadline) throw error
      options.onRetry?.(error, attempt, delay)
      if (options.signal && !options.sleep) {
        if (await abortableSleep(delay, options.signal)) throw error
      } else await wait(delay)
    }
  }
}
