// The router: sends one Notification to every channel whose minimum severity it reaches, all in
// parallel within one budget, and records each outcome. It never throws and never outlasts the
// budget: a notification must not fail or delay the cleanup.

import { attemptsMade, budgetSignal, channelSignal, formatMs } from './http.js'
import { clip } from './message.js'
import { SEVERITY_RANK, type Channel, type Notification, type SendOutcome } from './types.js'

export interface NotifyOptions {
  /** Total time for all channels, retries included. */
  budgetMs: number
  /** notify-test: every channel gets the message whatever its minimum severity. */
  ignoreMinSeverity?: boolean
}

/** Bark first (the original tool's channel), the rest in their given order. */
export function orderChannels(channels: readonly Channel[]): Channel[] {
  return [...channels].sort((a, b) => Number(b.name === 'bark') - Number(a.name === 'bark'))
}

function describe(error: unknown): string {
  // Channel errors (DeliveryError) are already short and scrubbed; anything else is a bug of ours.
  if (error instanceof Error) {
    return clip(
      error.name === 'DeliveryError' ? error.message : `${error.name}: ${error.message}`,
      300
    )
  }
  return clip(String(error), 300)
}

async function sendOne(
  channel: Channel,
  n: Notification,
  budget: AbortSignal,
  budgetMs: number
): Promise<SendOutcome> {
  const started = Date.now()
  // A signal of its own, against which the sender counts its attempts.
  const signal = channelSignal(budget)
  const outcome = (status: SendOutcome['status'], attempts: number, detail?: string) => ({
    channel: channel.name,
    status,
    ...(detail !== undefined ? { detail } : {}),
    attempts,
    durationMs: Date.now() - started
  })
  // Resolves when the budget is spent, so a channel that ignores its signal cannot hold us.
  const spent = new Promise<'spent'>(resolve => {
    if (signal.aborted) resolve('spent')
    else signal.addEventListener('abort', () => resolve('spent'), { once: true })
  })
  try {
    const answer = await Promise.race([channel.send(n, signal), spent])
    if (answer === 'spent') {
      return outcome(
        'failed',
        1,
        `timeout: the notification budget (${formatMs(budgetMs)}) was spent`
      )
    }
    return outcome('sent', attemptsOf(signal))
  } catch (error) {
    return outcome('failed', attemptsOf(signal), describe(error))
  }
}

/** Attempts the sender recorded; 1 for a channel that records none. */
const attemptsOf = (signal: AbortSignal): number => Math.max(1, attemptsMade(signal))

export async function notify(
  n: Notification,
  channels: readonly Channel[],
  options: NotifyOptions
): Promise<SendOutcome[]> {
  const { signal } = budgetSignal(options.budgetMs)
  return Promise.all(
    orderChannels(channels).map(channel => {
      if (
        !options.ignoreMinSeverity &&
        SEVERITY_RANK[n.severity] < SEVERITY_RANK[channel.minSeverity]
      ) {
        return {
          channel: channel.name,
          status: 'skipped' as const,
          detail: `below min severity (${n.severity} < ${channel.minSeverity})`,
          attempts: 0,
          durationMs: 0
        }
      }
      return sendOne(channel, n, signal, options.budgetMs)
    })
  )
}

/** "bark: sent (1 attempt, 120 ms)", "slack: failed: HTTP 404: no_service (1 attempt, 80 ms)". */
export function outcomeLine(o: SendOutcome): string {
  if (o.status === 'skipped') return `${o.channel}: skipped: ${o.detail ?? ''}`
  const tries = `${o.attempts} attempt${o.attempts === 1 ? '' : 's'}, ${formatMs(o.durationMs)}`
  return o.status === 'sent'
    ? `${o.channel}: sent (${tries})`
    : `${o.channel}: failed: ${o.detail ?? 'unknown'} (${tries})`
}
