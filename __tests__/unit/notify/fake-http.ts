// A transport and a sleep of our own for the web channels, so the sender's logic runs without
// sockets or waiting: the transport records each request and answers per a script (a status and
// body, a network error by its code, or a hang that only the signal ends); the sleep records the
// delay asked for and returns at once (or rejects when the budget is spent, like the real one).

import { budgetSpent } from '../../../src/notify/delivery.js'
import type { HttpOptions, HttpRequest, HttpTransport } from '../../../src/notify/http.js'

export type FakeReply =
  | { status?: number; headers?: Record<string, string>; body?: unknown }
  | { networkError: string }
  | { hang: true }

export interface FakeHttp {
  /** Every request the transport got, in order. */
  requests: HttpRequest[]
  /** Every delay the sender asked to sleep, in order. */
  delays: number[]
  /** Channel options: short timeouts, the fake transport and sleep. */
  http: HttpOptions
}

const text = (body: unknown): string =>
  body === undefined ? '' : typeof body === 'string' ? body : JSON.stringify(body)

/** Answers the n-th request with script[n] (the last reply repeats), or per `answer(req)`. */
export function fakeHttp(
  script: FakeReply[] | ((req: HttpRequest) => FakeReply),
  tuning: Partial<HttpOptions> = {}
): FakeHttp {
  const requests: HttpRequest[] = []
  const delays: number[] = []
  const transport: HttpTransport = async (req, signal) => {
    const index = requests.push(req) - 1
    const reply =
      typeof script === 'function'
        ? script(req)
        : (script[Math.min(index, script.length - 1)] ?? {})
    if ('networkError' in reply) {
      throw Object.assign(new Error('fake network error'), { code: reply.networkError })
    }
    if ('hang' in reply) {
      return new Promise((_, reject) => {
        signal.addEventListener('abort', () => reject(signal.reason), { once: true })
      })
    }
    return { status: reply.status ?? 200, headers: reply.headers ?? {}, text: text(reply.body) }
  }
  const sleep = async (ms: number, signal: AbortSignal): Promise<void> => {
    delays.push(ms)
    if (signal.aborted) throw budgetSpent()
  }
  return {
    requests,
    delays,
    http: {
      attemptTimeoutMs: 1000,
      attempts: 3,
      baseDelayMs: 10,
      maxDelayMs: 50,
      transport,
      sleep,
      ...tuning
    }
  }
}
