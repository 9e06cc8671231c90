// Slack, DingTalk, the generic webhook and Pushgateway without a server: payload limits, signing,
// answers judged, and the request each one makes (through a fake transport). The same requests on
// the wire, against a real server, are in __tests__/integration/notify/channels.test.ts.
import { describe, expect, it } from '@jest/globals'
import { createHmac } from 'node:crypto'
import {
  checkDingTalkAnswer,
  DINGTALK_MAX_BYTES,
  dingTalkPayload,
  dingTalkSign,
  signedUrl
} from '../../../src/notify/channels/dingtalk.js'
import {
  pushgatewayChannel,
  pushgatewayUrl,
  runMetrics
} from '../../../src/notify/channels/pushgateway.js'
import {
  SLACK_HEADER_MAX,
  SLACK_MAX_BLOCKS,
  SLACK_SECTION_MAX,
  slackChannel,
  slackPayload
} from '../../../src/notify/channels/slack.js'
import {
  webhookBody,
  webhookSignature,
  WEBHOOK_SCHEMA
} from '../../../src/notify/channels/webhook.js'
import { buildNotification } from '../../../src/notify/message.js'
import { notify } from '../../../src/notify/router.js'
import { result, row } from '../../fixtures/result.js'
import { fakeHttp } from './fake-http.js'

const runUrl = 'https://github.com/acme/ops/actions/runs/123'
const n = buildNotification(
  result([
    row({ pod: 'web-<1>&' }),
    row({ pod: 'api', outcome: 'not-recovered', outcomeDetail: 'no Ready pod' })
  ]),
  { runUrl }
)
const many = (count: number, context = 'prod') =>
  buildNotification(
    result(
      Array.from({ length: count }, (_, i) => row({ pod: `pod-${i}-${'x'.repeat(60)}` })),
      { cluster: { context, server: '' } }
    ),
    { runUrl }
  )

describe('Slack', () => {
  it('Block Kit with a text fallback, escaped, POSTed as JSON to the webhook', async () => {
    const fake = fakeHttp([{ status: 200, body: 'ok' }])
    const webhook = 'https://hooks.slack.example/services/T0/B0/xyz'
    const [outcome] = await notify(
      n,
      [slackChannel({ webhook, minSeverity: 'warning' }, fake.http)],
      {
        budgetMs: 5000
      }
    )
    expect(outcome).toMatchObject({ channel: 'slack', status: 'sent', attempts: 1 })
    const req = fake.requests[0]!
    expect(req.url).toBe(webhook)
    expect(req.headers?.['content-type']).toBe('application/json; charset=utf-8')
    const body = JSON.parse(req.body)
    expect(body.text).toBe(`${n.title}\n${n.subtitle}`)
    expect(JSON.stringify(body.blocks)).toContain('web-&lt;1&gt;&amp;')
  })

  it('keeps within Block Kit limits for 2,000 pods and a long title', () => {
    const payload = slackPayload(many(2000, 'c'.repeat(300)))
    expect(payload.blocks.length).toBeLessThanOrEqual(SLACK_MAX_BLOCKS)
    const header = payload.blocks[0] as { text: { text: string } }
    expect(header.text.text.length).toBeLessThanOrEqual(SLACK_HEADER_MAX)
    for (const block of payload.blocks.slice(1)) {
      const text = (block as { text?: { text: string } }).text?.text ?? ''
      expect(text.length).toBeLessThanOrEqual(SLACK_SECTION_MAX)
    }
    const sections = payload.blocks.filter(b => b.type === 'section')
    const last = sections.at(-1) as { text: { text: string } }
    const shown = sections
      .slice(1, -1)
      .reduce((sum, s) => sum + (s as { text: { text: string } }).text.text.split('\n').length, 0)
    expect(last.text.text).toBe(`+${2000 - shown} more: see the job summary`)
  })
})

describe('DingTalk', () => {
  it('signs with HMAC-SHA256 of "timestamp\\nsecret" (base64, URL-encoded)', () => {
    const sign = dingTalkSign('SEC123', 1700000000000)
    expect(sign).toBe(
      createHmac('sha256', 'SEC123').update('1700000000000\nSEC123').digest('base64')
    )
    const url = new URL(
      signedUrl('https://oapi.dingtalk.com/robot/send?access_token=T', 'SEC123', 1700000000000)
    )
    expect(url.searchParams.get('access_token')).toBe('T')
    expect(url.searchParams.get('timestamp')).toBe('1700000000000')
    expect(url.searchParams.get('sign')).toBe(sign)
    expect(url.search).toContain(`sign=${encodeURIComponent(sign)}`)
  })

  it('no secret: the webhook unchanged', () => {
    expect(signedUrl('https://oapi.dingtalk.com/robot/send?access_token=T', undefined)).toBe(
      'https://oapi.dingtalk.com/robot/send?access_token=T'
    )
  })

  it('markdown with escaped names, cut to its size cap with "+N more"', () => {
    const small = dingTalkPayload(n)
    expect(small.markdown.text).toContain(`[Job summary of this run](${runUrl})`)
    expect(small.markdown.text).toContain('- shop/web-<1>&')
    const big = dingTalkPayload(many(2000))
    expect(Buffer.byteLength(big.markdown.text)).toBeLessThanOrEqual(DINGTALK_MAX_BYTES)
    expect(big.markdown.text).toMatch(/- \+\d+ more: see the job summary\n\n\[Job summary/)
  })

  it.each([
    [{ errcode: 0, errmsg: 'ok' }, undefined],
    [{ errcode: 310000, errmsg: 'sign not match' }, { retryable: false }],
    [
      { errcode: 130101, errmsg: 'send too fast' },
      { retryable: true, retryAfterMs: 3000 }
    ]
  ])('answer %j → %j', (body, expected) => {
    let error: unknown
    try {
      checkDingTalkAnswer({ status: 200, headers: {}, text: JSON.stringify(body) })
    } catch (e) {
      error = e
    }
    if (expected === undefined) expect(error).toBeUndefined()
    else expect(error).toMatchObject(expected)
  })
})

describe('generic webhook', () => {
  it('the versioned payload with the whole result; the signature is over the raw body', () => {
    const body = webhookBody(n)
    expect(JSON.parse(body)).toMatchObject({
      schema: WEBHOOK_SCHEMA,
      severity: 'critical',
      title: n.title,
      runUrl,
      result: JSON.parse(JSON.stringify(n.result))
    })
    const expected = createHmac('sha256', 'whsec_123456').update(body).digest('hex')
    expect(webhookSignature('whsec_123456', body)).toBe(`sha256=${expected}`)
  })
})

describe('Pushgateway', () => {
  it('a context with a slash uses the @base64 grouping form', () => {
    expect(pushgatewayUrl('http://pg:9091', 'arn:aws:eks:eu/prod')).toBe(
      `http://pg:9091/metrics/job/pod_cleaner/cluster@base64/${Buffer.from('arn:aws:eks:eu/prod').toString('base64url')}`
    )
  })

  it('PUTs the run gauges, for a healthy run too (min severity info)', async () => {
    const fake = fakeHttp([{ status: 200 }])
    const healthy = buildNotification(result([], { durationMs: 2500 }))
    const channel = pushgatewayChannel({ url: 'http://pg:9091/' }, fake.http)
    const [outcome] = await notify(healthy, [channel], { budgetMs: 5000 })
    expect(outcome).toMatchObject({ channel: 'pushgateway', status: 'sent', attempts: 1 })
    const req = fake.requests[0]!
    expect(req.method).toBe('PUT')
    expect(req.url).toBe('http://pg:9091/metrics/job/pod_cleaner/cluster/prod')
    const metrics = await runMetrics(healthy.result)
    expect(req.body).toBe(metrics.text)
    expect(req.body).toContain('pod_cleaner_run_duration_seconds 2.5')
  })
})
