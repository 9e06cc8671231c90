// Scenario: the fleet's aggregate (issue 18) — 256 clusters' results of 1,000 findings each (the
// most a GitHub matrix runs, and a large cluster's worth of broken pods), aggregated by the
// sub-action's bundle (dist/aggregate.js, as the fleet workflow's last job runs it) with a local
// Bark stand-in: wall time from spawn to exit, peak RSS, the job summary's size (GitHub's limit:
// 1 MiB) and the Bark push's size (APNs: 4 KB). No cluster needed.

import { mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:http'
import { availableParallelism, loadavg } from 'node:os'
import { join } from 'node:path'
import { log, round, runProc, stats } from './util.mjs'

const KEY = 'fleetBenchDeviceKey01234'
export const FLEET_SUMMARY_LIMIT_BYTES = 1_048_576
export const AGGREGATE_GOAL_MS = 2000

/** One finding as the Action writes it; every 100th was diagnosed (max-deletions' default 10). */
function row(cluster, i) {
  const owner = `checkout-${i % 40}-7d9f8b6c5d`
  const base = {
    namespace: `team-${String(i % 50).padStart(2, '0')}`,
    pod: `${owner}-${i.toString(36).padStart(5, 'x')}`,
    uid: `${cluster}-uid-${i}`,
    owner: { kind: 'ReplicaSet', name: owner, uid: `${cluster}-rs-${i % 40}` },
    container: 'app',
    init: false,
    reason: 'CrashLoopBackOff',
    status: 'CrashLoopBackOff',
    exitCode: 1,
    restarts: 12 + (i % 30),
    ageSeconds: 7200 + i,
    message: `back-off 5m0s restarting failed container=app pod=${owner}-${i}_team-${i % 50}(…)`,
    cause: 'exits 1: panic: cannot connect to database at db.internal:5432 (connection refused)'
  }
  if (i % 100 === 0)
    return {
      ...base,
      decision: 'deleted',
      outcome: i % 200 === 0 ? 'not-recovered' : 'recovered',
      outcomeDetail: i % 200 === 0 ? `replacement ${owner}-new CrashLoopBackOff (exit 1)` : undefined,
      recoveredInMs: i % 200 === 0 ? undefined : 3200,
      diagnosis: {
        logTail: Array.from({ length: 20 }, (_, l) => `2026-11-28T12:00:${String(l).padStart(2, '0')}Z ERROR db connect failed attempt=${l} err="dial tcp 10.0.0.5:5432: connect: connection refused"`),
        events: [{ reason: 'BackOff', message: 'Back-off restarting failed container app', count: 40, lastSeen: '2026-11-28T12:00:00Z' }],
        notes: []
      }
    }
  if (i % 7 === 0) return { ...base, decision: 'report', reason: 'ImagePullBackOff', status: 'ImagePullBackOff', exitCode: undefined, detail: 'ImagePullBackOff: a delete cannot fix it' }
  return { ...base, decision: 'skipped', detail: 'max-deletions (10) reached; left for the next run' }
}

export function clusterResult(name, findings) {
  const pods = Array.from({ length: findings }, (_, i) => row(name, i))
  const count = d => pods.filter(p => p.decision === d).length
  return {
    version: 1,
    startedAt: '2026-11-28T12:00:00.000Z',
    durationMs: 42_000,
    dryRun: false,
    mode: 'delete',
    cluster: { context: `${name}-admin`, server: `https://${name}.k8s.example:6443` },
    scope: { namespaces: [], excludeNamespaces: ['kube-system'] },
    podsScanned: 20_000,
    pages: 40,
    counts: {
      unhealthy: pods.length,
      deleted: count('deleted'),
      skipped: count('skipped'),
      failed: 0,
      reportOnly: count('report'),
      recovered: pods.filter(p => p.outcome === 'recovered').length,
      unrecovered: pods.filter(p => p.outcome === 'not-recovered').length
    },
    verification: { budgetSeconds: 120, durationMs: 30_000 },
    escalations: [],
    incidents: { remembered: false, changes: [], open: [] },
    notifications: [],
    warnings: [],
    breaker: { tripped: false, unhealthy: pods.length, podsInScope: 20_000, percent: 5, limitPercent: 30 },
    pods,
    errors: [],
    timings: { listMs: 9000, actMs: 2000 },
    apiRequests: 90
  }
}

async function barkServer() {
  const pushes = []
  const server = createServer((req, res) => {
    const chunks = []
    req.on('data', c => chunks.push(c))
    req.on('end', () => {
      pushes.push(Buffer.concat(chunks))
      res.setHeader('content-type', 'application/json')
      res.end(JSON.stringify({ code: 200, message: 'success', timestamp: 1 }))
    })
  })
  await new Promise(r => server.listen(0, '127.0.0.1', r))
  return { pushes, url: `http://127.0.0.1:${server.address().port}/${KEY}`, close: () => new Promise(r => server.close(r)) }
}

/** Writes the results (one cluster without one), then runs the aggregate `reps` times. */
export async function aggregateScenario({ NODE, AGGREGATE, CLI, work, clusters = 256, findings = 1000, reps = 5 }) {
  log(`scenario — fleet aggregate: ${clusters} clusters × ${findings} findings, ${reps} runs of dist/aggregate.js (and of dist/cli.js aggregate)`)
  const dir = join(work, 'fleet-results')
  rmSync(dir, { recursive: true, force: true })
  mkdirSync(dir, { recursive: true })
  const names = Array.from({ length: clusters }, (_, i) => `cluster-${String(i).padStart(3, '0')}`)
  let bytes = 0
  // The last cluster's job "failed": no result, its outcome says so.
  for (const name of names.slice(0, -1)) {
    const text = JSON.stringify(clusterResult(name, findings))
    bytes += Buffer.byteLength(text)
    writeFileSync(join(dir, `${name}.json`), text)
    writeFileSync(join(dir, `${name}.outcome`), 'success\n')
  }
  writeFileSync(join(dir, `${names.at(-1)}.outcome`), 'failure\n')
  const clusterList = JSON.stringify(names.map(name => ({ name, 'kubeconfig-secret': `KUBECONFIG_${name}` })))
  // The sub-action reads on threads when cores are idle (src/action/aggregate.ts): as it would see it.
  const idleCores = round(availableParallelism() - loadavg()[0], 1)
  const bark = await barkServer()
  const timeFile = join(work, 'aggregate-time.txt')
  const runs = []
  const cliRuns = []
  let summaryBytes
  let summaryFindingsPerCluster
  let pushBytes
  let outputsBytes
  try {
    for (let rep = 0; rep < reps; rep++) {
      const out = join(work, `aggregate-output-${rep}`)
      const summary = `${out}.md`
      writeFileSync(out, '')
      writeFileSync(summary, '')
      const env = {
        PATH: process.env.PATH,
        HOME: work,
        GITHUB_OUTPUT: out,
        GITHUB_STEP_SUMMARY: summary,
        RUNNER_TEMP: work,
        INPUT_RESULTS: dir,
        INPUT_CLUSTERS: clusterList,
        'INPUT_FLEET-NAME': 'fleet',
        'INPUT_FAIL-ON': 'never',
        'INPUT_BARK-URL': bark.url
      }
      const r = await runProc('/usr/bin/time', ['-f', '%M', '-o', timeFile, NODE, AGGREGATE], { env, stdout: 'null' })
      if (r.code !== 0) throw new Error(`dist/aggregate.js exited ${r.code}: ${r.stderr.slice(-800)}`)
      runs.push({ ms: r.ms, rssMB: round(Number(readFileSync(timeFile, 'utf8').trim().split('\n').at(-1)) / 1024, 1) })
      summaryBytes = statSync(summary).size
      const text = readFileSync(summary, 'utf8')
      summaryFindingsPerCluster = (text.split(`### ${names[0]} — `)[1] ?? '').split('\n### ')[0].split('\n').filter(l => l.startsWith('| team-')).length
      outputsBytes = statSync(out).size
      rmSync(out)
      rmSync(summary)
      const c = await runProc('/usr/bin/time', ['-f', '%M', '-o', timeFile, NODE, CLI, 'aggregate', '--results', dir, '--clusters', clusterList, '--fail-on', 'never', '--output', 'json'], { stdout: 'null' })
      if (c.code !== 0) throw new Error(`dist/cli.js aggregate exited ${c.code}: ${c.stderr.slice(-800)}`)
      cliRuns.push({ ms: c.ms, rssMB: round(Number(readFileSync(timeFile, 'utf8').trim().split('\n').at(-1)) / 1024, 1) })
    }
    pushBytes = bark.pushes.at(-1)?.length
  } finally {
    await bark.close()
    rmSync(dir, { recursive: true, force: true })
  }
  const entry = {
    clusters,
    clustersWithResult: clusters - 1,
    findingsPerCluster: findings,
    resultFilesMB: round(bytes / 1e6, 1),
    action: { wallMs: stats(runs.map(r => r.ms)), rssMB: stats(runs.map(r => r.rssMB)) },
    cli: { wallMs: stats(cliRuns.map(r => r.ms)), rssMB: stats(cliRuns.map(r => r.rssMB)) },
    summaryBytes,
    summaryLimitBytes: FLEET_SUMMARY_LIMIT_BYTES,
    summaryFindingsPerCluster,
    outputsBytes,
    barkPushes: bark.pushes.length / reps,
    barkPushBytes: pushBytes,
    goalMs: AGGREGATE_GOAL_MS,
    // Load on the machine around the runs (1, 5, 15 minutes): the wall times depend on it.
    loadavg: loadavg().map(x => round(x, 2)),
    idleCoresAtStart: idleCores,
    cores: availableParallelism()
  }
  log(`  dist/aggregate.js median ${round(entry.action.wallMs.median)} ms (peak RSS ${entry.action.rssMB.median} MB), cli ${round(entry.cli.wallMs.median)} ms; summary ${summaryBytes} B (${summaryFindingsPerCluster} findings per cluster), Bark push ${pushBytes} B`)
  return entry
}

const f = (x, d = 0) => (typeof x === 'number' ? x.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d }) : '—')

/** The goals' lines for RESULTS.md. */
export function aggregateGoals(a) {
  if (!a) return []
  const ok = v => (v ? '**met**' : '**missed**')
  return [
    `| Fleet aggregate of ${f(a.clusters)} results × ${f(a.findingsPerCluster)} findings < 2 s | dist/aggregate.js median ${f(a.action.wallMs.median)} ms (min ${f(a.action.wallMs.min)}, max ${f(a.action.wallMs.max)}; load average ${a.loadavg?.map(x => x.toFixed(1)).join(' / ') ?? '—'}) | ${ok(a.action.wallMs.median < a.goalMs)} |`,
    `| Fleet summary < 1 MiB | ${f(a.summaryBytes)} B | ${ok(a.summaryBytes < a.summaryLimitBytes)} |`
  ]
}

/** The section of RESULTS.md. */
export function renderAggregate(a) {
  if (!a) return []
  return [
    '## Fleet aggregate (issue 18)',
    '',
    `${f(a.clusters)} clusters (a matrix's limit), ${f(a.clustersWithResult)} with a result of ${f(a.findingsPerCluster)} findings each (every 100th diagnosed: 20 log lines, an event) and one without (its job failed), ${f(a.resultFilesMB, 1)} MB of result files; aggregated with fail-on never and Bark on (a local stand-in). Wall time = spawn → exit, ${a.action.wallMs.n} runs; peak RSS = /usr/bin/time -f %M. No cluster involved (\`npm run bench -- --only aggregate\`).`,
    '',
    '| | wall (min / median / max) | peak RSS (median) |',
    '|---|---:|---:|',
    `| dist/aggregate.js (the sub-action) | ${f(a.action.wallMs.min)} / ${f(a.action.wallMs.median)} / ${f(a.action.wallMs.max)} ms | ${f(a.action.rssMB.median, 1)} MB |`,
    `| dist/cli.js aggregate --output json (no notification) | ${f(a.cli.wallMs.min)} / ${f(a.cli.wallMs.median)} / ${f(a.cli.wallMs.max)} ms | ${f(a.cli.rssMB.median, 1)} MB |`,
    '',
    `- The sub-action reads the results on worker threads when cores are idle (cores − the 1-minute load average, at most 4; at the start here: ${f(a.idleCoresAtStart, 1)} of ${a.cores ?? '?'}), else on one; the CLI always on one (it sets V8's default heap sizing back for this command: the scan's tuning, lib/startup.ts, made it ~2× slower). Rows are checked through zod's JIT-compiled object over the result schema's own shape (~2× faster than zod/mini's).`,
    `- Job summary: ${f(a.summaryBytes)} bytes of GitHub's ${f(a.summaryLimitBytes)} (a row per cluster, then ${a.summaryFindingsPerCluster} findings per cluster: the most that fit of 10 / 5 / 3 / 1).`,
    `- Bark: ${a.barkPushes} push per run, ${f(a.barkPushBytes)} bytes as sent (APNs takes 4,096 with bark-server's own fields; the body is cut by whole lines).`,
    `- Fleet outputs (GITHUB_OUTPUT): ${f(a.outputsBytes)} bytes.`,
    ''
  ]
}
