// Pods: chunked listing (an async iterator of pages), delete with a uid precondition, eviction.

import { HttpMethod } from '@kubernetes/client-node'
import type {
  ActOutcome,
  DeleteRequest,
  ListEvent,
  ListScope,
  PodEventSummary
} from '../cycle/ports.js'
import { NamespaceNotFoundError } from '../domain/errors.js'
import { ApiError, type KubeClient } from './client.js'
import { ListDecoder } from './list-decoder.js'
import type { Pod, PodList } from '../domain/pod.js'

const MAX_LIST_RESTARTS = 3

/**
 * Lists pods page by page, each pod decoded on its own as it streams in and reduced at once by
 * `reduce` (e.g. to a finding or nothing), so memory stays flat however large the cluster.
 * On 410 Gone (expired continue token) it starts again from the top.
 */
export async function* listPods<T>(
  client: KubeClient,
  scope: ListScope,
  reduce: (pod: Pod) => T
): AsyncGenerator<ListEvent<T>> {
  const path = scope.namespace
    ? `/api/v1/namespaces/${encodeURIComponent(scope.namespace)}/pods`
    : '/api/v1/pods'
  let restarts = 0
  let token: string | undefined
  let page = 0
  for (;;) {
    let list: { metadata?: PodList['metadata']; items: T[] }
    try {
      list = await client.request(HttpMethod.GET, path, {
        query: { limit: scope.pageSize, continue: token, labelSelector: scope.labelSelector },
        retry: true,
        // A retried page starts over with a fresh array: nothing is counted twice.
        consume: async body => {
          const items: T[] = []
          const decoder = new ListDecoder(json => items.push(reduce(JSON.parse(json) as Pod)))
          const text = new TextDecoder()
          for await (const chunk of body)
            decoder.push(text.decode(chunk as Uint8Array, { stream: true }))
          decoder.push(text.decode())
          return { metadata: decoder.finish().metadata, items }
        }
      })
    } catch (error) {
      if (
        error instanceof ApiError &&
        error.code === 410 &&
        token !== undefined &&
        restarts < MAX_LIST_RESTARTS
      ) {
        restarts++
        token = undefined
        page = 0
        yield { type: 'restart', reason: error.status.message ?? 'continue token expired' }
        continue
      }
      throw error
    }
    page++
    token = list.metadata?.continue || undefined
    if (page === 1 && !token && (list.items ?? []).length === 0 && scope.namespace) {
      await checkNamespaceExists(client, scope.namespace)
    }
    yield {
      type: 'page',
      pods: list.items ?? [],
      page,
      remaining: list.metadata?.remainingItemCount
    }
    if (!token) return
  }
}

/**
 * An empty namespace and a misspelt one list the same (kubectl: "No resources found"); a name in
 * `namespaces` that does not exist is a configuration error, found before anything is deleted.
 * Without the right to read namespaces (a namespaced Role), the check is skipped.
 */
async function checkNamespaceExists(client: KubeClient, namespace: string): Promise<void> {
  try {
    await client.request(HttpMethod.GET, `/api/v1/namespaces/${encodeURIComponent(namespace)}`, {
      retry: true
    })
  } catch (error) {
    if (error instanceof ApiError && error.code === 404) {
      throw new NamespaceNotFoundError(namespace)
    }
  }
}

function podPath(namespace: string, name: string): string {
  return `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods/${encodeURIComponent(name)}`
}

function deleteOptions(req: DeleteRequest): Record<string, unknown> {
  return {
    apiVersion: 'v1',
    kind: 'DeleteOptions',
    preconditions: { uid: req.uid },
    ...(req.gracePeriodSeconds !== undefined ? { gracePeriodSeconds: req.gracePeriodSeconds } : {}),
    ...(req.dryRun ? { dryRun: ['All'] } : {})
  }
}

function classify(error: unknown): ActOutcome {
  if (error instanceof ApiError) {
    if (error.code === 404) return { result: 'gone' }
    if (error.code === 409) return { result: 'replaced' }
  }
  return { result: 'failed', error }
}

/**
 * Deletes one pod, guarded by its uid so a replacement with the same name is never touched.
 * Retrying is safe: a repeat after success answers 404 or 409.
 */
export async function deletePod(client: KubeClient, req: DeleteRequest): Promise<ActOutcome> {
  // A 5xx or a dropped connection may come after the apiserver deleted the pod: then the retry
  // answers 404 (gone) or 409 (a same-name replacement, untouched) — and the delete was ours.
  let mayHaveLanded = false
  try {
    await client.request(HttpMethod.DELETE, podPath(req.namespace, req.name), {
      query: { dryRun: req.dryRun ? 'All' : undefined },
      body: deleteOptions(req),
      retry: true,
      onRetry: error => {
        if (!(error instanceof ApiError && error.code === 429)) mayHaveLanded = true
      }
    })
    return { result: 'deleted' }
  } catch (error) {
    const outcome = classify(error)
    if (
      mayHaveLanded &&
      (outcome.result === 'gone' || outcome.result === 'replaced') &&
      !req.dryRun
    )
      return { result: 'deleted' }
    return outcome
  }
}

/** Evicts one pod through the Eviction API, which honours PodDisruptionBudgets. */
export async function evictPod(client: KubeClient, req: DeleteRequest): Promise<ActOutcome> {
  try {
    await client.request(HttpMethod.POST, `${podPath(req.namespace, req.name)}/eviction`, {
      query: { dryRun: req.dryRun ? 'All' : undefined },
      body: {
        apiVersion: 'policy/v1',
        kind: 'Eviction',
        metadata: { name: req.name, namespace: req.namespace },
        deleteOptions: deleteOptions(req)
      },
      // A 429 here is the PDB's answer, not throttling: do not retry it.
      retry: false
    })
    return { result: 'deleted' }
  } catch (error) {
    if (error instanceof ApiError && error.code === 429) {
      return {
        result: 'blocked',
        message: error.status.message ?? 'blocked by a PodDisruptionBudget'
      }
    }
    return classify(error)
  }
}

/** Counts namespaces with one cheap call (limit=1 + remainingItemCount). */
export async function countNamespaces(client: KubeClient): Promise<number> {
  const list = await client.request<{
    items: unknown[]
    metadata?: { remainingItemCount?: number }
  }>(HttpMethod.GET, '/api/v1/namespaces', { query: { limit: 1 }, retry: true })
  return (list.items?.length ?? 0) + (list.metadata?.remainingItemCount ?? 0)
}

/** The last lines of the previous (crashed) run of a container, through the apiserver. */
export async function readPreviousLog(
  client: KubeClient,
  req: { namespace: string; pod: string; container: string; tailLines: number; limitBytes: number },
  signal?: AbortSignal
): Promise<string> {
  const { container, tailLines, limitBytes } = req
  return client.request<string>(HttpMethod.GET, `${podPath(req.namespace, req.pod)}/log`, {
    query: { container, previous: true, tailLines, limitBytes },
    responseType: 'text',
    retry: true,
    signal
  })
}

interface CoreEvent {
  type?: string
  reason?: string
  message?: string
  count?: number
  series?: { count?: number; lastObservedTime?: string }
  lastTimestamp?: string
  eventTime?: string
  metadata?: { creationTimestamp?: string }
}

/** The pod's Warning events, newest first. */
export async function listWarningEvents(
  client: KubeClient,
  namespace: string,
  podUid: string,
  signal?: AbortSignal
): Promise<PodEventSummary[]> {
  const list = await client.request<{ items?: CoreEvent[] }>(
    HttpMethod.GET,
    `/api/v1/namespaces/${encodeURIComponent(namespace)}/events`,
    {
      query: { fieldSelector: `involvedObject.uid=${podUid},type=Warning`, limit: 100 },
      retry: true,
      signal
    }
  )
  return (list.items ?? [])
    .map(e => ({
      reason: e.reason ?? '',
      message: e.message ?? '',
      count: e.series?.count ?? e.count ?? 1,
      lastSeen:
        e.series?.lastObservedTime ??
        e.lastTimestamp ??
        e.eventTime ??
        e.metadata?.creationTimestamp
    }))
    .sort((a, b) => (b.lastSeen ?? '').localeCompare(a.lastSeen ?? ''))
}
