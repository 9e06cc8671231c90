// The shared sender against real servers (undici, real sockets): retries on 5xx, Retry-After on
// 429, a hang cut by the attempt timeout, connection refused — every reason short, and never the
// URL (it holds secrets). Assertions are on outcomes and asked-for delays, never on elapsed time.
import { afterEach, describe, expect, it } from '@jest/globals'
import { abortableSleep } from '../../../src/notify/delivery.js'
import { send } from '../../../src/notify/http.js'
import { buildNotification } from '../../../src/notify/message.js'
import { notify } from '../../../src/notify/router.js'
import { slackChannel } from '../../../src/notify/channels/slack.js'
import { webhookChannel } from '../../../src/notify/channels/webhook.js'
import { result, row } from '../../fixtures/result.js'
import { closedPort, scriptedServer, type ScriptedServer } from '../../fixtures/http-servers.js'

const fast = { attemptTimeoutMs: 300, attempts: 3, baseDelayMs: 10, maxDelayMs: 50 }
const SECRET_PATH = '/services/T000/B000/XXXXXXXXXXXXXXXXXXXXXXXX'
const n = buildNotification(result([row()]))

let server: ScriptedServer
afterEach(async () => server?.close())

describe('retries', () => {
  it('500 then 200: retried, sent on the second attempt', async () => {
    server = await scriptedServer([
      { status: 500, body: 'oops' },
      { status: 200, body: 'ok' }
    ])
    const channel = slackChannel(
      { webhook: `${server.url}${SECRET_PATH}`, minSeverity: 'warning' },
      fast
    )
    const [outcome] = await notify(n, [channel], { budgetMs: 5000 })
    expect(outcome).toMatchObject({ channel: 'slack', status: 'sent', attempts: 2 })
    expect(server.requests).toHaveLength(2)
    expect(server.requests[1]!.body).toBe(server.requests[0]!.body)
  })

  it('429 with Retry-After: waits as asked before the next attempt', async () => {
    server = await scriptedServer([
      { status: 429, headers: { 'retry-after': '1' }, body: 'rate_limited' },
      { status: 200, body: 'ok' }
    ])
    const delays: number[] = []
    const sleep = (ms: number, signal: AbortSignal): Promise<void> => {
      delays.push(ms)
      return abortableSleep(ms, signal)
    }
    const channel = slackChannel(
      { webhook: `${server.url}${SECRET_PATH}`, minSeverity: 'warning' },
      { ...fast, sleep }
    )
    const [outcome] = await notify(n, [channel], { budgetMs: 5000 })
    expect(outcome).toMatchObject({ status: 'sent', attempts: 2 })
    // Backoff alone would wait ≤ 50 ms; Retry-After asked for 1 s.
    expect(delays).toEqual([1000])
  })

  it('429 asking for more than the budget: fails with the 429, without waiting it out', async () => {
    server = await scriptedServer([
      { status: 429, headers: { 'retry-after': '120' }, body: 'slow down' }
    ])
    const channel = slackChannel(
      { webhook: `${server.url}${SECRET_PATH}`, minSeverity: 'warning' },
      fast
    )
    // Waiting it out would outlast the test's own timeout; no wall-clock bound needed.
    const [outcome] = await notify(n, [channel], { budgetMs: 2000 })
    expect(outcome).toMatchObject({ status: 'failed', detail: 'HTTP 429: slow down', attempts: 1 })
  })

  it('a 4xx other than 408/429 is not retried', async () => {
    server = await scriptedServer([
      { status: 404, body: 'no_service' },
      { status: 200, body: 'ok' }
    ])
    const channel = slackChannel(
      { webhook: `${server.url}${SECRET_PATH}`, minSeverity: 'warning' },
      fast
    )
    const [outcome] = await notify(n, [channel], { budgetMs: 5000 })
    expect(outcome).toMatchObject({ status: 'failed', detail: 'HTTP 404: no_service', attempts: 1 })
  })

  it('a hang past the attempt timeout: each attempt cut, failed: timeout, within the budget', async () => {
    server = await scriptedServer([{ hang: true }])
    const channel = webhookChannel({ url: `${server.url}/hook`, minSeverity: 'warning' }, fast)
    // Uncut attempts would end with the budget's timeout after one attempt instead.
    const [outcome] = await notify(n, [channel], { budgetMs: 5000 })
    expect(outcome).toMatchObject({ status: 'failed', detail: 'timeout after 300 ms', attempts: 3 })
    expect(server.requests).toHaveLength(3)
  })

  it('a hang longer than the whole budget: failed when the budget is spent', async () => {
    server = await scriptedServer([{ hang: true }])
    const channel = webhookChannel(
      { url: `${server.url}/hook`, minSeverity: 'warning' },
      { ...fast, attemptTimeoutMs: 60_000 }
    )
    // The server never answers and the attempt timeout is a minute: only the budget ends it.
    const [outcome] = await notify(n, [channel], { budgetMs: 400 })
    expect(outcome?.status).toBe('failed')
    expect(outcome?.detail).toMatch(/^timeout: the notification budget/)
  })

  it('connection refused: retried, then failed with a short reason', async () => {
    const port = await closedPort()
    const channel = slackChannel(
      { webhook: `http://127.0.0.1:${port}${SECRET_PATH}`, minSeverity: 'warning' },
      fast
    )
    const [outcome] = await notify(n, [channel], { budgetMs: 5000 })
    expect(outcome).toMatchObject({
      status: 'failed',
      detail: 'connection refused (ECONNREFUSED)',
      attempts: 3
    })
  })
})

describe('secrets never in reasons', () => {
  it('an answer echoing the URL is scrubbed', async () => {
    server = await scriptedServer([
      req => ({ status: 403, body: `invalid token in ${server.url}${req.path}` })
    ])
    const error = await send(
      { url: `${server.url}${SECRET_PATH}?token=abcdef123456`, body: '{}' },
      { signal: AbortSignal.timeout(5000), deadline: Date.now() + 5000, http: fast }
    ).catch((e: Error) => e)
    expect(error).toBeInstanceOf(Error)
    const message = (error as Error).message
    expect(message).toMatch(/^HTTP 403: invalid token in/)
    expect(message).not.toContain('XXXXXXXXXXXXXXXXXXXXXXXX')
    expect(message).not.toContain('abcdef123456')
  })
})
