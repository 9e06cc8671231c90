// The Notifier port over channels: the configured channels (Bark first), the run's notification
// through the router, and notify-test's sample, each within the budget given at creation.
import { describe, expect, it } from '@jest/globals'
import { createNotifier } from '../../../src/notify/notifier.js'
import type { Channel, Notification, Severity } from '../../../src/notify/types.js'
import { result, row } from '../../fixtures/result.js'
import { fakeHttp } from './fake-http.js'

function recorder(name: string, minSeverity: Severity) {
  const got: Notification[] = []
  const channel: Channel = {
    name,
    minSeverity,
    async send(n) {
      got.push(n)
      return { attempts: 1 }
    }
  }
  return { channel, got }
}

describe('createNotifier', () => {
  it('nothing configured: no channels', () => {
    expect(createNotifier({}, { budgetMs: 1000 }).channels).toEqual([])
  })

  it('channels from the settings, Bark first', () => {
    const notifier = createNotifier(
      {
        slack: { webhook: 'https://hooks.slack.example/x', minSeverity: 'warning' },
        bark: {
          server: 'https://api.day.app',
          deviceKeys: ['KEYKEYKEYKEYKEYKEY12'],
          critical: false,
          minSeverity: 'warning'
        },
        pushgateway: { url: 'http://pg:9091' }
      },
      { budgetMs: 1000 }
    )
    expect(notifier.channels).toEqual(['bark', 'slack', 'pushgateway'])
  })

  it("send: the run's notification with the run's link, per min severity", async () => {
    const slack = recorder('slack', 'warning')
    const pager = recorder('pager', 'critical')
    const notifier = createNotifier(
      {},
      { budgetMs: 1000, run: { runUrl: 'https://x/run' }, channels: [slack.channel, pager.channel] }
    )
    const outcomes = await notifier.send(result([row()]))
    expect(outcomes.map(o => `${o.channel}:${o.status}`)).toEqual(['slack:sent', 'pager:skipped'])
    expect(slack.got[0]).toMatchObject({ severity: 'warning', runUrl: 'https://x/run' })
  })

  it('test: the sample to every channel, whatever its min severity', async () => {
    const pager = recorder('pager', 'critical')
    const outcomes = await createNotifier({}, { budgetMs: 1000, channels: [pager.channel] }).test()
    expect(outcomes).toEqual([expect.objectContaining({ channel: 'pager', status: 'sent' })])
    expect(pager.got[0]?.title).toBe('Pod Cleaner test notification — sample-cluster')
  })

  it('the web channels use the transport given (here a fake: no network)', async () => {
    const fake = fakeHttp([{ status: 200, body: 'ok' }])
    const notifier = createNotifier(
      { slack: { webhook: 'https://hooks.slack.example/x', minSeverity: 'info' } },
      { budgetMs: 1000, http: fake.http }
    )
    const [outcome] = await notifier.test()
    expect(outcome).toMatchObject({ channel: 'slack', status: 'sent', attempts: 1 })
    expect(fake.requests.map(r => r.url)).toEqual(['https://hooks.slack.example/x'])
  })
})
