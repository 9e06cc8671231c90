// The orchestrator: list → detect → decide → act → verify → remember → result. It reads like
// the steps. All I/O goes through injected interfaces, so tests run it against the real apiserver.

import { act } from './act.js'
import { acted as wasActed } from '../domain/decisions.js'
import { ConfigError, type Config } from '../config/config.js'
import { Inputs } from '../constants.js'
import { detectPod, type Finding } from '../domain/detect.js'
import { diagnoseAll, type Diagnosis } from './diagnose.js'
import type { Logger } from '../lib/logger.js'
import { NamespaceNotFoundError } from '../domain/errors.js'
import type { Pod } from '../domain/pod.js'
import type { ClusterApi, ListScope, StateStore } from './ports.js'
import { decide, type Plan, type PolicyContext } from '../domain/policy.js'
import { countRows, type CycleResult } from '../domain/result.js'
import { updateState, type OwnerRef, type StateFile } from '../domain/state.js'
import { autoBudgetSeconds, Verification } from './verify.js'

export type { ClusterApi, StateStore } from './ports.js'

export interface CycleOptions {
  /** Decide but never act (CLI `scan`): planned deletions are shown as "would delete". */
  scanOnly?: boolean
}

export interface CycleDeps {
  cluster: ClusterApi
  logger: Logger
  state?: StateStore
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
    // Each pod is judged as it is decoded; only {in scope?, finding?} outlives it.
    const judge = (pod: Pod) => ({
      inScope: !config.policy.excludeNamespaces.has(pod.metadata.namespace ?? ''),
      finding: detectPod(pod, config.detect)
    })
    for await (const event of deps.cluster.listPods(scope, judge)) {
      if (event.type === 'restart') {
        logger.warning(`Pod listing restarted: ${event.reason}`)
        found = new Map()
        seen = 0
        inScope = 0
        pages = 0
        continue
      }
      pages++
      for (const { inScope: counted, finding } of event.pods) {
        seen++
        if (counted) inScope++
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

/** Step 5: the verification budget — explicit, or by cluster size — within the run's deadline. */
async function verificationBudgetMs(
  config: Config,
  deps: CycleDeps,
  deadline: number
): Promise<{ ms: number; namespaces?: number }> {
  let seconds: number
  let namespaces: number | undefined
  if (config.verifyTimeoutSeconds === 'auto') {
    namespaces = await deps.cluster.countNamespaces().catch(() => undefined)
    seconds = autoBudgetSeconds(namespaces ?? Number.MAX_SAFE_INTEGER)
  } else seconds = config.verifyTimeoutSeconds
  // Keep a few seconds for reporting, so the run ends within its timeout.
  return { ms: Math.max(0, Math.min(seconds * 1000, deadline - Date.now() - 5000)), namespaces }
}

/** Givens-up from earlier runs, as policy reasons keyed by owner uid. */
function givenUpReasons(memory: StateFile): Map<string, string> {
  const reasons = new Map<string, string>()
  for (const [uid, s] of Object.entries(memory.owners)) {
    if (s.givenUp) {
      reasons.set(
        uid,
        `given up: ${s.unrecovered} cleanups did not heal ${s.kind}/${s.name} (broken since ${s.firstSeenBroken}); fix it, then it is watched again`
      )
    }
  }
  return reasons
}

/** Step 6: fold this run into the memory and find owners to escalate. */
function remember(
  result: CycleResult,
  config: Config,
  deps: CycleDeps,
  memory: StateFile,
  now: Date
): void {
  if (!deps.state) return
  const brokenOwners = new Map<string, OwnerRef>()
  for (const row of result.pods) {
    if (row.owner && row.decision !== 'report')
      brokenOwners.set(row.owner.uid, { namespace: row.namespace, ...row.owner })
  }
  const cleanups = result.pods
    .filter(row => wasActed(row.decision) && row.owner)
    .map(row => ({
      owner: {
        namespace: row.namespace,
        kind: row.owner?.kind ?? '',
        name: row.owner?.name ?? '',
        uid: row.owner?.uid ?? ''
      },
      action: row.decision,
      recovered:
        row.outcome === 'recovered' ? true : row.outcome === 'not-recovered' ? false : undefined
    }))
  const update = updateState(memory, {
    now,
    cleanups,
    brokenOwners,
    scanned: config.namespaces.length > 0 ? new Set(config.namespaces) : '*',
    giveUpAfter: config.giveUpAfter,
    realertIntervalSeconds: config.realertIntervalSeconds
  })
  for (const e of update.escalations) {
    const message = `Gave up on ${e.owner.kind}/${e.owner.name} in ${e.owner.namespace}: ${e.unrecovered} cleanups in a row did not heal it (broken since ${e.firstSeenBroken}). Its pods are no longer deleted until it is healthy again.`
    result.escalations.push({
      namespace: e.owner.namespace,
      owner: { kind: e.owner.kind, name: e.owner.name },
      unrecovered: e.unrecovered,
      firstSeenBroken: e.firstSeenBroken,
      message
    })
  }
  try {
    deps.state.write(update.state)
  } catch (error) {
    result.warnings.push(`state-file could not be written: ${(error as Error).message}`)
    deps.logger.warning(result.warnings.at(-1) as string)
  }
}

/** Step 3: decide, diagnosing every pod that would be deleted or is reported, until stable. */
async function decideDiagnosed(
  scanned: Scan,
  config: Config,
  deps: CycleDeps,
  memory: StateFile,
  at: { now: Date; deadline: number }
): Promise<{ plan: Plan; diagnoses: Map<string, Diagnosis> }> {
  const diagnoses = new Map<string, Diagnosis>()
  const attempted = new Set<string>()
  const context: PolicyContext = {
    options: config.policy,
    now: at.now,
    podsInScope: scanned.podsInScope,
    givenUp: givenUpReasons(memory),
    diagnosis: config.diagnose
      ? { verdicts: diagnoses, attempted, deleteUnfixable: config.deleteUnfixable }
      : undefined
  }
  const budgetEnd = Math.min(Date.now() + 60_000, at.deadline - 10_000)
  for (;;) {
    const plan = decide(scanned.findings, context)
    const todo = plan.decisions
      .filter(
        d => (d.decision === 'diagnose' || d.decision === 'report') && !attempted.has(d.finding.uid)
      )
      .map(d => d.finding)
    if (!config.diagnose || todo.length === 0) return { plan, diagnoses }
    for (const f of todo) attempted.add(f.uid)
    const found = await deps.logger.group('Diagnose', () =>
      diagnoseAll(todo, deps.cluster, {
        logLines: config.diagnosticLogLines,
        parallel: 4,
        budgetMs: Math.max(0, budgetEnd - Date.now())
      })
    )
    for (const [uid, diagnosis] of found) diagnoses.set(uid, diagnosis)
    for (const note of new Set([...found.values()].flatMap(d => d.notes))) {
      deps.logger.notice(`Diagnosis incomplete: ${note} — the cleanup goes on without it`)
    }
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
  const scanOnly = options.scanOnly === true
  const result: CycleResult = {
    version: 1,
    startedAt: started.toISOString(),
    durationMs: 0,
    dryRun: config.dryRun || scanOnly,
    mode: config.mode,
    cluster: { context: deps.cluster.context, server: deps.cluster.server },
    scope: {
      namespaces: config.namespaces,
      excludeNamespaces: [...config.policy.excludeNamespaces],
      labelSelector: config.labelSelector
    },
    podsScanned: 0,
    pages: 0,
    counts: countRows([]),
    breaker: {
      tripped: false,
      unhealthy: 0,
      podsInScope: 0,
      percent: 0,
      limitPercent: config.policy.maxUnhealthyPercent
    },
    pods: [],
    errors: [],
    verification: null,
    escalations: [],
    notifications: [],
    warnings: [],
    timings: { listMs: 0, actMs: 0 },
    apiRequests: 0
  }
  const { logger } = deps
  let verification: Verification | undefined
  try {
    // 0. what earlier runs learnt
    const loaded = deps.state?.read() ?? { state: { version: 1 as const, owners: {} } }
    if (loaded.warning) {
      result.warnings.push(loaded.warning)
      logger.warning(loaded.warning)
    }
    const memory = loaded.state

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

    // 3. decide — and diagnose before deciding to delete: a delete destroys the evidence, and the
    // diagnosis may show that a delete cannot help (then a sibling may become the candidate, and
    // it is diagnosed in turn: no pod is deleted undiagnosed).
    const { plan, diagnoses } = await decideDiagnosed(scanned, config, deps, memory, {
      now: now(),
      deadline
    })
    result.breaker = plan.breaker
    if (plan.breaker.tripped) {
      logger.error(
        `Circuit breaker tripped: ${plan.breaker.unhealthy} of ${plan.breaker.podsInScope} pods in scope (${plan.breaker.percent}%) are broken, over max-unhealthy-percent ${plan.breaker.limitPercent}%. Nothing is deleted: this looks like an outage, not a broken pod.`
      )
    }

    // 4. act — watching the affected namespaces first, so replacements are seen from the start
    const planned = plan.decisions.filter(d => d.decision === 'delete')
    const verify =
      planned.length > 0 && !config.dryRun && !scanOnly && config.verifyTimeoutSeconds !== 0
    if (verify) {
      verification = new Verification(
        deps.cluster,
        planned.map(d => d.finding.namespace),
        config.detect,
        Date.now,
        why => logger.debug(`verification watch resync: ${why}`)
      )
      await verification.started()
    }
    const actStart = Date.now()
    if (plan.decisions.length > 0) {
      result.pods = await logger.group(config.dryRun ? 'Act (dry run)' : 'Act', () =>
        act(plan, config, deps, { deadline, now: now(), scanOnly, memory, diagnoses, verification })
      )
    }
    result.timings.actMs = Date.now() - actStart

    // 5. verify
    if (verification) {
      const acted = result.pods.filter(row => wasActed(row.decision))
      if (acted.length > 0) {
        const budget = await verificationBudgetMs(config, deps, deadline)
        const verifyStart = Date.now()
        const verdicts = await logger.group(
          `Verify recovery (budget ${Math.round(budget.ms / 1000)} s)`,
          async () => {
            const v = await (verification as Verification).settle(budget.ms)
            for (const row of acted) {
              const verdict = v.get(row.uid)
              const line = `${row.namespace}/${row.pod}: ${verdict?.outcome ?? 'unknown'} — ${verdict?.detail ?? ''}`
              logger.info(line) // the annotations (report.ts) carry the errors
            }
            return v
          }
        )
        result.verification = {
          budgetSeconds: Math.round(budget.ms / 1000),
          durationMs: Date.now() - verifyStart,
          namespacesInCluster: budget.namespaces
        }
        for (const row of acted) {
          const verdict = verdicts.get(row.uid)
          row.outcome = verdict?.outcome ?? 'unknown'
          row.outcomeDetail = verdict?.detail
          row.replacement = verdict?.replacement
          row.recoveredInMs = verdict?.recoveredInMs
        }
      } else verification.stop()
    }
    for (const row of result.pods) {
      if (wasActed(row.decision) && !row.outcome) {
        row.outcome = 'unknown'
        row.outcomeDetail =
          config.verifyTimeoutSeconds === 0
            ? 'verification disabled (verify-timeout: 0)'
            : 'not verified'
      }
    }

    // 6. remember
    remember(result, config, deps, memory, now())
  } catch (error) {
    verification?.stop()
    // Bad input found on the way (a namespace that does not exist): nothing was deleted; the
    // caller fails the run whatever fail-on says.
    if (error instanceof ConfigError) throw error
    if (error instanceof NamespaceNotFoundError) {
      throw new ConfigError([
        `Input '${Inputs.Namespaces}': ${error.message}; expected existing namespaces (or an empty input for the whole cluster).`
      ])
    }
    const message = deps.cluster.describeError(error)
    result.errors.push(message)
    logger.error(`Cycle failed: ${message}`)
    for (const row of result.pods) {
      if (wasActed(row.decision) && !row.outcome) row.outcome = 'unknown'
    }
  } finally {
    result.counts = countRows(result.pods)
    result.durationMs = now().getTime() - started.getTime()
    result.apiRequests = deps.cluster.requestCount()
  }
  return result
}
