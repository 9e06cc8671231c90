// A minimal apiserver client for the bench itself (seeding, breaking pods, watching, metrics):
// one keep-alive undici Agent, bearer token, the cluster CA. Not the product's client.

import { readFileSync } from 'node:fs'
import { Agent, request } from 'undici'

export class Kube {
  /** @param {{server: string, adminToken: string, caFile: string}} cluster */
  constructor(cluster, { connections = 32 } = {}) {
    this.server = cluster.server.replace(/\/+$/, '')
    this.token = cluster.adminToken
    this.agent = new Agent({
      connect: { ca: readFileSync(cluster.caFile) },
      connections,
      keepAliveTimeout: 30_000,
      bodyTimeout: 0,
      headersTimeout: 0
    })
    this.requests = 0
  }

  async req(method, path, { body, query, headers, allow = [] } = {}) {
    const qs = query
      ? '?' + new URLSearchParams(Object.entries(query).filter(([, v]) => v !== undefined && v !== '')).toString()
      : ''
    this.requests++
    const res = await request(`${this.server}${path}${qs}`, {
      method,
      dispatcher: this.agent,
      headers: {
        authorization: `Bearer ${this.token}`,
        accept: 'application/json',
        ...(body !== undefined ? { 'content-type': method === 'PATCH' ? 'application/merge-patch+json' : 'application/json' } : {}),
        ...headers
      },
      body: body !== undefined ? JSON.stringify(body) : undefined
    })
    const text = await res.body.text()
    if (res.statusCode >= 300 && !allow.includes(res.statusCode)) {
      const err = new Error(`${method} ${path}: ${res.statusCode} ${text.slice(0, 300)}`)
      err.statusCode = res.statusCode
      throw err
    }
    if (headers?.accept?.startsWith('text/')) return text
    return text ? JSON.parse(text) : {}
  }

  get(path, query) {
    return this.req('GET', path, { query })
  }

  /** Retries 429/5xx/network errors a few times (seeding at full speed meets them). */
  async retrying(fn, attempts = 6) {
    for (let i = 1; ; i++) {
      try {
        return await fn()
      } catch (error) {
        const code = error.statusCode
        if (i >= attempts || (code && code !== 429 && code < 500)) throw error
        await new Promise(r => setTimeout(r, 200 * 2 ** i))
      }
    }
  }

  /** Prometheus text of /metrics (apiserver request counters). */
  async metrics() {
    return this.req('GET', '/metrics', { headers: { accept: 'text/plain' } })
  }

  close() {
    return this.agent.close()
  }
}

/** Sums apiserver_request_total samples whose labels match every given label. */
export function requestTotal(metricsText, match) {
  let sum = 0
  for (const line of metricsText.split('\n')) {
    if (!line.startsWith('apiserver_request_total{')) continue
    const close = line.lastIndexOf('}')
    const labels = Object.fromEntries(
      [...line.slice(24, close).matchAll(/(\w+)="([^"]*)"/g)].map(m => [m[1], m[2]])
    )
    if (Object.entries(match).every(([k, v]) => labels[k] === v)) sum += Number(line.slice(close + 1))
  }
  return sum
}

/** Runs fn over items with at most `parallel` in flight; calls onProgress(done) now and then. */
export async function pool(items, parallel, fn, onProgress) {
  let next = 0
  let done = 0
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++]
      await fn(item)
      done++
      if (onProgress && done % 500 === 0) onProgress(done)
    }
  }
  await Promise.all(Array.from({ length: Math.min(parallel, items.length) }, worker))
}
