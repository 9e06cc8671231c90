// Bark's rules without a server: both bark-url forms, levels, the 4 KB APNs cap (plain and
// encrypted), the encryption itself, and how bark-server's answers are judged. The request on the
// wire, against a real server, is in __tests__/integration/notify/bark.test.ts.
import { describe, expect, it } from '@jest/globals'
import { createDecipheriv } from 'node:crypto'
import {
  APNS_MAX_BYTES,
  barkPayload,
  checkBarkAnswer,
  encryptFields,
  parseBarkUrl,
  type BarkConfig
} from '../../../src/notify/channels/bark.js'
import { DeliveryError } from '../../../src/notify/delivery.js'
import type { HttpResponse } from '../../../src/notify/http.js'
import { buildNotification } from '../../../src/notify/message.js'
import { result, row } from '../../fixtures/result.js'

const KEY = 'F5u42Bd3HyW8KxkUqo2gRA'
const runUrl = 'https://github.com/acme/ops/actions/runs/123'
const warning = buildNotification(
  result([row(), row({ pod: 'web-2', decision: 'report', status: 'ImagePullBackOff' })]),
  { runUrl }
)
const config = (extra: Partial<BarkConfig> = {}): BarkConfig => ({
  server: 'https://bark.example',
  deviceKeys: [KEY],
  critical: false,
  minSeverity: 'warning',
  ...extra
})
const manyPods = (count: number) =>
  buildNotification(
    result(
      Array.from({ length: count }, (_, i) =>
        row({
          pod: `checkout-service-7d9f8c6b5-${String(i).padStart(5, '0')}`,
          namespace: 'payments-production'
        })
      )
    ),
    { runUrl }
  )

describe('bark-url forms', () => {
  it.each([
    [
      'https://api.day.app/KEYKEYKEYKEYKEYKEY12',
      false,
      'https://api.day.app',
      'KEYKEYKEYKEYKEYKEY12'
    ],
    [
      'https://api.day.app/KEYKEYKEYKEYKEYKEY12/',
      false,
      'https://api.day.app',
      'KEYKEYKEYKEYKEYKEY12'
    ],
    [
      'https://bark.example.com/prefix/ABCDEFGHIJKLMNOPQRSTUV',
      false,
      'https://bark.example.com/prefix',
      'ABCDEFGHIJKLMNOPQRSTUV'
    ],
    ['https://api.day.app', true, 'https://api.day.app', undefined],
    ['https://bark.example.com/bark', true, 'https://bark.example.com/bark', undefined],
    [
      'https://api.day.app/ABCDEFGHIJKLMNOPQRSTUV',
      true,
      'https://api.day.app',
      'ABCDEFGHIJKLMNOPQRSTUV'
    ]
  ])('%s (device keys given: %s) → server %s, key %s', (url, keysGiven, server, key) => {
    expect(parseBarkUrl(url, keysGiven)).toEqual({ server, key })
  })

  it('not a URL: undefined', () => {
    expect(parseBarkUrl('api.day.app/KEY', false)).toBeUndefined()
  })
})

describe('payload', () => {
  it('one device key: device_key; several: device_keys', () => {
    expect(barkPayload(warning, config())).toMatchObject({ device_key: KEY })
    const both = barkPayload(warning, config({ deviceKeys: [KEY, 'other-key-0123456789'] }))
    expect(both.device_keys).toEqual([KEY, 'other-key-0123456789'])
    expect(both.device_key).toBeUndefined()
  })

  it('levels: timeSensitive for critical, critical only when opted in, with an alarm sound', () => {
    const critical = buildNotification(result([row({ outcome: 'not-recovered' })]))
    expect(barkPayload(critical, config())).toMatchObject({
      level: 'timeSensitive',
      sound: 'alarm'
    })
    expect(barkPayload(critical, config({ critical: true }))).toMatchObject({
      level: 'critical',
      sound: 'alarm',
      volume: 5
    })
    expect(barkPayload(warning, config({ critical: true })).level).toBe('active')
  })

  it('a 500-pod report stays under 4 KB, cut by whole lines, ending with "+N more"', () => {
    const n = manyPods(500)
    const payload = barkPayload(n, config())
    expect(Buffer.byteLength(JSON.stringify(payload))).toBeLessThan(APNS_MAX_BYTES)
    const lines = String(payload.body).split('\n')
    const shown = lines.length - 1
    expect(lines.at(-1)).toBe(`+${500 - shown} more`)
    expect(shown).toBeGreaterThan(5)
    for (const line of lines.slice(0, -1)) expect(n.lines).toContain(line)
  })

  it('encrypted 500-pod report: the ciphertext is measured, still under 4 KB', () => {
    const payload = barkPayload(manyPods(500), config({ encryptionKey: 'k'.repeat(32) }))
    expect(Buffer.byteLength(JSON.stringify(payload))).toBeLessThan(APNS_MAX_BYTES)
  })

  it('encrypts with AES-CBC (PKCS7), key and iv as UTF-8 bytes: decrypted back here', () => {
    const key = 'abcdefghijklmnopqrstuvwxyz012345'
    const iv = 'ivivivivivivivi1'
    const { ciphertext } = encryptFields({ title: 'hello', level: 'active' }, key, iv)
    const decipher = createDecipheriv('aes-256-cbc', Buffer.from(key), Buffer.from(iv))
    const plain = Buffer.concat([
      decipher.update(Buffer.from(ciphertext, 'base64')),
      decipher.final()
    ])
    expect(JSON.parse(plain.toString('utf8'))).toEqual({ title: 'hello', level: 'active' })
  })

  it('an encrypted payload carries only the device key, the ciphertext and the iv', () => {
    const payload = barkPayload(
      warning,
      config({ encryptionKey: 'k'.repeat(16) }),
      'ivivivivivivivi1'
    )
    expect(Object.keys(payload).sort()).toEqual(['ciphertext', 'device_key', 'iv'])
    expect(payload.iv).toBe('ivivivivivivivi1')
  })
})

describe("bark-server's answers", () => {
  const answer = (status: number, body: unknown): HttpResponse => ({
    status,
    headers: {},
    text: typeof body === 'string' ? body : JSON.stringify(body)
  })
  const judge = (response: HttpResponse): DeliveryError | undefined => {
    try {
      checkBarkAnswer(response)
      return undefined
    } catch (error) {
      return error as DeliveryError
    }
  }

  it('code 200: delivered', () => {
    expect(judge(answer(200, { code: 200, message: 'success' }))).toBeUndefined()
  })

  it('HTTP 400 (bad device key): not retryable, the server message kept short', () => {
    expect(judge(answer(400, { code: 400, message: 'failed to get device token' }))).toMatchObject({
      reason: 'HTTP 400: rejected by bark-server (bad device key?): failed to get device token',
      retryable: false
    })
  })

  it('a 200 that is not bark-server JSON is a failure, not "sent"', () => {
    expect(judge(answer(200, '<html>captive portal</html>'))).toMatchObject({
      reason: 'HTTP 200: not a Bark server answer',
      retryable: false
    })
  })

  it('a 503 page: retryable, with its status', () => {
    expect(judge(answer(503, '<html>down</html>'))).toMatchObject({
      reason: 'HTTP 503',
      retryable: true,
      status: 503
    })
  })

  it('a device rejected in a batch: named by position, not retried', () => {
    const error = judge(
      answer(200, { code: 200, data: [{ code: 200 }, { code: 400, message: 'no token' }] })
    )
    expect(error).toMatchObject({
      reason: 'bark-server rejected 1 of 2 devices (device #2: code 400)',
      retryable: false
    })
  })
})
