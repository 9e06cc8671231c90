// The router: sends one Notification to every channel whose minimum severity it reaches, all in
// parallel within one budget, and records each outcome. It never throws and never outlasts the
// budget: a notification must not fail or delay the cleanup.

import { DeliveryError, formatMs, type Budget } from './delivery.js'
import { clip } from './message.js'
import { SEVERITY_RANK, type Channel, type Notification, type SendOutcome } from './types.js'

export interface NotifyOptions {
  /** Total time for all channels, retries included. */
  budgetMs: number
  /** notify-test: every channel gets the message whatever its minimum severity. */
  ignoreMinSeverity?: boolean
}

/** Bark first (the phone push: its outcome leads the list), the rest in their given order. */
export function orderChannels(channels: readonly Channel[]): Channel[] {
  return [...channels].sort((a, b) => Number(b.name === 'bark') - Number(a.name === 'bark'))
}

function describe(error: unknown): string {
  // Channel errors (DeliveryError) are already short and scrubbed; anything else is a bug of ours.
  if (error instanceof Error) {
    return clip(
      error instanceof DeliveryError ? error.message : `${error.name}: ${error.message}`,
      300
    )
  }
  return clip(String(error), 300)
}

/** Resolves when the budget is spent, so a channel that ignores its signal cannot hold us. */
function spent(signal: AbortSignal): Promise<'spent'> {
  return new Promise(resolve => {
    if (signal.aborted) resolve('spent')
    else signal.addEventListener('abort', () => resolve('spent'), { once: true })
  })
}

async function sendOne(
  channel: Channel,
  n: Notification,
  budget: Budget,
  budgetMs: number
): Promise<SendOutcome> {
  const started = Date.now()
  const outcome = (status: SendOutcome['status'], attempts: number, detail?: string) => ({
    channel: channel.name,
    status,
    ...(detail !== undefined ? { detail } : {}),
    attempts: Math.max(1, attempts),
    durationMs: Date.now() - started
  })
  try {
    const answer = await Promise.race([
      channel.send(n, { signal: budget.signal, deadline: budget.deadline }),
      spent(budget.signal)
    ])
    if (answer === 'spent') {
      const why = `timeout: the notification budget (${formatMs(budgetMs)}) was spent`
      return outcome('failed', 1, why)
    }
    // A channel that found nothing to do (no request made) skipped this run.
    if (answer.attempts === 0) return skipped(channel, answer.detail ?? 'nothing to send')
    return outcome('sent', answer.attempts, answer.detail)
  } catch (error) {
    return outcome('failed', error instanceof DeliveryError ? error.attempts : 1, describe(error))
  }
}

/** The outcome of a channel the notification's severity does not reach. */
const belowMinimum = (channel: Channel, n: Notification): SendOutcome =>
  skipped(channel, `below min severity (${n.severity} < ${channel.minSeverity})`)

/** A channel's share of a run: its Notification, or why it gets none (a skipped outcome). */
export type ChannelShare = (channel: Channel) => Notification | string

const skipped = (channel: Channel, detail: string): SendOutcome => ({
  channel: channel.name,
  status: 'skipped',
  detail,
  attempts: 0,
  durationMs: 0
})

/**
 * Sends to every channel in parallel within one budget: one Notification to all (by min
 * severity), or each channel its own share (a run's digest).
 */
export async function notify(
  n: Notification | ChannelShare,
  channels: readonly Channel[],
  options: NotifyOptions
): Promise<SendOutcome[]> {
  // One deadline for every channel, computed once; the signal aborts when it passes.
  const budget: Budget = {
    signal: AbortSignal.timeout(Math.max(1, options.budgetMs)),
    deadline: Date.now() + options.budgetMs
  }
  return Promise.all(
    orderChannels(channels).map(channel => {
      if (typeof n === 'function') {
        const share = n(channel)
        return typeof share === 'string'
          ? skipped(channel, share)
          : sendOne(channel, share, budget, options.budgetMs)
      }
      return !options.ignoreMinSeverity &&
        SEVERITY_RANK[n.severity] < SEVERITY_RANK[channel.minSeverity]
        ? belowMinimum(channel, n)
        : sendOne(channel, n, budget, options.budgetMs)
    })
  )
}

/** "bark: sent (1 attempt, 120 ms)", "slack: failed: HTTP 404: no_service (1 attempt, 80 ms)". */
export function outcomeLine(o: SendOutcome): string {
  if (o.status === 'skipped') return `${o.channel}: skipped: ${o.detail ?? ''}`
  const tries = `${o.attempts} attempt${o.attempts === 1 ? '' : 's'}, ${formatMs(o.durationMs)}`
  return o.status === 'sent'
    ? `${o.channel}: sent (${tries})${o.detail ? `: ${o.detail}` : ''}`
    : `${o.channel}: failed: ${o.detail ?? 'unknown'} (${tries})`
}
