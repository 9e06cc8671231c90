// Bark against a real HTTP server: the exact /push request for both bark-url forms and several
// device keys, the 4 KB APNs cap on the wire, encryption (decrypted here), bark-server's answers.
// The payload's rules without a server are in __tests__/unit/notify/bark.test.ts.
import { afterEach, describe, expect, it } from '@jest/globals'
import { createDecipheriv } from 'node:crypto'
import { APNS_MAX_BYTES, barkChannel, type BarkConfig } from '../../../src/notify/channels/bark.js'
import { createChannels } from '../../../src/notify/channels/index.js'
import { parseNotifyConfig } from '../../../src/config/notify.js'
import { buildNotification } from '../../../src/notify/message.js'
import { notify } from '../../../src/notify/router.js'
import { result, row } from '../../fixtures/result.js'
import {
  barkBadKey,
  barkOk,
  scriptedServer,
  type ScriptedServer
} from '../../fixtures/http-servers.js'

const KEY = 'F5u42Bd3HyW8KxkUqo2gRA'
const KEY2 = 'ynJ5Ft4atkMkWeo2PAvFhF'
const fast = { attemptTimeoutMs: 1000, attempts: 3, baseDelayMs: 10, maxDelayMs: 50 }
const runUrl = 'https://github.com/acme/ops/actions/runs/123'

let server: ScriptedServer
afterEach(async () => server?.close())

const warning = () =>
  buildNotification(
    result([row(), row({ pod: 'web-2', decision: 'report', status: 'ImagePullBackOff' })]),
    {
      runUrl
    }
  )

const config = (extra: Partial<BarkConfig> = {}): BarkConfig => ({
  server: server.url,
  deviceKeys: [KEY],
  critical: false,
  minSeverity: 'warning',
  ...extra
})

const inputs =
  (values: Record<string, string>) =>
  (name: string): string =>
    values[name] ?? ''

describe('Bark /push', () => {
  it('the original form (https://host/KEY): one POST to /push, never /KEY/push, with the full JSON', async () => {
    server = await scriptedServer([barkOk])
    const { config: cfg, problems } = parseNotifyConfig(
      inputs({ 'bark-url': `${server.url}/${KEY}` })
    )
    expect(problems).toEqual([])
    const outcomes = await notify(warning(), createChannels(cfg, fast), { budgetMs: 5000 })
    expect(outcomes).toEqual([
      expect.objectContaining({ channel: 'bark', status: 'sent', attempts: 1 })
    ])
    expect(server.requests).toHaveLength(1)
    const req = server.requests[0]!
    expect(req.method).toBe('POST')
    expect(req.path).toBe('/push')
    expect(req.headers['content-type']).toBe('application/json; charset=utf-8')
    const body = JSON.parse(req.body)
    expect(body).toEqual({
      device_key: KEY,
      title: 'Pod Cleaner: 1 deleted, 1 need a fix — prod',
      subtitle: expect.stringContaining('prod'),
      body: expect.stringContaining('shop/web-2 · ImagePullBackOff · exit 1 · report only'),
      group: 'pod-cleaner-prod',
      level: 'active',
      icon: expect.stringMatching(/^https:\/\//),
      isArchive: '1',
      url: runUrl
    })
    // Most important first: the report-only row before the deleted one.
    expect(body.body.split('\n')[0]).toContain('web-2')
  })

  it('server + several bark-device-keys: one request with device_keys', async () => {
    server = await scriptedServer([
      { status: 200, body: { code: 200, message: 'success', data: [{ code: 200 }, { code: 200 }] } }
    ])
    const { config: cfg } = parseNotifyConfig(
      inputs({ 'bark-url': server.url, 'bark-device-keys': `${KEY}, ${KEY2}`, 'bark-group': 'k8s' })
    )
    const [outcome] = await notify(warning(), createChannels(cfg, fast), { budgetMs: 5000 })
    expect(outcome?.status).toBe('sent')
    expect(server.requests.map(r => r.path)).toEqual(['/push'])
    const body = JSON.parse(server.requests[0]!.body)
    expect(body.device_keys).toEqual([KEY, KEY2])
    expect(body.device_key).toBeUndefined()
    expect(body.group).toBe('k8s')
  })

  it('a device rejected in a batch is a failure naming its position, not its key', async () => {
    server = await scriptedServer([
      {
        status: 200,
        body: {
          code: 200,
          message: 'success',
          data: [{ code: 200 }, { code: 400, message: 'failed to get device token' }]
        }
      }
    ])
    const channel = barkChannel(config({ deviceKeys: [KEY, KEY2] }), fast)
    const [outcome] = await notify(warning(), [channel], { budgetMs: 5000 })
    expect(outcome).toMatchObject({ status: 'failed', attempts: 1 })
    expect(outcome?.detail).toContain('1 of 2 devices')
    expect(outcome?.detail).toContain('device #2')
    expect(outcome?.detail).not.toContain(KEY2)
  })

  it('a 500-pod report stays under 4 KB, cut by whole lines, ending with "+N more"', async () => {
    server = await scriptedServer([barkOk])
    const rows = Array.from({ length: 500 }, (_, i) =>
      row({
        pod: `checkout-service-7d9f8c6b5-${String(i).padStart(5, '0')}`,
        namespace: 'payments-production'
      })
    )
    const n = buildNotification(result(rows), { runUrl })
    const [outcome] = await notify(n, [barkChannel(config(), fast)], { budgetMs: 5000 })
    expect(outcome?.status).toBe('sent')
    const raw = server.requests[0]!.body
    expect(Buffer.byteLength(raw)).toBeLessThan(APNS_MAX_BYTES)
    const lines: string[] = JSON.parse(raw).body.split('\n')
    const shown = lines.length - 1
    expect(lines.at(-1)).toBe(`+${500 - shown} more`)
    expect(shown).toBeGreaterThan(5)
    for (const line of lines.slice(0, -1)) expect(n.lines).toContain(line)
  })

  it('encrypts the push (AES-256-CBC, PKCS7): ciphertext + iv, decrypted back here', async () => {
    server = await scriptedServer([barkOk])
    const key = 'abcdefghijklmnopqrstuvwxyz012345'
    await notify(warning(), [barkChannel(config({ encryptionKey: key }), fast)], { budgetMs: 5000 })
    const body = JSON.parse(server.requests[0]!.body)
    expect(Object.keys(body).sort()).toEqual(['ciphertext', 'device_key', 'iv'])
    // Bark takes the iv as a 16-character string: its UTF-8 bytes are the AES iv.
    expect(Buffer.byteLength(body.iv)).toBe(16)
    const decipher = createDecipheriv('aes-256-cbc', Buffer.from(key), Buffer.from(body.iv))
    const plain = Buffer.concat([
      decipher.update(Buffer.from(body.ciphertext, 'base64')),
      decipher.final()
    ])
    const fields = JSON.parse(plain.toString('utf8'))
    expect(fields).toMatchObject({
      title: warning().title,
      level: 'active',
      url: runUrl,
      isArchive: '1'
    })
    expect(fields.body).toContain('shop/web-2')
  })

  it('HTTP 400 (bad device key): failed at once, not retried', async () => {
    server = await scriptedServer([barkBadKey, barkOk])
    const [outcome] = await notify(warning(), [barkChannel(config(), fast)], { budgetMs: 5000 })
    expect(outcome).toMatchObject({ channel: 'bark', status: 'failed', attempts: 1 })
    expect(outcome?.detail).toMatch(/^HTTP 400: rejected by bark-server \(bad device key\?\)/)
    expect(outcome?.detail).not.toContain(KEY)
    expect(server.requests).toHaveLength(1)
  })

  it('a 200 that is not bark-server JSON is a failure, not "sent"', async () => {
    server = await scriptedServer([{ status: 200, body: '<html>captive portal</html>' }])
    const [outcome] = await notify(warning(), [barkChannel(config(), fast)], { budgetMs: 5000 })
    expect(outcome).toMatchObject({
      status: 'failed',
      detail: 'HTTP 200: not a Bark server answer'
    })
  })
})
