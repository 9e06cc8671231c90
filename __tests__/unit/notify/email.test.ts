// E-mail without a server: the message's text and HTML parts (escaped), the SMTP URL read into
// nodemailer's options, and SMTP failures judged. Delivery through a real SMTP server is in
// __tests__/integration/notify/email.test.ts.
import { describe, expect, it } from '@jest/globals'
import {
  EMAIL_MAX_LINES,
  emailMessage,
  smtpOptions,
  smtpReason
} from '../../../src/notify/channels/email.js'
import { buildNotification } from '../../../src/notify/message.js'
import { result, row } from '../../fixtures/result.js'

const n = buildNotification(result([row({ pod: 'web-<script>', outcome: 'not-recovered' })]), {
  runUrl: 'https://github.com/acme/ops/actions/runs/1?a=1&b=2'
})

describe('email message', () => {
  it('text and HTML parts, every value escaped in the HTML', () => {
    const message = emailMessage(n)
    expect(message.subject).toBe(n.title)
    expect(message.text).toContain('shop/web-<script> · CrashLoopBackOff')
    expect(message.html).toContain('shop/web-&lt;script&gt;')
    expect(message.html).not.toContain('<script>')
    expect(message.html).toContain('href="https://github.com/acme/ops/actions/runs/1?a=1&amp;b=2"')
  })

  it(`at most ${EMAIL_MAX_LINES} rows, then "+N more"`, () => {
    const rows = Array.from({ length: EMAIL_MAX_LINES + 5 }, (_, i) => row({ pod: `web-${i}` }))
    const message = emailMessage(buildNotification(result(rows)))
    expect(message.text).toContain('+5 more: see the job summary')
    expect(message.text).not.toContain(`web-${EMAIL_MAX_LINES + 4} `)
  })
})

describe('SMTP', () => {
  it('smtp:// is STARTTLS on 587 by default, smtps:// TLS on 465; credentials URL-decoded', () => {
    expect(smtpOptions('smtp://ops:p%40ss@mail.example', 5000)).toMatchObject({
      host: 'mail.example',
      port: 587,
      secure: false,
      auth: { user: 'ops', pass: 'p@ss' },
      connectionTimeout: 5000
    })
    expect(smtpOptions('smtps://mail.example', 5000)).toMatchObject({
      port: 465,
      secure: true,
      auth: undefined
    })
  })

  it.each([
    [{ responseCode: 421, response: '421 busy' }, 'SMTP 421: 421 busy', true],
    [{ responseCode: 550, response: '550 no such user' }, 'SMTP 550: 550 no such user', false],
    [
      { code: 'EAUTH', response: '535 bad login' },
      'SMTP authentication failed: 535 bad login',
      false
    ],
    [{ code: 'ETIMEDOUT' }, 'SMTP timeout', true],
    [{ code: 'ECONNECTION' }, 'SMTP connection failed (ECONNECTION)', true],
    [{ code: 'EENVELOPE' }, 'SMTP error (EENVELOPE)', false]
  ])('%j → "%s" (retryable: %s)', (error, reason, retryable) => {
    expect(smtpReason(error)).toEqual({ reason, retryable })
  })
})
