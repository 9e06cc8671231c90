// Steps 1 and 2: list every pod in pages and detect the broken ones as each pod is decoded —
// only findings outlive a page, so memory stays flat as the cluster grows.

import { detectPod, type Finding } from '../domain/detect.js'
import type { Pod } from '../domain/pod.js'
import type { CycleRun } from './context.js'
import type { ListScope } from './ports.js'

export interface Scan {
  findings: Finding[]
  podsScanned: number
  /** Pods outside excluded namespaces: the circuit breaker's denominator. */
  podsInScope: number
  pages: number
}

interface ScopeTally {
  found: Map<string, Finding>
  seen: number
  inScope: number
  pages: number
}

const emptyTally = (): ScopeTally => ({ found: new Map(), seen: 0, inScope: 0, pages: 0 })

function scopesOf(run: CycleRun): ListScope[] {
  const { namespaces, labelSelector, pageSize } = run.config
  return namespaces.length > 0
    ? namespaces.map(namespace => ({ namespace, labelSelector, pageSize }))
    : [{ labelSelector, pageSize }]
}

/** Lists one scope; a 410 restart forgets only this scope's partial listing. */
async function scanScope(run: CycleRun, scope: ListScope, before: Scan): Promise<ScopeTally> {
  const { config, logger } = run
  // Each pod is judged as it is decoded; only {in scope?, finding?} outlives it.
  const judge = (pod: Pod) => ({
    inScope: !config.policy.excludeNamespaces.has(pod.metadata.namespace ?? ''),
    finding: detectPod(pod, config.detect)
  })
  let tally = emptyTally()
  for await (const event of run.cluster.listPods(scope, judge)) {
    if (event.type === 'restart') {
      logger.warning(`Pod listing restarted: ${event.reason}`)
      tally = emptyTally()
      continue
    }
    tally.pages++
    for (const { inScope, finding } of event.pods) {
      tally.seen++
      if (inScope) tally.inScope++
      if (finding) tally.found.set(finding.uid, finding)
    }
    const progress = { pages: before.pages + tally.pages, pods: before.podsScanned + tally.seen }
    if (tally.pages % 10 === 0)
      logger.info(`Listing pods…`, { ...progress, remaining: event.remaining })
    else logger.debug(`Listed page`, progress)
  }
  return tally
}

export async function scan(run: CycleRun): Promise<Scan> {
  const result: Scan = { findings: [], podsScanned: 0, podsInScope: 0, pages: 0 }
  for (const scope of scopesOf(run)) {
    const tally = await scanScope(run, scope, result)
    result.findings.push(...tally.found.values())
    result.podsScanned += tally.seen
    result.podsInScope += tally.inScope
    result.pages += tally.pages
  }
  return result
}
