// The orchestrator: list → detect → decide → act → (verify) → result. It reads like the steps.
// All I/O goes through the injected ClusterApi, so tests run it against the real apiserver.

import type { Config } from './config.js'
import { detectPod, statusText, type Finding } from './detect.js'
import type { Logger } from './logger.js'
import type { ActOutcome, DeleteRequest, ListEvent, ListScope } from './kube/pods.js'
import { describeError } from './kube/client.js'
import { decide, podAgeSeconds, type Decision, type Plan } from './policy.js'
import { countRows, type CycleResult, type PodRow, type RowDecision } from './result.js'

/** The cluster as the cycle sees it (real: kube/cluster.ts). */
export interface ClusterApi {
  readonly context: string
  readonly server: string
  listPods(scope: ListScope): AsyncIterable<ListEvent>
  deletePod(req: DeleteRequest): Promise<ActOutcome>
  evictPod(req: DeleteRequest): Promise<ActOutcome>
  requestCount(): number
}

export interface CycleOptions {
  /** Decide but never act (CLI `scan`): planned deletions are shown as "would delete". */
  scanOnly?: boolean
}

export interface CycleDeps {
  cluster: ClusterApi
  logger: Logger
  now?: () => Date
}

interface Scan {
  findings: Finding[]
  podsScanned: number
  podsInScope: number
  pages: number
}

/** Step 1+2: stream every page, keep only findings (memory stays flat as the cluster grows). */
async function scan(config: Config, deps: CycleDeps): Promise<Scan> {
  const { logger } = deps
  const scopes: ListScope[] =
    config.namespaces.length > 0
      ? config.namespaces.map(namespace => ({
          namespace,
          labelSelector: config.labelSelector,
          pageSize: config.pageSize
        }))
      : [{ labelSelector: config.labelSelector, pageSize: config.pageSize }]
  const result: Scan = { findings: [], podsScanned: 0, podsInScope: 0, pages: 0 }
  for (const scope of scopes) {
    // Per scope, so a 410 restart forgets only this scope's partial listing.
    let found = new Map<string, Finding>()
    let seen = 0
    let inScope = 0
    let pages = 0
    for await (const event of deps.cluster.listPods(scope)) {
      if (event.type === 'restart') {
        logger.warning(`Pod listing restarted: ${event.reason}`)
        found = new Map()
        seen = 0
        inScope = 0
        pages = 0
        continue
      }
      pages++
      for (const pod of event.pods) {
        seen++
        if (!config.policy.excludeNamespaces.has(pod.metadata.namespace ?? '')) inScope++
        const finding = detectPod(pod, config.detect)
        if (finding) found.set(finding.uid, finding)
      }
      const progress = { pages: result.pages + pages, pods: result.podsScanned + seen }
      if (pages % 10 === 0)
        logger.info(`Listing pods…`, { ...progress, remaining: event.remaining })
      else logger.debug(`Listed page`, progress)
    }
    result.findings.push(...found.values())
    result.podsScanned += seen
    result.podsInScope += inScope
    result.pages += pages
  }
  return result
}

function baseRow(finding: Finding, now: Date): Omit<PodRow, 'decision'> {
  const p = finding.primary
  return {
    namespace: finding.namespace,
    pod: finding.name,
    uid: finding.uid,
    owner: finding.owner ? { kind: finding.owner.kind, name: finding.owner.name } : undefined,
    container: p.container,
    init: p.init,
    reason: p.reason,
    status: statusText(p),
    exitCode: p.exitCode,
    restarts: p.restarts,
    ageSeconds: Math.floor(podAgeSeconds(finding, now)),
    message: p.message
  }
}

/** StatefulSet pods keep their identity: never force-delete them (grace 0 could run two at once). */
export function gracePeriodFor(finding: Finding, configured: number): number | undefined {
  if (finding.owner?.kind === 'StatefulSet' && configured === 0) return undefined
  return configured
}

function outcomeRow(outcome: ActOutcome, config: Config): Pick<PodRow, 'decision' | 'detail'> {
  const evict = config.mode === 'evict'
  switch (outcome.result) {
    case 'deleted': {
      const decision: RowDecision = config.dryRun
        ? evict
          ? 'would-evict'
          : 'would-delete'
        : evict
          ? 'evicted'
          : 'deleted'
      return { decision, detail: config.dryRun ? 'server-side dry run' : undefined }
    }
    case 'gone':
      return { decision: 'skipped', detail: 'already gone (404)' }
    case 'replaced':
      return {
        decision: 'skipped',
        detail: 'replaced since listing: uid changed (409), the new pod was not touched'
      }
    case 'blocked':
      return { decision: 'blocked', detail: `blocked by PodDisruptionBudget: ${outcome.message}` }
    case 'failed':
      return { decision: 'failed', detail: describeError(outcome.error) }
  }
}

/** Step 4: act on the planned pods one by one, within the run's deadline. */
async function act(
  plan: Plan,
  config: Config,
  deps: CycleDeps,
  deadline: number,
  now: Date,
  scanOnly: boolean
): Promise<PodRow[]> {
  const { logger, cluster } = deps
  const rows: PodRow[] = []
  for (const d of plan.decisions) {
    const row = baseRow(d.finding, now)
    rows.push(await actOn(d, row))
  }
  return rows

  async function actOn(d: Decision, row: Omit<PodRow, 'decision'>): Promise<PodRow> {
    const f = d.finding
    const where = {
      namespace: f.namespace,
      pod: f.name,
      container: row.container,
      status: row.status
    }
    if (d.decision === 'report') {
      logger.warning(`Report only: ${f.namespace}/${f.name} ${row.status}`, {
        ...where,
        detail: d.reason
      })
      return { ...row, decision: 'report', detail: d.reason }
    }
    if (d.decision === 'skip') {
      logger.info(`Skipped ${f.namespace}/${f.name}: ${d.reason}`, where)
      return { ...row, decision: 'skipped', detail: d.reason }
    }
    if (scanOnly) {
      return {
        ...row,
        decision: config.mode === 'evict' ? 'would-evict' : 'would-delete',
        detail: 'scan only'
      }
    }
    if (Date.now() >= deadline) {
      logger.warning(`Skipped ${f.namespace}/${f.name}: run timeout reached`, where)
      return {
        ...row,
        decision: 'skipped',
        detail: `timeout (${config.timeoutSeconds}s) reached before acting; next run`
      }
    }
    const req: DeleteRequest = {
      namespace: f.namespace,
      name: f.name,
      uid: f.uid,
      gracePeriodSeconds: gracePeriodFor(f, config.gracePeriodSeconds),
      dryRun: config.dryRun
    }
    const outcome =
      config.mode === 'evict' ? await cluster.evictPod(req) : await cluster.deletePod(req)
    const result = { ...row, ...outcomeRow(outcome, config) }
    const line = `${result.decision}: ${f.namespace}/${f.name} (${row.status}${row.exitCode !== undefined ? `, exit ${row.exitCode}` : ''}, ${row.restarts} restarts)`
    if (result.decision === 'failed') logger.error(`${line}: ${result.detail}`, where)
    else logger.info(result.detail ? `${line}: ${result.detail}` : line, where)
    return result
  }
}

/** One full cycle. Never throws for cluster errors: they end up in result.errors. */
export async function runCycle(
  config: Config,
  deps: CycleDeps,
  options: CycleOptions = {}
): Promise<CycleResult> {
  const now = deps.now ?? (() => new Date())
  const started = now()
  const deadline = started.getTime() + config.timeoutSeconds * 1000
  const result: CycleResult = {
    version: 1,
    startedAt: started.toISOString(),
    durationMs: 0,
    dryRun: config.dryRun || options.scanOnly === true,
    mode: config.mode,
    cluster: { context: deps.cluster.context, server: deps.cluster.server },
    scope: {
      namespaces: config.namespaces,
      excludeNamespaces: [...config.policy.excludeNamespaces],
      labelSelector: config.labelSelector
    },
    podsScanned: 0,
    pages: 0,
    counts: { unhealthy: 0, deleted: 0, skipped: 0, failed: 0, reportOnly: 0 },
    breaker: {
      tripped: false,
      unhealthy: 0,
      podsInScope: 0,
      percent: 0,
      limitPercent: config.policy.maxUnhealthyPercent
    },
    pods: [],
    errors: [],
    timings: { listMs: 0, actMs: 0 },
    apiRequests: 0
  }
  const { logger } = deps
  try {
    // 1–2. list + detect
    const listStart = Date.now()
    const scanned = await logger.group('List and detect', () => scan(config, deps))
    result.timings.listMs = Date.now() - listStart
    result.podsScanned = scanned.podsScanned
    result.pages = scanned.pages
    logger.info(
      `Scanned ${scanned.podsScanned} pods in ${scanned.pages} pages: ${scanned.findings.length} unhealthy`,
      {
        ms: result.timings.listMs
      }
    )

    // 3. decide
    const plan = decide(scanned.findings, {
      options: config.policy,
      now: now(),
      podsInScope: scanned.podsInScope
    })
    result.breaker = plan.breaker
    if (plan.breaker.tripped) {
      logger.error(
        `Circuit breaker tripped: ${plan.breaker.unhealthy} of ${plan.breaker.podsInScope} pods in scope (${plan.breaker.percent}%) are broken, over max-unhealthy-percent ${plan.breaker.limitPercent}%. Nothing is deleted: this looks like an outage, not a broken pod.`
      )
    }

    // 4. act
    const actStart = Date.now()
    if (plan.decisions.length > 0) {
      result.pods = await logger.group(config.dryRun ? 'Act (dry run)' : 'Act', () =>
        act(plan, config, deps, deadline, now(), options.scanOnly === true)
      )
    }
    result.timings.actMs = Date.now() - actStart
  } catch (error) {
    const message = describeError(error)
    result.errors.push(message)
    logger.error(`Cycle failed: ${message}`)
  } finally {
    result.counts = countRows(result.pods)
    result.durationMs = now().getTime() - started.getTime()
    result.apiRequests = deps.cluster.requestCount()
  }
  return result
}
