// Email against a real SMTP server (smtp-server) on 127.0.0.1: text + HTML parts, escaped, with
// authentication; a rejected login is a clear failure without the password.
import { afterEach, describe, expect, it } from '@jest/globals'
import { SMTPServer } from 'smtp-server'
import type { AddressInfo } from 'node:net'
import { emailChannel } from '../../../src/notify/channels/email.js'
import { buildNotification } from '../../../src/notify/message.js'
import { notify } from '../../../src/notify/router.js'
import { result, row } from '../../fixtures/result.js'

const fast = { attemptTimeoutMs: 2000, attempts: 2, baseDelayMs: 10, maxDelayMs: 50 }

interface Received {
  from: string
  to: string[]
  data: string
}

async function smtpServer(
  password = 's3cr3t-pass'
): Promise<{ port: number; mails: Received[]; close(): Promise<void> }> {
  const mails: Received[] = []
  const server = new SMTPServer({
    authOptional: false,
    allowInsecureAuth: true,
    disabledCommands: ['STARTTLS'],
    onAuth(auth, _session, callback) {
      if (auth.username === 'ops' && auth.password === password) callback(null, { user: 'ops' })
      else callback(new Error('Invalid username or password'))
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = []
      stream.on('data', (c: Buffer) => chunks.push(c))
      stream.on('end', () => {
        mails.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map(r => r.address),
          data: Buffer.concat(chunks).toString('utf8')
        })
        callback()
      })
    }
  })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', () => resolve()))
  const { port } = server.server.address() as AddressInfo
  return { port, mails, close: () => new Promise<void>(resolve => server.close(() => resolve())) }
}

let stop: (() => Promise<void>) | undefined
afterEach(async () => stop?.())

const n = buildNotification(result([row({ pod: 'web-<script>', outcome: 'not-recovered' })]), {
  runUrl: 'https://github.com/acme/ops/actions/runs/1?a=1&b=2'
})

describe('email', () => {
  it('delivers through a real SMTP server with authentication', async () => {
    const smtp = await smtpServer()
    stop = smtp.close
    const channel = emailChannel(
      {
        smtpUrl: `smtp://ops:s3cr3t-pass@127.0.0.1:${smtp.port}`,
        from: 'Pod Cleaner <cleaner@example.com>',
        to: ['oncall@example.com', 'team@example.com'],
        minSeverity: 'warning'
      },
      fast
    )
    const [outcome] = await notify(n, [channel], { budgetMs: 10_000 })
    expect(outcome).toMatchObject({ channel: 'email', status: 'sent', attempts: 1 })
    expect(smtp.mails).toHaveLength(1)
    const mail = smtp.mails[0]!
    expect(mail.from).toBe('cleaner@example.com')
    expect(mail.to).toEqual(['oncall@example.com', 'team@example.com'])
    // Subject is RFC 2047-encoded (it has a non-ASCII dash).
    expect(mail.data).toContain('Subject: =?UTF-8?Q?Pod_Cleaner=3A_1_deleted=2C_1_not_recove?=')
    expect(mail.data).toContain('Content-Type: text/plain')
    expect(mail.data).toContain('Content-Type: text/html')
  })

  it('a rejected login: failed, not retried, the password nowhere in the reason', async () => {
    const smtp = await smtpServer('other-password')
    stop = smtp.close
    const channel = emailChannel(
      {
        smtpUrl: `smtp://ops:s3cr3t-pass@127.0.0.1:${smtp.port}`,
        from: 'cleaner@example.com',
        to: ['oncall@example.com'],
        minSeverity: 'warning'
      },
      fast
    )
    const [outcome] = await notify(n, [channel], { budgetMs: 10_000 })
    expect(outcome).toMatchObject({ status: 'failed', attempts: 1 })
    expect(outcome?.detail).toMatch(/^SMTP (authentication failed|535)/)
    expect(outcome?.detail).not.toContain('s3cr3t-pass')
    expect(smtp.mails).toHaveLength(0)
  })
})
