// The retry core every channel shares (HTTP and SMTP): attempts counted and returned, failures
// scrubbed, the deadline respected, sleeps woken by the budget.
import { describe, expect, it } from '@jest/globals'
import {
  abortableSleep,
  deliver,
  DeliveryError,
  formatMs,
  scrub,
  type DeliverOptions
} from '../../../src/notify/delivery.js'

const delays: number[] = []
const options = (extra: Partial<DeliverOptions> = {}): DeliverOptions => ({
  signal: new AbortController().signal,
  deadline: Date.now() + 60_000,
  tuning: {
    attemptTimeoutMs: 1000,
    attempts: 4,
    baseDelayMs: 100,
    maxDelayMs: 1000,
    sleep: async ms => void delays.push(ms)
  },
  scrub: reason => reason.replace('hunter22', '***'),
  reasonOf: error => `wrapped: ${String(error)}`,
  ...extra
})

describe('deliver', () => {
  it('returns the value and the attempts it took', async () => {
    let calls = 0
    const answer = await deliver(async n => {
      calls = n
      if (n < 3) throw new DeliveryError('HTTP 503', true, 503)
      return 'ok'
    }, options())
    expect(answer).toEqual({ value: 'ok', attempts: 3 })
    expect(calls).toBe(3)
  })

  it('a final failure is a scrubbed DeliveryError saying how many attempts were made', async () => {
    const error = await deliver(async () => {
      throw new DeliveryError('SMTP 421: busy, pw hunter22', true)
    }, options()).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(DeliveryError)
    expect(error).toMatchObject({ reason: 'SMTP 421: busy, pw ***', attempts: 4 })
  })

  it('an error that is not a DeliveryError is not retried; its reason comes from reasonOf', async () => {
    const error = await deliver(async () => {
      throw new TypeError('bug')
    }, options()).catch((e: unknown) => e)
    expect(error).toMatchObject({ reason: 'wrapped: TypeError: bug', attempts: 1 })
  })

  it('no retry is started when its wait would pass the deadline', async () => {
    const error = await deliver(
      async () => {
        throw new DeliveryError('HTTP 429', true, 429, 30_000)
      },
      options({ deadline: Date.now() + 10_000 })
    ).catch((e: unknown) => e)
    expect(error).toMatchObject({ reason: 'HTTP 429', attempts: 1 })
  })
})

describe('abortableSleep', () => {
  it('rejects with the budget reason when the signal aborts, and at once when already aborted', async () => {
    const controller = new AbortController()
    const sleeping = abortableSleep(60_000, controller.signal)
    controller.abort()
    await expect(sleeping).rejects.toMatchObject({
      reason: 'timeout: the notification budget was spent'
    })
    await expect(abortableSleep(1, controller.signal)).rejects.toBeInstanceOf(DeliveryError)
  })
})

describe('scrub and formatMs', () => {
  it('scrub removes path segments, query values and given secrets', () => {
    expect(
      scrub(
        'bad https://h/x/SEGMENT1234 key=QUERYVALUE9 pw=hunter22',
        'https://h/x/SEGMENT1234?key=QUERYVALUE9',
        ['hunter22']
      )
    ).toBe('bad https://h*** key=*** pw=***')
  })

  it('formatMs: milliseconds under a second, tenths of seconds above', () => {
    expect([formatMs(80), formatMs(999), formatMs(1000), formatMs(12_345)]).toEqual([
      '80 ms',
      '999 ms',
      '1 s',
      '12.3 s'
    ])
  })
})
