// The router: min severities, Bark first, parallel sends within one budget, never throwing.
import { afterEach, describe, expect, it } from '@jest/globals'
import { barkChannel } from '../../../src/notify/channels/bark.js'
import { buildNotification } from '../../../src/notify/message.js'
import { notify, outcomeLine } from '../../../src/notify/router.js'
import { slackChannel } from '../../../src/notify/channels/slack.js'
import { notifyTest, sampleNotification } from '../../../src/notify/test-message.js'
import type { Channel, Severity } from '../../../src/notify/types.js'
import { result, row } from '../../fixtures/result.js'
import { barkOk, scriptedServer, type ScriptedServer } from '../../fixtures/http-servers.js'

const fast = { attemptTimeoutMs: 1000, attempts: 2, baseDelayMs: 10, maxDelayMs: 50 }

/** A channel of our own that records what it got (the router's own logic, no HTTP). */
function recorder(
  name: string,
  minSeverity: Severity,
  behaviour: 'ok' | 'throw' | 'ignore-signal' = 'ok'
) {
  const got: string[] = []
  const channel: Channel = {
    name,
    minSeverity,
    async send(n) {
      got.push(n.severity)
      if (behaviour === 'throw') throw new TypeError('boom')
      // Never settles: only the router's budget can end the send.
      if (behaviour === 'ignore-signal') await new Promise(() => {})
    }
  }
  return { channel, got }
}

let server: ScriptedServer
afterEach(async () => server?.close())

describe('notify', () => {
  const healthy = buildNotification(result([]))
  const warning = buildNotification(result([row()]))
  const critical = buildNotification(result([row({ outcome: 'not-recovered' })]))

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

  it('Bark first in the outcomes; a throwing channel is a failure, not a throw', async () => {
    const other = recorder('slack', 'warning', 'throw')
    const bark = recorder('bark', 'warning')
    const outcomes = await notify(warning, [other.channel, bark.channel], { budgetMs: 1000 })
    expect(outcomes.map(o => `${o.channel}:${o.status}`)).toEqual(['bark:sent', 'slack:failed'])
    expect(outcomes[1]?.detail).toBe('TypeError: boom')
  })

  it('a channel ignoring its signal cannot outlast the budget', async () => {
    const slow = recorder('slow', 'info', 'ignore-signal')
    const [outcome] = await notify(warning, [slow.channel], { budgetMs: 200 })
    expect(outcome?.status).toBe('failed')
    expect(outcome?.detail).toBe('timeout: the notification budget (200 ms) was spent')
  })

  it('real channels in parallel: one failing does not stop the other', async () => {
    server = await scriptedServer([
      req => (req.path === '/push' ? barkOk : { status: 404, body: 'no_service' })
    ])
    const outcomes = await notify(
      warning,
      [
        slackChannel({ webhook: `${server.url}/services/x`, minSeverity: 'warning' }, fast),
        barkChannel(
          {
            server: server.url,
            deviceKeys: ['KEYKEYKEYKEYKEYKEY12'],
            critical: false,
            minSeverity: 'warning'
          },
          fast
        )
      ],
      { budgetMs: 3000 }
    )
    expect(outcomes.map(outcomeLine)).toEqual([
      expect.stringMatching(/^bark: sent \(1 attempt, \d+ ms\)$/),
      expect.stringMatching(/^slack: failed: HTTP 404: no_service \(1 attempt, \d+ ms\)$/)
    ])
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
