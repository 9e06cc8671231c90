// A namespace-scoped pod watch that survives its own failures: list (baseline + resourceVersion),
// then watch from there; on an error, a dropped stream or 410 Gone, list again and resume.
// Cost depends on the namespace's churn, never on the size of the cluster.

import { HttpMethod } from '@kubernetes/client-node'
import { setTimeout as delay } from 'node:timers/promises'
import { describeError, type KubeClient } from './client.js'
import type { PodEvent, WatchOptions } from '../cycle/ports.js'
import type { Pod, PodList } from '../domain/pod.js'

/** Where the next watch resumes: from `resourceVersion`, or from a fresh list when `relist`. */
interface Cursor {
  resourceVersion?: string
  relist: boolean
}

/** One line of a watch response. */
interface WatchLine {
  type: string
  object: Pod & { code?: number; message?: string }
}

const podsPath = (options: WatchOptions): string =>
  `/api/v1/namespaces/${encodeURIComponent(options.namespace)}/pods`

async function relist(client: KubeClient, options: WatchOptions): Promise<PodList> {
  const pods: Pod[] = []
  let token: string | undefined
  let resourceVersion: string | undefined
  do {
    const page = await client.request<PodList>(HttpMethod.GET, podsPath(options), {
      query: { limit: 500, continue: token, labelSelector: options.labelSelector },
      retry: true,
      signal: options.signal
    })
    pods.push(...(page.items ?? []))
    resourceVersion ??= page.metadata?.resourceVersion
    token = page.metadata?.continue || undefined
  } while (token)
  return { items: pods, metadata: { resourceVersion } }
}

/** The newline-delimited JSON events of a watch body, until it ends (or the reader stops early). */
async function* watchLines(body: NonNullable<Response['body']>): AsyncGenerator<WatchLine> {
  const reader = body.getReader()
  const decoder = new TextDecoder()
  let buffer = ''
  try {
    for (;;) {
      const { done, value } = await reader.read()
      if (done) return
      buffer += decoder.decode(value, { stream: true })
      let newline: number
      while ((newline = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, newline).trim()
        buffer = buffer.slice(newline + 1)
        if (line) yield JSON.parse(line) as WatchLine
      }
    }
  } finally {
    // Stopping early (an ERROR event) must release the connection.
    await reader.cancel().catch(() => undefined)
  }
}

/** One watch request from the cursor, until the server ends it or sends an ERROR (then relist). */
async function* watchOnce(
  client: KubeClient,
  options: WatchOptions,
  cursor: Cursor
): AsyncGenerator<PodEvent> {
  const response = await client.stream(
    podsPath(options),
    {
      watch: 1,
      resourceVersion: cursor.resourceVersion,
      allowWatchBookmarks: true,
      labelSelector: options.labelSelector,
      timeoutSeconds: options.renewSeconds ?? 25
    },
    options.signal
  )
  if (!response.body) throw new Error('watch response has no body')
  for await (const event of watchLines(response.body)) {
    if (event.type === 'ERROR') {
      // 410 Gone: our resourceVersion is too old. Start over from a fresh list.
      cursor.relist = true
      options.onResync?.(
        `watch error ${event.object.code ?? ''} ${event.object.message ?? ''}`.trim()
      )
      return
    }
    cursor.resourceVersion = event.object.metadata?.resourceVersion ?? cursor.resourceVersion
    if (event.type === 'ADDED' || event.type === 'MODIFIED' || event.type === 'DELETED') {
      yield { type: event.type, pod: event.object }
    }
  }
}

/**
 * Streams pod events for one namespace until the signal aborts. A failed list or watch is told to
 * `onResync` (the error as the user should read it), then retried after a bounded backoff: only
 * the signal ends the loop, so the caller decides how long a failing namespace is worth waiting.
 */
export async function* watchPods(
  client: KubeClient,
  options: WatchOptions
): AsyncGenerator<PodEvent> {
  const cursor: Cursor = { relist: true }
  let failures = 0
  while (!options.signal.aborted) {
    try {
      if (cursor.relist) {
        const list = await relist(client, options)
        cursor.resourceVersion = list.metadata?.resourceVersion
        cursor.relist = false
        yield { type: 'SYNC', pods: list.items }
      }
      yield* watchOnce(client, options, cursor)
      failures = 0
    } catch (error) {
      if (options.signal.aborted) return
      failures++
      cursor.relist = true
      options.onResync?.(describeError(error))
      await delay(Math.min(5000, 250 * 2 ** Math.min(failures, 5)), undefined, {
        signal: options.signal
      }).catch(() => undefined)
    }
  }
}
