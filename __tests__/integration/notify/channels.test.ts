// Slack, DingTalk, the generic webhook and Pushgateway against a real HTTP server: the exact
// request each one sends. Payload limits and signing without a server are in the unit project.
import { afterEach, describe, expect, it } from '@jest/globals'
import { createHmac } from 'node:crypto'
import { dingTalkChannel, dingTalkSign } from '../../../src/notify/channels/dingtalk.js'
import { buildNotification } from '../../../src/notify/message.js'
import { pushgatewayChannel } from '../../../src/notify/channels/pushgateway.js'
import { notify } from '../../../src/notify/router.js'
import { slackChannel } from '../../../src/notify/channels/slack.js'
import { webhookChannel } from '../../../src/notify/channels/webhook.js'
import { result, row } from '../../fixtures/result.js'
import { scriptedServer, type ScriptedServer } from '../../fixtures/http-servers.js'

const fast = { attemptTimeoutMs: 1000, attempts: 3, baseDelayMs: 10, maxDelayMs: 50 }
const runUrl = 'https://github.com/acme/ops/actions/runs/123'
const n = buildNotification(
  result([
    row({ pod: 'web-<1>&' }),
    row({ pod: 'api', outcome: 'not-recovered', outcomeDetail: 'no Ready pod' })
  ]),
  { runUrl }
)

let server: ScriptedServer
afterEach(async () => server?.close())

describe('Slack', () => {
  it('posts Block Kit with a text fallback, escaped, to the webhook', async () => {
    server = await scriptedServer([{ status: 200, body: 'ok' }])
    const [outcome] = await notify(
      n,
      [slackChannel({ webhook: `${server.url}/services/T0/B0/xyz`, minSeverity: 'warning' }, fast)],
      { budgetMs: 5000 }
    )
    expect(outcome).toMatchObject({ status: 'sent' })
    const req = server.requests[0]!
    expect(req.path).toBe('/services/T0/B0/xyz')
    const body = JSON.parse(req.body)
    expect(body.text).toBe(`${n.title}\n${n.subtitle}`)
    expect(body.blocks[0]).toEqual({ type: 'header', text: { type: 'plain_text', text: n.title } })
    expect(body.blocks[1].text.text).toContain(':rotating_light: *critical*')
    expect(body.blocks[2].text.text).toContain('• shop/api · CrashLoopBackOff')
    expect(body.blocks[2].text.text).toContain('shop/web-&lt;1&gt;&amp;')
    expect(body.blocks.at(-1)).toEqual({
      type: 'context',
      elements: [{ type: 'mrkdwn', text: `<${runUrl}|Job summary of this run>` }]
    })
  })
})

describe('DingTalk', () => {
  it('posts markdown to the robot with timestamp and sign', async () => {
    server = await scriptedServer([{ status: 200, body: { errcode: 0, errmsg: 'ok' } }])
    const channel = dingTalkChannel(
      {
        webhook: `${server.url}/robot/send?access_token=TOKEN123456`,
        secret: 'SECabcdef',
        minSeverity: 'warning'
      },
      fast
    )
    const [outcome] = await notify(n, [channel], { budgetMs: 5000 })
    expect(outcome).toMatchObject({ status: 'sent', attempts: 1 })
    const req = server.requests[0]!
    const url = new URL(req.path, server.url)
    expect(url.pathname).toBe('/robot/send')
    expect(url.searchParams.get('access_token')).toBe('TOKEN123456')
    const timestamp = Number(url.searchParams.get('timestamp'))
    expect(url.searchParams.get('sign')).toBe(dingTalkSign('SECabcdef', timestamp))
    const body = JSON.parse(req.body)
    expect(body.msgtype).toBe('markdown')
    expect(body.markdown.title).toBe(n.title)
    expect(body.markdown.text).toContain(`### ${n.title}`)
    expect(body.markdown.text).toContain('- shop/api · CrashLoopBackOff')
    expect(body.markdown.text).toContain(`[Job summary of this run](${runUrl})`)
  })

  it('errcode ≠ 0 with HTTP 200 is a failure (not retried); the rate limit is retried', async () => {
    server = await scriptedServer([
      { status: 200, body: { errcode: 310000, errmsg: 'sign not match' } }
    ])
    const channel = dingTalkChannel(
      { webhook: `${server.url}/robot/send?access_token=T`, minSeverity: 'warning' },
      fast
    )
    const [outcome] = await notify(n, [channel], { budgetMs: 5000 })
    expect(outcome).toMatchObject({
      status: 'failed',
      attempts: 1,
      detail: 'DingTalk errcode 310000: sign not match'
    })
  })
})

describe('generic webhook', () => {
  it('posts the versioned payload, signed over the raw body', async () => {
    server = await scriptedServer([{ status: 204 }])
    const channel = webhookChannel(
      { url: `${server.url}/hooks/pc`, secret: 'whsec_123456', minSeverity: 'warning' },
      fast
    )
    const [outcome] = await notify(n, [channel], { budgetMs: 5000 })
    expect(outcome).toMatchObject({ status: 'sent' })
    const req = server.requests[0]!
    const body = JSON.parse(req.body)
    expect(body).toMatchObject({
      schema: 'pod-cleaner/v1',
      severity: 'critical',
      title: n.title,
      runUrl
    })
    expect(body.result).toEqual(JSON.parse(JSON.stringify(n.result)))
    const expected = createHmac('sha256', 'whsec_123456').update(req.body).digest('hex')
    expect(req.headers['x-pod-cleaner-signature']).toBe(`sha256=${expected}`)
    // A UUID: five groups of 8-4-4-4-12 hex digits (its value is random, so only its shape).
    const delivery = String(req.headers['x-pod-cleaner-delivery'])
    expect(delivery.split('-').map(group => group.length)).toEqual([8, 4, 4, 4, 12])
  })

  it('no secret, no signature header; retries keep the delivery id', async () => {
    server = await scriptedServer([{ status: 503 }, { status: 200 }])
    const channel = webhookChannel({ url: `${server.url}/hooks/pc`, minSeverity: 'warning' }, fast)
    await notify(n, [channel], { budgetMs: 5000 })
    expect(server.requests).toHaveLength(2)
    expect(server.requests[0]!.headers['x-pod-cleaner-signature']).toBeUndefined()
    expect(server.requests[1]!.headers['x-pod-cleaner-delivery']).toBe(
      server.requests[0]!.headers['x-pod-cleaner-delivery']
    )
  })
})

describe('Pushgateway', () => {
  it('PUTs the run metrics in the exposition format to job/pod_cleaner/cluster/<context>', async () => {
    server = await scriptedServer([{ status: 200 }])
    const healthy = buildNotification(result([], { durationMs: 2500 }))
    expect(healthy.severity).toBe('info')
    const [outcome] = await notify(healthy, [pushgatewayChannel({ url: `${server.url}/` }, fast)], {
      budgetMs: 5000
    })
    expect(outcome).toMatchObject({ channel: 'pushgateway', status: 'sent' })
    const req = server.requests[0]!
    expect(req.method).toBe('PUT')
    expect(req.path).toBe('/metrics/job/pod_cleaner/cluster/prod')
    expect(req.headers['content-type']).toContain('text/plain')
    expect(req.body).toContain('# TYPE pod_cleaner_pods_scanned gauge')
    expect(req.body).toContain('pod_cleaner_pods_scanned 1200')
    expect(req.body).toContain('pod_cleaner_pods_unhealthy 0')
    expect(req.body).toContain('pod_cleaner_run_duration_seconds 2.5')
  })
})
