// The fleet for real: three control planes up at once (hack/cluster.sh in three directories),
// each with its own broken workloads; the Action bundle runs against each concurrently, writing
// its result-file as the fleet workflow's jobs do; then the aggregate sub-action's bundle (and
// the CLI's `aggregate`) over their results plus one cluster that has none → the fleet summary,
// the fleet outputs and ONE Bark digest, checked exactly: every name comes from the clusters or
// the result files (structured), never a pattern over random names. The planes are started and
// stopped here (they are not the shared one of global-setup).
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { AppsV1Api, CoreV1Api, KubeConfig, type V1Pod } from '@kubernetes/client-node'
import { spawn } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import type { CycleResult } from '../../src/domain/result.js'
import { parseOutputFile, runAction, runCli } from '../fixtures/bundle.js'
import { barkOk, scriptedServer, type ScriptedServer } from '../fixtures/http-servers.js'

const FAULT_LABEL = 'pod-cleaner.test/fault'
const NS = 'shop'
const DEVICE_KEY = 'fleetDeviceKey0123456789'

interface Plane {
  name: string
  dir: string
  kubeconfig: string
  core: CoreV1Api
  apps: AppsV1Api
}

/** Runs a command to its end; rejects with its output's tail when it fails. */
function sh(args: string[], timeoutMs: number): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn('bash', args, { stdio: ['ignore', 'ignore', 'pipe'] })
    let err = ''
    child.stderr.on('data', d => (err = (err + String(d)).slice(-4000)))
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs)
    child.on('error', reject)
    child.on('close', code => {
      clearTimeout(timer)
      if (code === 0) resolvePromise()
      else reject(new Error(`bash ${args.join(' ')} exited ${code}: ${err}`))
    })
  })
}

/** One control plane in its own directory (ports picked by hack/cluster.sh); one retry. */
async function up(name: string, root: string): Promise<Plane> {
  const dir = join(root, name)
  mkdirSync(dir)
  try {
    await sh(['hack/cluster.sh', 'up', dir], 10 * 60_000)
  } catch {
    // Two planes starting together can pick the same free port; the second try picks again.
    await sh(['hack/cluster.sh', 'down', dir], 120_000).catch(() => undefined)
    await sh(['hack/cluster.sh', 'up', dir], 10 * 60_000)
  }
  const info = JSON.parse(readFileSync(join(dir, 'cluster.json'), 'utf8')) as {
    adminKubeconfig: string
  }
  const kubeconfig = readFileSync(info.adminKubeconfig, 'utf8')
  const kc = new KubeConfig()
  kc.loadFromString(kubeconfig)
  return {
    name,
    dir,
    kubeconfig,
    core: kc.makeApiClient(CoreV1Api),
    apps: kc.makeApiClient(AppsV1Api)
  }
}

const container = { name: 'app', image: 'busybox:1.36', command: ['sh', '-c', 'sleep 3600'] }

function podSpec(app: string, fault?: string) {
  return {
    metadata: { labels: { app, ...(fault ? { [FAULT_LABEL]: fault } : {}) } },
    spec: { terminationGracePeriodSeconds: 0, containers: [container] }
  }
}

async function deployment(plane: Plane, name: string, replicas: number, fault?: string) {
  await plane.apps.createNamespacedDeployment({
    namespace: NS,
    body: {
      metadata: { name },
      spec: { replicas, selector: { matchLabels: { app: name } }, template: podSpec(name, fault) }
    }
  })
}

async function barePod(plane: Plane, name: string, fault: string) {
  const t = podSpec(name, fault)
  await plane.core.createNamespacedPod({
    namespace: NS,
    body: { metadata: { name, ...t.metadata }, spec: t.spec }
  })
}

const waiting = (pod: V1Pod): string | undefined =>
  pod.status?.containerStatuses?.[0]?.state?.waiting?.reason
const ready = (pod: V1Pod): boolean =>
  (pod.status?.conditions ?? []).some(c => c.type === 'Ready' && c.status === 'True')

/** Polls until the app's live pods are `count` and all satisfy `ok` (set-up only). */
async function pods(plane: Plane, app: string, count: number, ok: (pod: V1Pod) => boolean) {
  const deadline = Date.now() + 120_000
  for (;;) {
    const items = (
      await plane.core.listNamespacedPod({ namespace: NS, labelSelector: `app=${app}` })
    ).items.filter(p => !p.metadata?.deletionTimestamp)
    if (items.length === count && items.every(ok)) return items
    if (Date.now() > deadline) throw new Error(`${plane.name}: ${count} ${app} pods never came`)
    await new Promise(r => setTimeout(r, 250))
  }
}

const nameOf = (pod: V1Pod | undefined): string => pod?.metadata?.name as string

describe('a fleet of three clusters and one that said nothing', () => {
  const root = mkdtempSync(join(tmpdir(), 'pod-cleaner-fleet-'))
  const results = join(root, 'results')
  const planes: Plane[] = []
  let bark: ScriptedServer
  const names = { web: '', api: '' }
  const clusters = JSON.stringify([
    { name: 'alpha', 'kubeconfig-secret': 'KUBECONFIG_ALPHA' },
    { name: 'beta', 'kubeconfig-secret': 'KUBECONFIG_BETA' },
    { name: 'gamma', 'kubeconfig-secret': 'KUBECONFIG_GAMMA', 'dry-run': true },
    { name: 'delta', 'kubeconfig-secret': 'KUBECONFIG_DELTA' }
  ])

  beforeAll(async () => {
    mkdirSync(results)
    // Started side by side, a second apart (each picks its own ports).
    const started = await Promise.allSettled(
      ['alpha', 'beta', 'gamma'].map(
        (name, i) =>
          new Promise<Plane>((res, rej) =>
            setTimeout(() => up(name, root).then(res, rej), i * 1000)
          )
      )
    )
    for (const s of started) if (s.status === 'fulfilled') planes.push(s.value)
    const failed = started.find(s => s.status === 'rejected')
    if (failed) throw (failed as PromiseRejectedResult).reason
    const [alpha, beta, gamma] = planes as [Plane, Plane, Plane]
    await Promise.all(planes.map(p => p.core.createNamespace({ body: { metadata: { name: NS } } })))
    // alpha: a crash-looping Deployment (deleted; its replacement crash-loops too).
    // beta: a missing image (report only) and a crash-looping bare pod (skipped).
    // gamma: healthy.
    await deployment(alpha, 'web', 1, 'crashloop')
    await deployment(beta, 'api', 1, 'imagepull')
    await barePod(beta, 'debug', 'crashloop')
    await deployment(gamma, 'ok', 2)
    names.web = nameOf((await pods(alpha, 'web', 1, p => waiting(p) === 'CrashLoopBackOff'))[0])
    names.api = nameOf((await pods(beta, 'api', 1, p => waiting(p) === 'ImagePullBackOff'))[0])
    await pods(beta, 'debug', 1, p => waiting(p) === 'CrashLoopBackOff')
    await pods(gamma, 'ok', 2, ready)
    bark = await scriptedServer([barkOk])
  }, 15 * 60_000)

  afterAll(async () => {
    await bark?.close()
    await Promise.all(
      ['alpha', 'beta', 'gamma'].map(name =>
        sh(['hack/cluster.sh', 'down', join(root, name)], 120_000).catch(() => undefined)
      )
    )
    rmSync(root, { recursive: true, force: true })
  }, 5 * 60_000)

  /** Each cluster's job: the Action with the fleet's inputs, then the outcome file. */
  async function runCluster(plane: Plane, extra: Record<string, string>): Promise<CycleResult> {
    const run = await runAction({
      kubeconfig: plane.kubeconfig,
      'min-pod-age': '0',
      'min-restarts': '1',
      diagnose: 'false',
      'verify-timeout': '60s',
      'result-file': join(results, `${plane.name}.json`),
      ...extra
    })
    writeFileSync(
      join(results, `${plane.name}.outcome`),
      run.code === 0 ? 'success\n' : 'failure\n'
    )
    expect([plane.name, run.code]).toEqual([plane.name, 0])
    return JSON.parse(readFileSync(join(results, `${plane.name}.json`), 'utf8')) as CycleResult
  }

  let byCluster: Record<string, CycleResult> = {}
  let replacement = ''

  it(
    'the Action runs against the three clusters at once, each writing its result-file',
    async () => {
      const [alpha, beta, gamma] = planes as [Plane, Plane, Plane]
      const [a, b, g] = await Promise.all([
        // alpha remembers runs (a state file): its part of the digest is its incident changes.
        runCluster(alpha, { 'state-file': join(root, 'alpha-state.json') }),
        runCluster(beta, {}),
        runCluster(gamma, { 'dry-run': 'true' })
      ])
      byCluster = { alpha: a, beta: b, gamma: g }
      replacement = nameOf((await pods(alpha, 'web', 1, () => true))[0])
      expect(replacement).not.toBe(names.web)
      expect([a.podsScanned, a.counts.deleted, a.pods[0]?.outcome]).toEqual([1, 1, 'not-recovered'])
      expect([b.podsScanned, b.counts.reportOnly, b.counts.skipped]).toEqual([2, 1, 1])
      expect([g.podsScanned, g.counts.unhealthy, g.dryRun]).toEqual([2, 0, true])
    },
    5 * 60_000
  )

  /** The aggregate sub-action's bundle, as the fleet workflow's last job runs it. */
  async function aggregate() {
    const dir = mkdtempSync(join(root, 'gh-'))
    const output = join(dir, 'output')
    const summary = join(dir, 'summary')
    writeFileSync(output, '')
    writeFileSync(summary, '')
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      HOME: dir,
      GITHUB_OUTPUT: output,
      GITHUB_STEP_SUMMARY: summary,
      RUNNER_TEMP: dir,
      INPUT_RESULTS: results,
      INPUT_CLUSTERS: clusters,
      'INPUT_FLEET-NAME': 'fleet',
      'INPUT_FAIL-ON': 'error',
      'INPUT_BARK-URL': `${bark.url}/${DEVICE_KEY}`
    }
    const run = await new Promise<{ code: number | null; stdout: string }>((res, rej) => {
      const child = spawn(process.execPath, [resolve('dist/aggregate.js')], { env })
      let stdout = ''
      child.stdout.on('data', d => (stdout += d))
      child.on('error', rej)
      child.on('close', code => res({ code, stdout }))
    })
    return {
      ...run,
      outputs: parseOutputFile(readFileSync(output, 'utf8')),
      summary: readFileSync(summary, 'utf8')
    }
  }

  let agg: Awaited<ReturnType<typeof aggregate>>

  it('aggregate: one Bark digest, most important first, for the whole fleet', async () => {
    agg = await aggregate()
    expect(bark.requests).toHaveLength(1)
    const push = JSON.parse(bark.requests[0]?.body as string) as Record<string, unknown>
    expect(push).toEqual({
      device_key: DEVICE_KEY,
      title:
        'Pod Cleaner fleet: 1 without a result, 1 deleted, 1 not recovered, 1 need a fix — fleet (4 clusters)',
      subtitle: 'fleet · 3 of 4 clusters reported · 5 pods scanned',
      // Bark shows a few lines: each is cut at 160 characters (notify/channels/bark.ts).
      body: [
        'delta: no result: the job failed, timed out or was cancelled',
        `alpha: New: Deployment ${NS}/web: ${NS}/${names.web} · CrashLoopBackOff · exit 1 · deleted · not recovered: replacement ${replacement} CrashLoopBackOff (exit 1)`,
        `beta: ${NS}/${names.api} · ImagePullBackOff · report only: ImagePullBackOff: a delete cannot fix it`
      ]
        .map(line => (line.length > 160 ? `${line.slice(0, 159)}…` : line))
        .join('\n'),
      group: 'pod-cleaner-fleet',
      level: 'timeSensitive',
      sound: 'alarm',
      icon: 'https://raw.githubusercontent.com/kubernetes/kubernetes/master/logo/logo.png',
      isArchive: '1'
    })
    expect(bark.requests[0]?.path).toBe('/push')
  }, 120_000)

  it('fails under fail-on error because delta has no result, and says so', () => {
    expect(agg.code).toBe(1)
    expect(agg.stdout.split('\n')).toContain(
      '::error::Pod Cleaner fleet: delta: no result: the job failed, timed out or was cancelled (fail-on: error)'
    )
  })

  it('the fleet outputs: totals and a row per cluster, delta’s a no-result row', () => {
    const { alpha, beta, gamma } = byCluster as Record<string, CycleResult>
    const reported = (name: string, r: CycleResult, openIncidents: number | null) => ({
      name,
      status: 'reported',
      context: 'admin@pod-cleaner-local',
      dryRun: r.dryRun,
      podsScanned: r.podsScanned,
      unhealthy: r.counts.unhealthy,
      deleted: r.counts.deleted,
      unrecovered: r.counts.unrecovered,
      recovered: r.counts.recovered,
      failed: r.counts.failed,
      reportOnly: r.counts.reportOnly,
      skipped: r.counts.skipped,
      openIncidents,
      errors: 0,
      breakerTripped: false,
      durationMs: r.durationMs
    })
    expect(JSON.parse(agg.outputs.clusters as string)).toEqual([
      reported('alpha', alpha as CycleResult, 1),
      reported('beta', beta as CycleResult, null),
      reported('gamma', gamma as CycleResult, null),
      {
        name: 'delta',
        status: 'no-result',
        reason: 'no result: the job failed, timed out or was cancelled',
        podsScanned: null,
        unhealthy: null,
        deleted: null,
        unrecovered: null,
        recovered: null,
        failed: null,
        reportOnly: null,
        skipped: null,
        openIncidents: null,
        errors: null,
        breakerTripped: null,
        durationMs: null
      }
    ])
    const totals = Object.fromEntries(
      Object.entries(agg.outputs).filter(([name]) => name !== 'clusters')
    )
    expect(totals).toEqual({
      'cluster-count': '4',
      'reported-count': '3',
      'missing-count': '1',
      'missing-clusters': 'delta',
      'pods-scanned': '5',
      'unhealthy-count': '3',
      'deleted-count': '1',
      'skipped-count': '1',
      'failed-count': '0',
      'report-only-count': '1',
      'recovered-count': '0',
      'unrecovered-count': '1'
    })
  })

  it('one fleet summary: a row per cluster (delta’s says why), totals, then each cluster', () => {
    const lines = agg.summary.split('\n')
    const { alpha, beta, gamma } = byCluster as Record<string, CycleResult>
    const duration = (r: CycleResult) =>
      r.durationMs < 1000 ? `${r.durationMs} ms` : `${(r.durationMs / 1000).toFixed(1)} s`
    const longest = Math.max(...[alpha, beta, gamma].map(r => (r as CycleResult).durationMs))
    const header =
      '| Cluster | Context | Scanned | Broken | Deleted | Not recovered | Open incidents | Duration | Notes |'
    const table = lines.slice(lines.indexOf(header), lines.indexOf(header) + 7)
    const ctx = 'admin@pod-cleaner-local'
    expect(table).toEqual([
      header,
      '|---|---|--:|--:|--:|--:|--:|--:|---|',
      `| alpha | ${ctx} | 1 | 1 | 1 | 1 | 1 | ${duration(alpha as CycleResult)} |  |`,
      `| beta | ${ctx} | 2 | 2 | 0 | 0 | — | ${duration(beta as CycleResult)} |  |`,
      `| gamma | ${ctx} | 2 | 0 | 0 | 0 | — | ${duration(gamma as CycleResult)} | dry run |`,
      '| **delta** | — | — | — | — | — | — | — | **no result: the job failed, timed out or was cancelled** |',
      `| **Total** | 3 of 4 | 5 | 3 | 1 | 1 | 1 | ${duration({ durationMs: longest } as CycleResult)} (longest) | |`
    ])
    expect(lines.slice(0, 7)).toEqual([
      '## Pod Cleaner fleet — fleet: 4 clusters',
      '',
      '**3 of 4 clusters reported · 1 without a result · 3 unhealthy · 1 deleted · 1 not recovered · 1 report only · 1 skipped · 0 failed · 1 open incidents**',
      '',
      '> [!CAUTION]',
      '> **delta**: no result: the job failed, timed out or was cancelled',
      ''
    ])
    const alphaSection = lines.slice(lines.indexOf(`### alpha — ${ctx}`))
    expect(alphaSection.slice(0, 7)).toEqual([
      `### alpha — ${ctx}`,
      '',
      '1 unhealthy · 1 deleted · 0 report only · 0 skipped · 0 failed · 0 recovered · 1 not recovered',
      '',
      '| Namespace | Pod | Owner | Reason | Cause | Decision | Recovery |',
      '|---|---|---|---|---|---|---|',
      `| ${NS} | ${names.web} | ${(alpha as CycleResult).pods[0]?.owner?.kind}/${(alpha as CycleResult).pods[0]?.owner?.name} | CrashLoopBackOff | — | deleted | not recovered: replacement ${replacement} CrashLoopBackOff (exit 1) |`
    ])
    expect(lines).toContain(`### gamma (dry run) — ${ctx}`)
    expect(lines).not.toContain(`### delta — ${ctx}`)
    expect(lines.at(-2)).toBe('Notifications: bark: sent (1 attempt)')
  })

  it('pod-cleaner aggregate (CLI bundle) gives the same outputs, without notifying', async () => {
    const cli = await runCli([
      'aggregate',
      '--results',
      results,
      '--clusters',
      clusters,
      '--output',
      'json'
    ])
    expect(cli.code).toBe(1)
    expect(JSON.parse(cli.stdout)).toEqual(agg.outputs)
    expect(bark.requests).toHaveLength(1)
  })
})
