#!/usr/bin/env node
// `npm run bench`: the numbers behind issue 8, measured side by side on a real control plane
// (hack/cluster.sh: etcd + kube-apiserver + controller-manager + scheduler + kwok).
//
//   node bench/run.mjs [--sizes 10000,50000] [--reps 5] [--mem-small 1000] [--broken 100]
//                      [--cluster cluster.json] [--out DIR] [--quick] [--budget-min 20]
//                      [--no-profile] [--pods N] [--only aggregate|incidents]
//
// Drives dist/cli.js, dist/index.js and dist/aggregate.js as child processes (run `npm run bundle`
// first). Writes RESULTS.md and results.json to --out (default: bench/); --render FILE re-renders
// RESULTS.md. --pods N (e.g. 150000, Kubernetes' documented limit; opt-in, long) measures that
// one size (and the 1k baseline) and merges it into the saved results; --only aggregate runs the
// fleet aggregate alone (no cluster) and merges it likewise; --only incidents plays the scripted
// day of issue 15 (before/after notification counts) alone on a control plane (--cluster, or one
// of its own) and merges it likewise.

import { execFileSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { gzipSync } from 'node:zlib'
import { Kube, requestTotal } from './lib/kube.mjs'
import { BROKEN_LABEL, RUN_LABEL, startRecorder, Workload } from './lib/cluster-work.mjs'
import { coldStart } from './lib/cold-start.mjs'
import { barkPayloads } from './lib/bark.mjs'
import { loadSourceMap, summarizeProfile } from './lib/profile.mjs'
import { analyze } from './lib/analysis.mjs'
import { renderResults } from './lib/report.mjs'
import { aggregateScenario } from './lib/fleet-aggregate.mjs'
import { incidentScenario } from './lib/incident-bench.mjs'
import { children, log, parseGithubOutput, ratio, round, runProc, shuffled, stats, traceGcPeak } from './lib/util.mjs'

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const NODE = process.execPath
const CLI = join(ROOT, 'dist/cli.js')
const ACTION = join(ROOT, 'dist/index.js')
const AGGREGATE = join(ROOT, 'dist/aggregate.js')

if (Number(process.versions.node.split('.')[0]) < 24) {
  console.error(`bench: Node ${process.versions.node}; run it with Node 24 (npm run bench)`)
  process.exit(2)
}

const { values: args } = parseArgs({
  options: {
    sizes: { type: 'string' },
    reps: { type: 'string' },
    'mem-small': { type: 'string' },
    broken: { type: 'string' },
    cluster: { type: 'string' },
    out: { type: 'string' },
    quick: { type: 'boolean' },
    'budget-min': { type: 'string' },
    'no-profile': { type: 'boolean' },
    render: { type: 'string' },
    pods: { type: 'string' },
    only: { type: 'string' },
    help: { type: 'boolean', short: 'h' }
  }
})
if (args.help) {
  console.log(readFileSync(fileURLToPath(import.meta.url), 'utf8').split('\n').slice(1, 14).join('\n'))
  process.exit(0)
}
if (args.render) {
  // Re-render RESULTS.md from an existing results.json (no measuring).
  const file = resolve(args.render)
  const saved = JSON.parse(readFileSync(file, 'utf8'))
  saved.analysis = analyze(saved)
  writeFileSync(file, `${JSON.stringify(saved, null, 2)}\n`)
  writeFileSync(join(dirname(file), 'RESULTS.md'), renderResults(saved))
  process.exit(0)
}
const quick = args.quick === true
if (args.only !== undefined && !['aggregate', 'incidents'].includes(args.only)) {
  console.error(`bench: --only ${args.only}: expected aggregate or incidents`)
  process.exit(2)
}
const opts = {
  quick,
  sizes: (args.pods ?? args.sizes ?? (quick ? '300' : '10000,50000')).split(',').map(Number).filter(n => n > 0),
  reps: Number(args.reps ?? (quick ? 1 : 5)),
  memSmall: Number(args['mem-small'] ?? (quick ? 100 : 1000)),
  broken: Number(args.broken ?? (quick ? 5 : 100)),
  budgetMin: Number(args['budget-min'] ?? 20),
  profile: !quick && args['no-profile'] !== true,
  outDir: resolve(args.out ?? join(ROOT, 'bench')),
  reuse: args.cluster ? resolve(args.cluster) : undefined
}
opts.sizes.sort((a, b) => a - b)
const nsCountFor = n => (quick ? 10 : Math.max(100, Math.min(500, Math.round(n / 100))))

for (const f of [CLI, ACTION, AGGREGATE]) {
  if (!existsSync(f)) {
    console.error(`bench: ${f} is missing; run npm run bundle first`)
    process.exit(2)
  }
}

const runId = randomBytes(3).toString('hex')
const work = mkdtempSync(join(tmpdir(), 'pod-cleaner-bench-'))
const benchStart = Date.now()
const results = {
  version: 1,
  generatedAt: new Date().toISOString(),
  command: `node bench/run.mjs ${process.argv.slice(2).join(' ')}`.trim(),
  machine: {},
  options: { ...opts, outDir: undefined },
  cluster: {},
  notes: [],
  scenarios: { scan: [], memory: [], cleanup: [], coldStart: null, bark: null, aggregate: null, incidents: null, profile: null }
}
let ownClusterDir
let cluster
let kube
let workload
let finished = false

async function teardown(reason) {
  if (finished) return
  finished = true
  for (const child of children) child.kill('SIGTERM')
  try {
    if (workload && opts.reuse) {
      log(`deleting the bench's ${workload.namespaces.length} namespaces`)
      await workload.deleteNamespaces()
    }
    await kube?.close().catch(() => undefined)
  } catch (error) {
    log(`cleanup: ${error.message}`)
  }
  if (ownClusterDir) {
    log(`stopping the control plane (${reason})`)
    try {
      execFileSync('bash', [join(ROOT, 'hack/cluster.sh'), 'down', ownClusterDir], { stdio: ['ignore', 'ignore', 'inherit'], timeout: 120_000 })
    } catch (error) {
      log(`cluster down failed: ${error.message}`)
    }
  }
  rmSync(work, { recursive: true, force: true })
}
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, () => {
    log(`${sig}: cleaning up`)
    teardown(sig).finally(() => process.exit(130))
  })
}

// ---------------------------------------------------------------------------------------------
// Tools under test
// ---------------------------------------------------------------------------------------------

const kubeconfigPath = () => cluster.adminKubeconfig
const labelScope = () => (opts.reuse ? `${RUN_LABEL}=${runId}` : '')

function actionEnv(inputs) {
  const outFile = join(work, `gh-output-${randomBytes(4).toString('hex')}`)
  const summaryFile = `${outFile}.md`
  writeFileSync(outFile, '')
  writeFileSync(summaryFile, '')
  const env = { ...process.env, GITHUB_OUTPUT: outFile, GITHUB_STEP_SUMMARY: summaryFile, RUNNER_TEMP: work }
  for (const key of Object.keys(env)) if (key.startsWith('INPUT_')) delete env[key]
  for (const [name, value] of Object.entries(inputs)) env[`INPUT_${name.toUpperCase()}`] = value
  return { env, outFile, summaryFile }
}

function readActionResult(outFile) {
  const outputs = parseGithubOutput(readFileSync(outFile, 'utf8'))
  return outputs.result ? JSON.parse(outputs.result) : undefined
}

const TOOLS = {
  async cli() {
    const summary = join(work, 'cli-summary.md')
    const sel = labelScope()
    const r = await runProc(NODE, [CLI, 'scan', '--kubeconfig', kubeconfigPath(), '--output', 'json', '--summary', summary, ...(sel ? ['--label-selector', sel] : [])])
    if (r.code !== 0) throw new Error(`cli scan exited ${r.code}: ${r.stderr.slice(-500)}`)
    const json = JSON.parse(r.stdout)
    const m = /Scanned ([\d,]+) pods in (\d+) pages.*?, (\d+) API requests/.exec(readFileSync(summary, 'utf8'))
    return { ms: r.ms, pods: m ? Number(m[1].replace(/,/g, '')) : undefined, pages: m ? Number(m[2]) : undefined, requests: m ? Number(m[3]) : undefined, findings: json.findings.length }
  },
  async action() {
    const sel = labelScope()
    const { env, outFile } = actionEnv({ kubeconfig: readFileSync(kubeconfigPath(), 'utf8'), 'dry-run': 'true', ...(sel ? { 'label-selector': sel } : {}) })
    const r = await runProc(NODE, [ACTION], { env })
    const result = readActionResult(outFile)
    if (!result) throw new Error(`action wrote no result (exit ${r.code}): ${r.stdout.slice(-800)} ${r.stderr.slice(-800)}`)
    if (result.errors.length) throw new Error(`action errors: ${result.errors.join('; ')}`)
    return { ms: r.ms, pods: result.podsScanned, pages: result.pages, requests: result.apiRequests, listMs: result.timings.listMs, findings: result.pods.length }
  },
  async kubectl() {
    // Under /usr/bin/time, so the timed runs also give kubectl's peak RSS (scenario 2 reuses it
    // instead of running kubectl again: at 50k pods each run is ~45 s).
    const sel = labelScope()
    const timeFile = join(work, 'kubectl-time.txt')
    const r = await runProc('/usr/bin/time', ['-f', '%M', '-o', timeFile, cluster.kubectl, '--kubeconfig', kubeconfigPath(), '--cache-dir', join(work, 'kubectl-cache'), 'get', 'pods', '-A', '--chunk-size=500', '-o', 'json', ...(sel ? ['-l', sel] : [])], { stdout: 'null' })
    if (r.code !== 0) throw new Error(`kubectl exited ${r.code}: ${r.stderr.slice(-500)}`)
    return { ms: r.ms, rssMB: round(Number(readFileSync(timeFile, 'utf8').trim().split('\n').at(-1)) / 1024, 1) }
  },
  async baseline() {
    const r = await runProc(NODE, [join(ROOT, 'bench/baseline-original.mjs'), clusterFile, labelScope()])
    if (r.code !== 0) throw new Error(`baseline exited ${r.code}: ${r.stderr.slice(-500)}`)
    const out = JSON.parse(r.stdout)
    return { ms: r.ms, pods: out.pods, pages: out.listRequests, requests: out.requests, namespaces: out.namespaces }
  }
}

/** kubectl's requests, from its -v=6 log ("GET https://… 200 OK in 12 milliseconds"). */
async function kubectlRequests() {
  const sel = labelScope()
  const r = await runProc(cluster.kubectl, ['--kubeconfig', kubeconfigPath(), '--cache-dir', join(work, 'kubectl-cache'), 'get', 'pods', '-A', '--chunk-size=500', '-o', 'json', '-v=6', ...(sel ? ['-l', sel] : [])], { stdout: 'null' })
  // 1.34: `"Response" verb="GET" url="https://…/api/v1/pods?limit=500" status="200 OK"`; older: `GET https://… 200 OK`.
  const lines = r.stderr.split('\n').filter(l => /"Response" verb="\w+" url="/.test(l) || /\b(GET|POST|PUT|DELETE|PATCH) https?:\/\/\S+ \d{3} /.test(l))
  return { requests: lines.length, listRequests: lines.filter(l => /\/api\/v1\/pods\?/.test(l)).length }
}

// ---------------------------------------------------------------------------------------------
// Scenarios
// ---------------------------------------------------------------------------------------------

let kubectlDiscoveryRequests // counted once, at the first scan size
const kubectlRuns = new Map() // pods → kubectl's timed runs (scenario 2 reads their peak RSS)

async function scanScenario(n) {
  log(`scenario 1 — healthy scan at ${n} pods: ${opts.reps} repetitions × cli, action, kubectl, baseline`)
  const runs = { cli: [], action: [], kubectl: [], baseline: [] }
  if (kubectlDiscoveryRequests === undefined) {
    // One unmeasured warm-up each at the first size (kubectl's discovery cache, the page cache of
    // the binaries); kubectl's with -v=6, which also counts its requests.
    for (const tool of ['cli', 'action', 'baseline']) await TOOLS[tool]()
    const kc = await kubectlRequests()
    kubectlDiscoveryRequests = kc.requests - kc.listRequests
  }
  let kubectlPodLists
  for (let rep = 1; rep <= opts.reps; rep++) {
    for (const tool of shuffled(Object.keys(TOOLS))) {
      // kubectl's pod lists: the apiserver's own counter around one timed run (nothing else lists
      // pods cluster-wide meanwhile); its other requests are discovery, counted at the first size.
      const before = rep === 1 && tool === 'kubectl' ? await metricsSnapshot() : undefined
      runs[tool].push(await TOOLS[tool]())
      if (before) kubectlPodLists = (await metricsSnapshot()).podListCluster - before.podListCluster
    }
    log(`  rep ${rep}/${opts.reps}: ${Object.entries(runs).map(([t, r]) => `${t} ${round(r.at(-1).ms)} ms`).join(', ')}`)
  }
  kubectlRuns.set(n, runs.kubectl)
  const kc = { requests: kubectlPodLists + kubectlDiscoveryRequests, listRequests: kubectlPodLists }
  const podsSeen = runs.action.at(-1).pods
  const s = Object.fromEntries(Object.entries(runs).map(([t, r]) => [t, { ...stats(r.map(x => x.ms)), runsMs: r.map(x => round(x.ms)) }]))
  const entry = {
    pods: n,
    podsSeen,
    namespaces: runs.baseline.at(-1).namespaces,
    wallMs: s,
    ratioVsKubectl: {
      cli: ratio(s.cli.median, s.kubectl.median),
      action: ratio(s.action.median, s.kubectl.median),
      baseline: ratio(s.baseline.median, s.kubectl.median),
      cliMin: ratio(s.cli.min, s.kubectl.min),
      actionMin: ratio(s.action.min, s.kubectl.min)
    },
    ratioVsBaseline: { cli: ratio(s.cli.median, s.baseline.median), action: ratio(s.action.median, s.baseline.median) },
    actionListMs: stats(runs.action.map(r => r.listMs)),
    requests: {
      cli: { total: runs.cli.at(-1).requests, listPages: runs.cli.at(-1).pages },
      action: { total: runs.action.at(-1).requests, listPages: runs.action.at(-1).pages },
      kubectl: { total: kc.requests, listPages: kc.listRequests },
      baseline: { total: runs.baseline.at(-1).requests, listPages: runs.baseline.at(-1).pages },
      goalListPages: Math.ceil(podsSeen / 500)
    },
    correctness: {
      cliPods: runs.cli.at(-1).pods,
      actionPods: runs.action.at(-1).pods,
      baselinePods: runs.baseline.at(-1).pods,
      findings: runs.action.at(-1).findings
    }
  }
  log(`  median: cli ${round(s.cli.median)} ms, action ${round(s.action.median)} ms, kubectl ${round(s.kubectl.median)} ms, baseline ${round(s.baseline.median)} ms → cli/kubectl ${entry.ratioVsKubectl.cli}×, action/kubectl ${entry.ratioVsKubectl.action}×; requests action ${entry.requests.action.total} (pages ${entry.requests.action.listPages}), baseline ${entry.requests.baseline.total}, kubectl ${kc.requests}`)
  results.scenarios.scan.push(entry)
}

async function memoryScenario(n) {
  const reps = quick ? 1 : Math.min(opts.reps, 3)
  log(`scenario 2 — peak RSS at ${n} pods (${reps} runs each: cli scan, cli scan with V8's default heap sizing, action, kubectl)`)
  const sel = labelScope()
  const timeFile = join(work, 'time.txt')
  const measure = async (cmd, cmdArgs, env) => {
    const r = await runProc('/usr/bin/time', ['-f', '%M', '-o', timeFile, cmd, ...cmdArgs], { env })
    const rssKB = Number(readFileSync(timeFile, 'utf8').trim().split('\n').at(-1))
    return { rssMB: round(rssKB / 1024, 1), ...traceGcPeak(r.stdout), code: r.code }
  }
  const out = { pods: n, cli: [], cliV8Defaults: [], action: [], kubectl: kubectlRuns.get(n)?.map(r => ({ rssMB: r.rssMB })) ?? [] }
  const measureKubectl = out.kubectl.length === 0
  for (let i = 0; i < reps; i++) {
    const scanArgs = ['scan', '--kubeconfig', kubeconfigPath(), '--output', 'json', ...(sel ? ['--label-selector', sel] : [])]
    out.cli.push(await measure(NODE, ['--trace-gc', CLI, ...scanArgs]))
    // Side by side: the same scan with V8's default heap sizing (src/runtime.ts leaves the heap
    // flags node was given alone), to show what the start-up tuning is worth.
    out.cliV8Defaults.push(await measure(NODE, ['--trace-gc', '--semi-space-growth-factor=2', '--heap-growing-percent=0', CLI, ...scanArgs]))
    const { env } = actionEnv({ kubeconfig: readFileSync(kubeconfigPath(), 'utf8'), 'dry-run': 'true', ...(sel ? { 'label-selector': sel } : {}) })
    out.action.push(await measure(NODE, ['--trace-gc', ACTION], env))
    if (!measureKubectl) continue
    const kc = await runProc('/usr/bin/time', ['-f', '%M', '-o', timeFile, cluster.kubectl, '--kubeconfig', kubeconfigPath(), '--cache-dir', join(work, 'kubectl-cache'), 'get', 'pods', '-A', '--chunk-size=500', '-o', 'json', ...(sel ? ['-l', sel] : [])], { stdout: 'null' })
    out.kubectl.push({ rssMB: round(Number(readFileSync(timeFile, 'utf8').trim().split('\n').at(-1)) / 1024, 1), code: kc.code })
  }
  const summary = k => ({ rssMB: stats(out[k].map(x => x.rssMB)), heapUsedMB: stats(out[k].map(x => x.heapUsedMB)), heapCommittedMB: stats(out[k].map(x => x.heapCommittedMB)), liveAfterMarkCompactMB: stats(out[k].map(x => x.liveAfterMarkCompactMB)) })
  const entry = { pods: n, cli: summary('cli'), cliV8Defaults: summary('cliV8Defaults'), action: summary('action'), kubectl: { rssMB: stats(out.kubectl.map(x => x.rssMB)) } }
  log(`  peak RSS median: cli ${entry.cli.rssMB.median} MB (heap ${entry.cli.heapUsedMB.median} MB; V8's default heap sizing ${entry.cliV8Defaults.rssMB.median} MB), action ${entry.action.rssMB.median} MB, kubectl ${entry.kubectl.rssMB.median} MB`)
  results.scenarios.memory.push(entry)
}

async function metricsSnapshot() {
  const text = await kube.metrics()
  const c = match => requestTotal(text, { resource: 'pods', ...match })
  return {
    podListNs: c({ verb: 'LIST', scope: 'namespace', subresource: '' }),
    podWatchNs: c({ verb: 'WATCH', scope: 'namespace', subresource: '' }),
    podListCluster: c({ verb: 'LIST', scope: 'cluster', subresource: '' }),
    podDelete: c({ verb: 'DELETE', subresource: '' }),
    podLog: requestTotal(text, { resource: 'pods', subresource: 'log' }),
    eventList: requestTotal(text, { resource: 'events', verb: 'LIST' }),
    rsGet: requestTotal(text, { resource: 'replicasets', verb: 'GET' })
  }
}

async function cleanupScenario(n) {
  const count = opts.broken
  log(`scenario 3 — cleanup + verification: ${count} broken ReplicaSet pods among ${n}`)
  const before = await workload.readyBrokenSetPods(count)
  const selector = `${BROKEN_LABEL}=${runId}`
  const rec = await startRecorder(kube, selector)
  const tBreak = Date.now()
  await workload.breakPods(before)
  log(`  broke ${before.length} pods (status → CrashLoopBackOff) in ${Date.now() - tBreak} ms; running the Action`)
  const m0 = await metricsSnapshot()
  const sel = labelScope()
  const { env, outFile } = actionEnv({
    kubeconfig: readFileSync(kubeconfigPath(), 'utf8'),
    'min-pod-age': '0',
    'min-restarts': '1',
    'max-deletions': String(count),
    'verify-timeout': '120s',
    timeout: '10m',
    ...(sel ? { 'label-selector': sel } : {})
  })
  const deletedLine = new Map()
  const t0wall = Date.now()
  const r = await runProc(NODE, [ACTION], {
    env,
    onLine: line => {
      const m = /^deleted: ([^/\s]+)\/(\S+)/.exec(line)
      if (m) deletedLine.set(`${m[1]}/${m[2]}`, Date.now())
    }
  })
  const m1 = await metricsSnapshot()
  const result = readActionResult(outFile)
  await sleep(300)
  await rec.stop()
  if (!result) throw new Error(`cleanup: the Action wrote no result (exit ${r.code}): ${r.stdout.slice(-1500)}`)
  const rows = result.pods.filter(p => p.decision === 'deleted')
  const byName = new Map([...rec.pods.values()].map(p => [`${p.metadata.namespace}/${p.metadata.name}`, p]))
  const lags = []
  const lagsFromLine = []
  const ourRecovery = []
  const theirRecovery = []
  const readyToCondition = []
  for (const row of rows) {
    const old = byName.get(`${row.namespace}/${row.pod}`)
    const repl = row.replacement ? byName.get(`${row.namespace}/${row.replacement}`) : undefined
    if (!old || !repl || row.recoveredInMs === undefined) continue
    const deletedSeen = rec.deletedAt.get(old.metadata.uid)
    const readySeen = rec.readyAt.get(repl.metadata.uid)
    if (deletedSeen === undefined || readySeen === undefined) continue
    ourRecovery.push(row.recoveredInMs)
    theirRecovery.push(readySeen - deletedSeen)
    // When we noticed (deletion + recoveredInMs) minus when the Ready event reached our own watch.
    lags.push(deletedSeen + row.recoveredInMs - readySeen)
    const line = deletedLine.get(`${row.namespace}/${row.pod}`)
    if (line !== undefined) lagsFromLine.push(line + row.recoveredInMs - readySeen)
    const cond = rec.readyCondition.get(repl.metadata.uid)
    if (cond) readyToCondition.push(readySeen - cond)
  }
  const d = Object.fromEntries(Object.keys(m1).map(k => [k, m1[k] - m0[k]]))
  // Only the verification makes namespaced pod LIST/WATCH requests (the controllers and kwok use
  // cluster-wide informers; this bench's recorder is cluster-wide too). ReplicaSet GETs are shown
  // but not counted: controllers make them as well (the product GETs an owner only on timeout).
  const verificationRequests = d.podListNs + d.podWatchNs
  const acted = rows.length
  const diagnoseReqs = d.podLog + d.eventList
  const productOther = result.apiRequests - result.pages - acted - diagnoseReqs
  const entry = {
    pods: n,
    broken: count,
    exitCode: r.code,
    wallMs: Date.now() - t0wall,
    counts: result.counts,
    deleted: rows.length,
    recovered: rows.filter(p => p.outcome === 'recovered').length,
    timings: { listMs: result.timings.listMs, actMs: result.timings.actMs, verifyMs: result.verification?.durationMs, totalMs: result.durationMs },
    deleteRatePerS: rows.length && result.timings.actMs ? round(rows.length / (result.timings.actMs / 1000), 1) : null,
    deleteSpanMs: deletedLine.size > 1 ? Math.max(...deletedLine.values()) - Math.min(...deletedLine.values()) : null,
    recoveredInMs: stats(ourRecovery),
    recoveryPerOurWatchMs: stats(theirRecovery),
    noticeLagMs: stats(lags),
    noticeLagFromLogLineMs: stats(lagsFromLine),
    readyEventAfterConditionMs: stats(readyToCondition),
    apiRequests: {
      total: result.apiRequests,
      listPages: result.pages,
      verification: verificationRequests,
      verificationBreakdown: { podListNamespaced: d.podListNs, podWatchNamespaced: d.podWatchNs, replicaSetGet: d.rsGet },
      deletes: acted,
      deletesAllClients: d.podDelete,
      verificationFromResult: productOther,
      diagnose: { podLogs: d.podLog, eventLists: d.eventList },
      serverSideCounting: 'apiserver_request_total deltas around the run (this bench’s own watch is cluster-scoped, not counted here)'
    },
    samples: lags.length
  }
  log(`  deleted ${entry.deleted}, recovered ${entry.recovered}; act ${entry.timings.actMs} ms, verify ${entry.timings.verifyMs} ms; notice lag median ${round(entry.noticeLagMs.median)} ms (max ${round(entry.noticeLagMs.max)}); verification requests ${verificationRequests}`)
  if (r.code !== 0) results.notes.push(`cleanup at ${n}: the Action exited ${r.code}`)
  results.scenarios.cleanup.push(entry)
  // Leave the replacements healthy for the next size.
  await workload.readyBrokenSetPods(count, 180_000).catch(error => results.notes.push(`after cleanup at ${n}: ${error.message}`))
}

async function profileScenario(n) {
  log(`profiling the CLI scan at ${n} pods (--cpu-prof)`)
  const dir = join(work, 'prof')
  mkdirSync(dir, { recursive: true })
  const sel = labelScope()
  await runProc(NODE, ['--cpu-prof', '--cpu-prof-dir', dir, CLI, 'scan', '--kubeconfig', kubeconfigPath(), '--output', 'json', ...(sel ? ['--label-selector', sel] : [])])
  const file = readdirSync(dir).find(f => f.endsWith('.cpuprofile'))
  results.scenarios.profile = file ? { pods: n, ...summarizeProfile(JSON.parse(readFileSync(join(dir, file), 'utf8')), { map: loadSourceMap(CLI), script: CLI }) } : null
}

const sleep = ms => new Promise(r => setTimeout(r, ms))
const elapsedMin = () => (Date.now() - benchStart) / 60_000

// ---------------------------------------------------------------------------------------------
// Main
// ---------------------------------------------------------------------------------------------

let clusterFile
async function main() {
  results.machine = {
    node: process.versions.node,
    cpus: (await import('node:os')).cpus().length,
    memGiB: round((await import('node:os')).totalmem() / 2 ** 30, 1),
    loadavgAtStart: (await import('node:os')).loadavg().map(x => round(x, 2))
  }
  results.bundles = Object.fromEntries(
    [ACTION, CLI].map(f => [f.slice(ROOT.length + 1), { bytes: statSync(f).size, gzipBytes: gzipSync(readFileSync(f)).length }])
  )

  // Cluster-independent scenarios first.
  results.scenarios.coldStart = await coldStart({ NODE, ACTION, CLI, work, reps: quick ? 1 : Math.max(opts.reps, 15) }) // 300 ms runs: cheap to repeat, and the median of 5 swung by ±50 ms here
  results.scenarios.bark = await barkPayloads({ ROOT, NODE, work, counts: [10, 100, 1000] })
  results.scenarios.aggregate = await aggregateScenario({ NODE, AGGREGATE, CLI, work, reps: quick ? 1 : 5 })

  if (opts.reuse) {
    clusterFile = opts.reuse
    log(`reusing the control plane in ${clusterFile}`)
  } else {
    ownClusterDir = join(work, 'cluster')
    log('starting the control plane (hack/cluster.sh up)')
    const up = await runProc('bash', [join(ROOT, 'hack/cluster.sh'), 'up', ownClusterDir], { timeoutMs: 90 * 60_000 })
    if (up.code !== 0) throw new Error(`cluster up failed: ${up.stderr.slice(-2000)}`)
    clusterFile = join(ownClusterDir, 'cluster.json')
  }
  cluster = JSON.parse(readFileSync(clusterFile, 'utf8'))
  results.cluster = { version: cluster.version, etcd: cluster.etcdVersion, kwok: cluster.kwokVersion, reused: Boolean(opts.reuse), labelSelector: labelScope() || null }
  kube = new Kube(cluster, { connections: 48 })
  workload = new Workload(kube, cluster, runId)
  // The scripted day first, on a small cluster (~2 min: reminders wait for real time).
  if (!quick) results.scenarios.incidents = await incidentScenario({ cluster, action: ACTION, log })

  // 1k (memory baseline), then each size: seed → scans → memory → cleanup.
  const levels = [...new Set([opts.memSmall, ...opts.sizes])].sort((a, b) => a - b)
  let brokenMade = false
  let prev
  let have = 0
  for (const n of levels) {
    const isSize = opts.sizes.includes(n)
    if (isSize && prev && n > opts.sizes[0]) {
      // Projection from the previous size: seeding scales with the pods added, measuring with N.
      const projectedMin = (prev.seedSec / prev.added) * (n - prev.n) / 60 + (prev.measureSec * n) / prev.n / 60
      if (elapsedMin() + projectedMin > opts.budgetMin) {
        const note = `size ${n} skipped: ${elapsedMin().toFixed(1)} min spent, about ${projectedMin.toFixed(1)} more projected (from ${prev.n}: seeding ${round(prev.added / prev.seedSec)} pods/s, measuring ${round(prev.measureSec)} s) — over the ${opts.budgetMin}-minute budget. Measure it alone with: npm run bench -- --sizes ${n} --budget-min 60`
        log(note)
        results.notes.push(note)
        continue
      }
    }
    const nsCount = nsCountFor(n)
    if (!brokenMade) {
      await workload.createReplicaSets(opts.broken)
      brokenMade = true
    }
    const bare = Math.max(0, n - (brokenMade ? opts.broken : 0))
    log(`seeding to ${n} pods (${bare} bare + ${brokenMade ? opts.broken : 0} ReplicaSet pods) over ${nsCount} namespaces`)
    const tSeed = Date.now()
    await workload.seedBare(bare, nsCount)
    await workload.waitAllRunning(n)
    results.cluster[`seedSecondsTo${n}`] = round((Date.now() - tSeed) / 1000, 1)
    log(`  ${n} pods Running after ${results.cluster[`seedSecondsTo${n}`]} s`)
    const seedSec = (Date.now() - tSeed) / 1000
    const tMeasure = Date.now()
    if (!isSize || n === opts.memSmall) await memoryScenario(n)
    // Cleanup at every level: verification cost must not depend on the cluster size.
    if (!isSize) await cleanupScenario(n)
    if (isSize) {
      await scanScenario(n)
      if (n !== opts.memSmall) await memoryScenario(n)
      await cleanupScenario(n)
      prev = { n, added: Math.max(1, n - have), seedSec, measureSec: (Date.now() - tMeasure) / 1000 }
    }
    have = n
  }
  const largest = results.scenarios.scan.at(-1)?.pods
  if (opts.profile && largest) await profileScenario(largest)
  results.durationMinutes = round(elapsedMin(), 1)
}

/**
 * A partial run (--only aggregate, --pods N) goes into the saved results: its scenarios replace
 * the saved ones of the same kind (and, per size, the same pod count); the rest is kept.
 */
function mergeIntoSaved(fresh) {
  const file = join(opts.outDir, 'results.json')
  if (!existsSync(file)) return fresh
  const saved = JSON.parse(readFileSync(file, 'utf8'))
  const bySize = ['scan', 'memory', 'cleanup']
  const replaced = []
  for (const [name, value] of Object.entries(fresh.scenarios)) {
    if (bySize.includes(name)) {
      const sizes = new Set(value.map(e => e.pods))
      saved.scenarios[name] = [...(saved.scenarios[name] ?? []).filter(e => !sizes.has(e.pods)), ...value].sort((a, b) => a.pods - b.pods)
    } else if (value !== null) {
      saved.scenarios[name] = value
      replaced.push(name)
    }
  }
  const what = args.only ? `the ${args.only} scenario` : `sizes ${[...new Set(fresh.scenarios.memory.map(e => e.pods))].join(', ')}`
  // A scenario measured again drops the note of its earlier partial run.
  const stale = n => n.startsWith(`Merged: ${what} `) || replaced.some(name => n.startsWith(`Merged: the ${name} scenario `))
  saved.notes = [...saved.notes.filter(n => !stale(n)), `Merged: ${what} (and ${replaced.join(', ') || 'nothing else'}) measured by \`${fresh.command}\` on ${fresh.generatedAt} (load average at start ${fresh.machine.loadavgAtStart?.join(' / ')}); the rest by the run above.`, ...fresh.notes]
  return saved
}

/** A control plane for a partial run: --cluster, or one of its own (stopped by teardown). */
async function clusterForPartialRun() {
  if (opts.reuse) return JSON.parse(readFileSync(opts.reuse, 'utf8'))
  ownClusterDir = join(work, 'cluster')
  log('starting the control plane (hack/cluster.sh up)')
  const up = await runProc('bash', [join(ROOT, 'hack/cluster.sh'), 'up', ownClusterDir], { timeoutMs: 90 * 60_000 })
  if (up.code !== 0) throw new Error(`cluster up failed: ${up.stderr.slice(-2000)}`)
  return JSON.parse(readFileSync(join(ownClusterDir, 'cluster.json'), 'utf8'))
}

if (args.only === 'incidents') {
  let code = 0
  try {
    results.machine = { node: process.versions.node, loadavgAtStart: (await import('node:os')).loadavg().map(x => round(x, 2)) }
    results.scenarios.incidents = await incidentScenario({ cluster: await clusterForPartialRun(), action: ACTION, log })
  } catch (error) {
    code = 1
    log(`FAILED: ${error.stack ?? error}`)
  }
  await teardown(code ? 'failure' : 'done')
  rmSync(work, { recursive: true, force: true })
  if (code === 0) {
    const merged = mergeIntoSaved(results)
    mkdirSync(opts.outDir, { recursive: true })
    writeFileSync(join(opts.outDir, 'results.json'), `${JSON.stringify(merged, null, 2)}\n`)
    writeFileSync(join(opts.outDir, 'RESULTS.md'), renderResults(merged))
    log(`wrote ${join(opts.outDir, 'RESULTS.md')} and results.json (incidents merged)`)
  }
  process.exit(code)
}

if (args.only === 'aggregate') {
  let code = 0
  try {
    results.machine = { node: process.versions.node, loadavgAtStart: (await import('node:os')).loadavg().map(x => round(x, 2)) }
    results.scenarios.aggregate = await aggregateScenario({ NODE, AGGREGATE, CLI, work, reps: quick ? 1 : 5 })
  } catch (error) {
    code = 1
    log(`FAILED: ${error.stack ?? error}`)
  }
  rmSync(work, { recursive: true, force: true })
  if (code === 0) {
    const merged = mergeIntoSaved(results)
    mkdirSync(opts.outDir, { recursive: true })
    writeFileSync(join(opts.outDir, 'results.json'), `${JSON.stringify(merged, null, 2)}\n`)
    writeFileSync(join(opts.outDir, 'RESULTS.md'), renderResults(merged))
    log(`wrote ${join(opts.outDir, 'RESULTS.md')} and results.json (aggregate merged)`)
  }
  process.exit(code)
}

let exitCode = 0
try {
  await main()
} catch (error) {
  exitCode = 1
  log(`FAILED: ${error.stack ?? error}`)
  results.notes.push(`the bench failed: ${error.message}`)
}
results.durationMinutes ??= round(elapsedMin(), 1)
try {
  results.analysis = analyze(results)
} catch (error) {
  results.notes.push(`analysis failed: ${error.message}`)
}
await teardown(exitCode ? 'failure' : 'done')
mkdirSync(opts.outDir, { recursive: true })
const written = args.pods ? mergeIntoSaved(results) : results
if (args.pods) written.analysis = analyze(written)
writeFileSync(join(opts.outDir, 'results.json'), `${JSON.stringify(written, null, 2)}\n`)
writeFileSync(join(opts.outDir, 'RESULTS.md'), renderResults(written))
log(`wrote ${join(opts.outDir, 'RESULTS.md')} and results.json (${results.durationMinutes} min)`)
process.exit(exitCode)
