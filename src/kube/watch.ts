// A namespace-scoped pod watch that survives its own failures: list (baseline + resourceVersion),
// then watch from there; on an error, a dropped stream or 410 Gone, list again and resume.
// Cost depends on the namespace's churn, never on the size of the cluster.

import { HttpMethod } from '@kubernetes/client-node'
import { setTimeout as delay } from 'node:timers/promises'
import { ApiError, type KubeClient } from './client.js'
import type { PodEvent, WatchOptions } from '../cycle/ports.js'
import type { Pod, PodList } from '../domain/pod.js'

async function relist(client: KubeClient, options: WatchOptions): Promise<PodList> {
  const pods: Pod[] = []
  let token: string | undefined
  let resourceVersion: string | undefined
  do {
    const page = await client.request<PodList>(
      HttpMethod.GET,
      `/api/v1/namespaces/${encodeURIComponent(options.namespace)}/pods`,
      {
        query: { limit: 500, continue: token, labelSelector: options.labelSelector },
        retry: true,
        signal: options.signal
      }
    )
    pods.push(...(page.items ?? []))
    resourceVersion ??= page.metadata?.resourceVersion
    token = page.metadata?.continue || undefined
  } while (token)
  return { items: pods, metadata: { resourceVersion } }
}

/** Streams pod events for one namespace until the signal aborts. */
export async function* watchPods(
  client: KubeClient,
  options: WatchOptions
): AsyncGenerator<PodEvent> {
  const path = `/api/v1/namespaces/${encodeURIComponent(options.namespace)}/pods`
  let resourceVersion: string | undefined
  let needList = true
  let failures = 0
  while (!options.signal.aborted) {
    try {
      if (needList) {
        const list = await relist(client, options)
        resourceVersion = list.metadata?.resourceVersion
        needList = false
        yield { type: 'SYNC', pods: list.items }
      }
      const response = await client.stream(
        path,
        {
          watch: 1,
          resourceVersion,
          allowWatchBookmarks: true,
          labelSelector: options.labelSelector,
          timeoutSeconds: options.renewSeconds ?? 25
        },
        options.signal
      )
      const reader = response.body?.getReader()
      if (!reader) throw new Error('watch response has no body')
      const decoder = new TextDecoder()
      let buffer = ''
      for (;;) {
        const { done, value } = await reader.read()
        if (done) break
        buffer += decoder.decode(value, { stream: true })
        let newline: number
        while ((newline = buffer.indexOf('\n')) >= 0) {
          const line = buffer.slice(0, newline).trim()
          buffer = buffer.slice(newline + 1)
          if (!line) continue
          const event = JSON.parse(line) as {
            type: string
            object: Pod & { code?: number; message?: string }
          }
          if (event.type === 'ERROR') {
            // 410 Gone: our resourceVersion is too old. Start over from a fresh list.
            needList = true
            options.onResync?.(
              `watch error ${event.object.code ?? ''} ${event.object.message ?? ''}`.trim()
            )
            break
          }
          resourceVersion = event.object.metadata?.resourceVersion ?? resourceVersion
          if (event.type === 'BOOKMARK') continue
          if (event.type === 'ADDED' || event.type === 'MODIFIED' || event.type === 'DELETED') {
            yield { type: event.type, pod: event.object }
          }
        }
        if (needList) {
          await reader.cancel().catch(() => undefined)
          break
        }
      }
      failures = 0
    } catch (error) {
      if (options.signal.aborted) return
      failures++
      needList = true
      options.onResync?.(
        error instanceof ApiError
          ? `watch ${error.code}`
          : `watch failed: ${(error as Error).message}`
      )
      // Back off a little before listing again (bounded: the caller's budget ends the loop).
      await delay(Math.min(5000, 250 * 2 ** Math.min(failures, 5)), undefined, {
        signal: options.signal
      }).catch(() => undefined)
    }
  }
}
