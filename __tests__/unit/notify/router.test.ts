// The router with channels of our own (no HTTP): min severities, Bark first, one budget whose
// signal and deadline every channel gets, attempts read from what the channel returns or throws,
// and never a throw into the cleanup.
import { describe, expect, it } from '@jest/globals'
import { DeliveryError } from '../../../src/notify/delivery.js'
import { buildNotification } from '../../../src/notify/message.js'
import { notify, outcomeLine } from '../../../src/notify/router.js'
import { notifyTest, sampleNotification } from '../../../src/notify/test-message.js'
import type {
  Channel,
  Delivered,
  SendContext,
  SendOutcome,
  Severity
} from '../../../src/notify/types.js'
import { result, row } from '../../fixtures/result.js'

type Behaviour = (context: SendContext) => Promise<Delivered>

/** A channel of our own that records what it got and behaves as told. */
function recorder(
  name: string,
  minSeverity: Severity,
  behaviour: Behaviour = async () => ({ attempts: 1 })
) {
  const got: { severity: Severity; context: SendContext }[] = []
  const channel: Channel = {
    name,
    minSeverity,
    async send(n, context) {
      got.push({ severity: n.severity, context })
      return behaviour(context)
    }
  }
  return { channel, got }
}

const healthy = buildNotification(result([]))
const warning = buildNotification(result([row()]))
const critical = buildNotification(result([row({ outcome: 'not-recovered' })]))

describe('notify', () => {
  it.each([
    ['info', healthy, ['skipped', 'skipped', 'sent']],
    ['warning', warning, ['sent', 'skipped', 'sent']],
    ['critical', critical, ['sent', 'sent', 'sent']]
  ] as const)(
    'a %s notification reaches channels whose min severity it meets',
    async (_, n, expected) => {
      const a = recorder('a', 'warning')
      const b = recorder('b', 'critical')
      const c = recorder('c', 'info')
      const outcomes = await notify(n, [a.channel, b.channel, c.channel], { budgetMs: 1000 })
      expect(outcomes.map(o => o.status)).toEqual(expected)
    }
  )

  it('a healthy run sends nothing with the default min severity (warning)', async () => {
    const a = recorder('bark', 'warning')
    const [outcome] = await notify(healthy, [a.channel], { budgetMs: 1000 })
    expect(outcome).toEqual({
      channel: 'bark',
      status: 'skipped',
      detail: 'below min severity (info < warning)',
      attempts: 0,
      durationMs: 0
    })
    expect(a.got).toEqual([])
  })

  it('every channel gets the same signal and deadline: the budget, computed once', async () => {
    const a = recorder('a', 'info')
    const b = recorder('b', 'info')
    const before = Date.now()
    await notify(warning, [a.channel, b.channel], { budgetMs: 30_000 })
    const after = Date.now()
    const [ca, cb] = [a.got[0]!.context, b.got[0]!.context]
    expect(ca.deadline).toBe(cb.deadline)
    expect(ca.signal).toBe(cb.signal)
    expect(ca.deadline).toBeGreaterThanOrEqual(before + 30_000)
    expect(ca.deadline).toBeLessThanOrEqual(after + 30_000)
    expect(ca.signal.aborted).toBe(false)
  })

  it('attempts come from what the channel returns, or from the DeliveryError it throws', async () => {
    const retried = recorder('retried', 'info', async () => ({ attempts: 3 }))
    const failed = recorder('failed', 'info', async () => {
      throw new DeliveryError('HTTP 503: busy', true, 503, undefined, 4)
    })
    const outcomes = await notify(warning, [retried.channel, failed.channel], { budgetMs: 1000 })
    expect(outcomes).toEqual([
      expect.objectContaining({ channel: 'retried', status: 'sent', attempts: 3 }),
      expect.objectContaining({
        channel: 'failed',
        status: 'failed',
        attempts: 4,
        detail: 'HTTP 503: busy'
      })
    ])
  })

  it('Bark first in the outcomes; a throwing channel is a failure, not a throw', async () => {
    const other = recorder('slack', 'warning', async () => {
      throw new TypeError('boom')
    })
    const bark = recorder('bark', 'warning')
    const outcomes = await notify(warning, [other.channel, bark.channel], { budgetMs: 1000 })
    expect(outcomes.map(o => `${o.channel}:${o.status}`)).toEqual(['bark:sent', 'slack:failed'])
    expect(outcomes[1]).toMatchObject({ detail: 'TypeError: boom', attempts: 1 })
  })

  it('a channel ignoring its signal cannot outlast the budget', async () => {
    // Never settles: only the router's budget can end the send.
    const slow = recorder('slow', 'info', () => new Promise(() => {}))
    const [outcome] = await notify(warning, [slow.channel], { budgetMs: 50 })
    expect(outcome).toMatchObject({
      status: 'failed',
      attempts: 1,
      detail: 'timeout: the notification budget (50 ms) was spent'
    })
  })

  it('a channel honouring its signal reports the budget as its reason', async () => {
    const polite = recorder(
      'polite',
      'info',
      ({ signal }) =>
        new Promise((_, reject) => {
          signal.addEventListener('abort', () =>
            reject(new DeliveryError('timeout: the notification budget was spent', false))
          )
        })
    )
    const [outcome] = await notify(warning, [polite.channel], { budgetMs: 50 })
    expect(outcome?.status).toBe('failed')
    expect(outcome?.detail).toMatch(/^timeout: the notification budget/)
  })
})

describe('outcomeLine', () => {
  const base = { channel: 'slack', attempts: 1, durationMs: 80 }
  it.each<[SendOutcome, string]>([
    [{ ...base, status: 'sent' }, 'slack: sent (1 attempt, 80 ms)'],
    [{ ...base, status: 'sent', attempts: 3, durationMs: 2345 }, 'slack: sent (3 attempts, 2.3 s)'],
    [
      { ...base, status: 'failed', detail: 'HTTP 404: no_service' },
      'slack: failed: HTTP 404: no_service (1 attempt, 80 ms)'
    ],
    [
      { ...base, status: 'skipped', attempts: 0, durationMs: 0, detail: 'below min severity' },
      'slack: skipped: below min severity'
    ]
  ])('%j → %s', (outcome, line) => {
    expect(outcomeLine(outcome)).toBe(line)
  })
})

describe('notify-test', () => {
  it('sends the sample to every channel, whatever its min severity', async () => {
    const a = recorder('bark', 'critical')
    const b = recorder('slack', 'warning')
    const outcomes = await notifyTest(
      [a.channel, b.channel],
      { runUrl: 'https://x/run' },
      { budgetMs: 1000 }
    )
    expect(outcomes.map(o => o.status)).toEqual(['sent', 'sent'])
    const sample = sampleNotification({ runUrl: 'https://x/run' })
    expect(sample.title).toBe('Pod Cleaner test notification — sample-cluster')
    expect(sample.severity).toBe('warning')
    expect(sample.lines.length).toBe(2)
  })
})
