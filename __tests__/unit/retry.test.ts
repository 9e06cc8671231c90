import { describe, expect, it } from '@jest/globals'
import { backoffDelay, parseRetryAfter, withRetry } from '../../src/lib/retry.js'

describe('withRetry', () => {
  const noSleep = async () => undefined

  it('retries retryable errors and returns the first success', async () => {
    let calls = 0
    const delays: number[] = []
    const value = await withRetry(
      async () => {
        calls++
        if (calls < 3) throw new Error('flaky')
        return 'ok'
      },
      {
        attempts: 5,
        baseDelayMs: 100,
        maxDelayMs: 1000,
        retryable: () => true,
        sleep: noSleep,
        onRetry: (_, __, d) => delays.push(d),
        random: () => 1
      }
    )
    expect(value).toBe('ok')
    expect(calls).toBe(3)
    expect(delays).toEqual([100, 200])
  })

  it('stops at the attempt limit and on non-retryable errors', async () => {
    let calls = 0
    await expect(
      withRetry(
        async () => {
          calls++
          throw new Error('always')
        },
        { attempts: 3, baseDelayMs: 1, maxDelayMs: 1, retryable: () => true, sleep: noSleep }
      )
    ).rejects.toThrow('always')
    expect(calls).toBe(3)
    calls = 0
    await expect(
      withRetry(
        async () => {
          calls++
          throw new Error('final')
        },
        { attempts: 3, baseDelayMs: 1, maxDelayMs: 1, retryable: () => false, sleep: noSleep }
      )
    ).rejects.toThrow('final')
    expect(calls).toBe(1)
  })

  it('honours Retry-After and gives up when it passes the deadline', async () => {
    const delays: number[] = []
    let calls = 0
    await withRetry(
      async () => {
        if (++calls === 1) throw Object.assign(new Error('429'), { after: 1500 })
        return 'ok'
      },
      {
        attempts: 3,
        baseDelayMs: 1,
        maxDelayMs: 10,
        retryable: () => true,
        retryAfterMs: e => (e as { after: number }).after,
        sleep: noSleep,
        onRetry: (_, __, d) => delays.push(d)
      }
    )
    expect(delays).toEqual([1500])
    await expect(
      withRetry(
        async () => {
          throw Object.assign(new Error('429 later'), { after: 60_000 })
        },
        {
          attempts: 3,
          baseDelayMs: 1,
          maxDelayMs: 10,
          deadline: Date.now() + 1000,
          retryable: () => true,
          retryAfterMs: e => (e as { after: number }).after,
          sleep: noSleep
        }
      )
    ).rejects.toThrow('429 later')
  })
})

describe('backoffDelay / parseRetryAfter', () => {
  it('grows exponentially with jitter, capped', () => {
    expect(backoffDelay(1, { baseDelayMs: 100, maxDelayMs: 1000 }, () => 0)).toBe(50)
    expect(backoffDelay(3, { baseDelayMs: 100, maxDelayMs: 1000 }, () => 1)).toBe(400)
    expect(backoffDelay(10, { baseDelayMs: 100, maxDelayMs: 1000 }, () => 1)).toBe(1000)
  })
  it('parses seconds and dates', () => {
    expect(parseRetryAfter('3')).toBe(3000)
    expect(parseRetryAfter(new Date(10_000).toUTCString(), 4_000)).toBe(6000)
    expect(parseRetryAfter('soon')).toBeUndefined()
    expect(parseRetryAfter(null)).toBeUndefined()
  })
})

describe('withRetry and an abort signal', () => {
  it('stops waiting between attempts when the signal aborts, with the last error', async () => {
    const controller = new AbortController()
    let attempts = 0
    const pending = withRetry(
      async () => {
        attempts++
        if (attempts === 1) queueMicrotask(() => controller.abort())
        throw new Error(`attempt ${attempts} failed`)
      },
      {
        attempts: 5,
        baseDelayMs: 60_000, // without the abort this would wait a minute (the test would time out)
        maxDelayMs: 60_000,
        retryable: () => true,
        signal: controller.signal
      }
    )
    await expect(pending).rejects.toThrow('attempt 1 failed')
    expect(attempts).toBe(1)
  })
})
