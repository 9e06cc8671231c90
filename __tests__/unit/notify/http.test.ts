// The shared sender's rules through a fake transport (no sockets): which answers are retried,
// Retry-After within the budget, attempt timeouts, network reasons, and the attempts every outcome
// reports. The same against real servers is in __tests__/integration/notify/http.test.ts.
import { describe, expect, it } from '@jest/globals'
import { DeliveryError } from '../../../src/notify/delivery.js'
import { send } from '../../../src/notify/http.js'
import { buildNotification } from '../../../src/notify/message.js'
import { notify } from '../../../src/notify/router.js'
import { slackChannel } from '../../../src/notify/channels/slack.js'
import { webhookChannel } from '../../../src/notify/channels/webhook.js'
import { result, row } from '../../fixtures/result.js'
import { fakeHttp, type FakeReply } from './fake-http.js'

const WEBHOOK = 'https://hooks.slack.example/services/T000/B000/XXXXXXXXXXXXXXXXXXXXXXXX'
const n = buildNotification(result([row()]))

/** One Slack notification through the fake transport; the outcome and what the fake saw. */
async function slack(script: FakeReply[], budgetMs = 5000, tuning = {}) {
  const fake = fakeHttp(script, tuning)
  const channel = slackChannel({ webhook: WEBHOOK, minSeverity: 'warning' }, fake.http)
  const [outcome] = await notify(n, [channel], { budgetMs })
  return { outcome, ...fake }
}

describe('retries', () => {
  it('500 then 200: retried after a backoff, sent on the second attempt with the same body', async () => {
    const { outcome, requests, delays } = await slack([
      { status: 500, body: 'oops' },
      { status: 200, body: 'ok' }
    ])
    expect(outcome).toMatchObject({ channel: 'slack', status: 'sent', attempts: 2 })
    expect(requests).toHaveLength(2)
    expect(requests[1]!.body).toBe(requests[0]!.body)
    // Equal jitter: between half the base delay and the base delay.
    expect(delays).toHaveLength(1)
    expect(delays[0]).toBeGreaterThanOrEqual(5)
    expect(delays[0]).toBeLessThanOrEqual(10)
  })

  it('429 with Retry-After: the next attempt waits as long as asked', async () => {
    const { outcome, delays } = await slack([
      { status: 429, headers: { 'retry-after': '1' }, body: 'rate_limited' },
      { status: 200, body: 'ok' }
    ])
    expect(outcome).toMatchObject({ status: 'sent', attempts: 2 })
    expect(delays).toEqual([1000])
  })

  it('429 asking for more than the budget: fails with the 429 at once, without waiting', async () => {
    const { outcome, delays } = await slack(
      [{ status: 429, headers: { 'retry-after': '120' }, body: 'slow down' }],
      2000
    )
    expect(outcome).toMatchObject({ status: 'failed', detail: 'HTTP 429: slow down', attempts: 1 })
    expect(delays).toEqual([])
  })

  it.each([
    [408, true],
    [429, true],
    [500, true],
    [503, true],
    [400, false],
    [403, false],
    [404, false]
  ])('HTTP %i: retried = %s', async (status, retried) => {
    const { outcome, requests } = await slack([{ status, body: 'no' }])
    expect(outcome).toMatchObject({ status: 'failed', detail: `HTTP ${status}: no` })
    expect(requests).toHaveLength(retried ? 3 : 1)
    expect(outcome?.attempts).toBe(retried ? 3 : 1)
  })

  it.each([
    ['ECONNREFUSED', 'connection refused (ECONNREFUSED)'],
    ['ENOTFOUND', 'DNS lookup failed (ENOTFOUND)'],
    ['UND_ERR_SOCKET', 'connection closed by the server (UND_ERR_SOCKET)'],
    ['DEPTH_ZERO_SELF_SIGNED_CERT', 'TLS error (DEPTH_ZERO_SELF_SIGNED_CERT)'],
    ['EWHATEVER', 'network error (EWHATEVER)']
  ])('network error %s: retried, then failed as "%s"', async (code, reason) => {
    const { outcome } = await slack([{ networkError: code }])
    expect(outcome).toMatchObject({ status: 'failed', detail: reason, attempts: 3 })
  })

  it('a hang past the attempt timeout: each attempt cut, failed: timeout', async () => {
    const { outcome, requests } = await slack([{ hang: true }], 5000, { attemptTimeoutMs: 20 })
    expect(outcome).toMatchObject({ status: 'failed', detail: 'timeout after 20 ms', attempts: 3 })
    expect(requests).toHaveLength(3)
  })

  it('a hang longer than the whole budget: failed when the budget is spent', async () => {
    const { outcome } = await slack([{ hang: true }], 50, { attemptTimeoutMs: 60_000 })
    expect(outcome?.status).toBe('failed')
    expect(outcome?.detail).toBe('timeout: the notification budget (50 ms) was spent')
  })
})

describe('send', () => {
  const budget = () => ({ signal: AbortSignal.timeout(5000), deadline: Date.now() + 5000 })

  it('resolves with the answer and the attempts it took', async () => {
    const fake = fakeHttp([{ status: 502 }, { status: 502 }, { status: 200, body: 'ok' }])
    const sent = await send({ url: WEBHOOK, body: '{}' }, { ...budget(), http: fake.http })
    expect(sent.attempts).toBe(3)
    expect(sent.response).toMatchObject({ status: 200, text: 'ok' })
  })

  it('rejects with a DeliveryError carrying the attempts, the URL scrubbed from its reason', async () => {
    const fake = fakeHttp(req => ({ status: 403, body: `invalid token in ${req.url}` }))
    const error = await send(
      { url: `${WEBHOOK}?token=abcdef123456`, body: '{}' },
      { ...budget(), http: fake.http }
    ).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(DeliveryError)
    const e = error as DeliveryError
    expect(e.attempts).toBe(1)
    expect(e.status).toBe(403)
    expect(e.reason).toBe('HTTP 403: invalid token in ***')
  })

  it('a webhook keeps one delivery id across retries', async () => {
    const fake = fakeHttp([{ status: 503 }, { status: 204 }])
    const channel = webhookChannel(
      { url: 'https://example.com/hook', minSeverity: 'info' },
      fake.http
    )
    const [outcome] = await notify(n, [channel], { budgetMs: 5000 })
    expect(outcome).toMatchObject({ status: 'sent', attempts: 2 })
    const ids = fake.requests.map(r => r.headers?.['x-pod-cleaner-delivery'])
    expect(ids[0]).toBeDefined()
    expect(ids[1]).toBe(ids[0])
  })
})
