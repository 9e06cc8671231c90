// A read-only ClusterApi over a saved `kubectl get pods -A -o json` (or one Pod), for offline scans.

import { readFileSync } from 'node:fs'
import type { ClusterApi } from '../cycle/ports.js'
import { matchesLabels, parseLabelSelector } from '../domain/label-selector.js'
import type { Pod } from '../domain/pod.js'

export function loadPodsFile(path: string): Pod[] {
  let doc: { kind?: string; items?: Pod[]; metadata?: unknown }
  try {
    doc = JSON.parse(readFileSync(path, 'utf8'))
  } catch (error) {
    throw new Error(
      `--file ${path}: cannot read it as JSON (${(error as Error).message}); expected the output of 'kubectl get pods -A -o json'.`
    )
  }
  if (Array.isArray(doc.items)) return doc.items
  if (doc.kind === 'Pod' && doc.metadata) return [doc as Pod]
  throw new Error(
    `--file ${path}: neither a List of pods nor a Pod; expected the output of 'kubectl get pods -A -o json'.`
  )
}

export function fileCluster(path: string, pods: Pod[], namespaces: string[]): ClusterApi {
  const refuse = (): never => {
    throw new Error('an offline scan never acts')
  }
  return {
    context: `file:${path}`,
    server: 'offline',
    async *listPods(scope, reduce) {
      const wanted = scope.namespace ?? undefined
      // No apiserver filters a saved list: apply the label selector here, as it would.
      const selector = scope.labelSelector ? parseLabelSelector(scope.labelSelector) : []
      if ('problem' in selector) throw new Error(`label selector: ${selector.problem}`)
      const items = pods.filter(
        p =>
          (wanted === undefined || p.metadata.namespace === wanted) &&
          matchesLabels(selector, p.metadata.labels)
      )
      yield {
        type: 'page',
        pods: (namespaces.length === 0 || wanted ? items : []).map(reduce),
        page: 1
      }
    },
    deletePod: refuse,
    evictPod: refuse,
    countNamespaces: refuse,
    watchPods: refuse,
    ownerReplicas: refuse,
    previousLog: refuse,
    warningEvents: refuse,
    requestCount: () => 0,
    describeError: error => (error instanceof Error ? error.message : String(error))
  }
}
