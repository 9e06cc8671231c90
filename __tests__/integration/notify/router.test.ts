// The router with real channels against a real HTTP server: sent in parallel, one failing does
// not stop the other, each outcome with its own attempts.
import { afterEach, describe, expect, it } from '@jest/globals'
import { barkChannel } from '../../../src/notify/channels/bark.js'
import { slackChannel } from '../../../src/notify/channels/slack.js'
import { buildNotification } from '../../../src/notify/message.js'
import { notify } from '../../../src/notify/router.js'
import { result, row } from '../../fixtures/result.js'
import { barkOk, scriptedServer, type ScriptedServer } from '../../fixtures/http-servers.js'

const fast = { attemptTimeoutMs: 1000, attempts: 2, baseDelayMs: 10, maxDelayMs: 50 }

let server: ScriptedServer
afterEach(async () => server?.close())

describe('notify with real channels', () => {
  it('in parallel: one failing does not stop the other', async () => {
    server = await scriptedServer([
      req => (req.path === '/push' ? barkOk : { status: 404, body: 'no_service' })
    ])
    const outcomes = await notify(
      buildNotification(result([row()])),
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
    expect(outcomes).toEqual([
      expect.objectContaining({ channel: 'bark', status: 'sent', attempts: 1 }),
      expect.objectContaining({
        channel: 'slack',
        status: 'failed',
        attempts: 1,
        detail: 'HTTP 404: no_service'
      })
    ])
    expect(server.requests.map(r => r.path).sort()).toEqual(['/push', '/services/x'])
  })
})
