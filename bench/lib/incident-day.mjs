// The scripted day (issue 15): the real Action bundle run 40 times in a row against one namespace
// of a real control plane, with one state file, a local Bark endpoint and the local GitHub
// stand-in, while a script changes the cluster between runs: a crash loop one delete heals, a
// missing image open for many runs then fixed, a Deployment that never recovers (cleanups, give-up,
// reminders, then fixed), an outage (circuit breaker), long healthy stretches — and the state file
// deleted mid-day. Shared by __tests__/integration/incident-day.test.ts (which states the exact
// notifications of every run) and the bench (before/after counts for bench/RESULTS.md).
//
// Reminders need real time to pass (realert-interval): a step marked `remind` waits until every
// open incident's last notice is `realertSeconds` old; every other step checks that none is due
// yet, and marks the run `tooSlow` when the machine fell behind (the test then says so).

import { spawn } from 'node:child_process'
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { githubStandIn } from './github-stand-in.mjs'
import { Kube } from './kube.mjs'
import { parseGithubOutput, sleep } from './util.mjs'

const FAULT = 'pod-cleaner.test/fault'
export const DAY_REPOSITORY = 'acme/ops'
const BARK_KEY = 'DayDeviceKey0123456789'

/** A Bark-compatible endpoint recording every push (bark-server's answer). */
async function barkRecorder() {
  const pushes = []
  const server = createServer((req, res) => {
    const chunks = []
    req.on('data', c => chunks.push(c))
    req.on('end', () => {
      pushes.push({ at: Date.now(), body: JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') })
      res.writeHead(200, { 'content-type': 'application/json' })
      res.end(JSON.stringify({ code: 200, message: 'success', timestamp: 1 }))
    })
  })
  await new Promise(resolve => server.listen(0, '127.0.0.1', resolve))
  return {
    url: `http://127.0.0.1:${server.address().port}/${BARK_KEY}`,
    pushes,
    close: () => new Promise(resolve => server.close(() => resolve()))
  }
}

/** The cluster side of the script, through the apiserver's REST API. */
function clusterOps(kube, ns, nodes) {
  const pods = async selector =>
    (await kube.get(`/api/v1/namespaces/${ns}/pods`, { labelSelector: selector })).items
  const ready = p =>
    p.status?.phase === 'Running' && (p.status.conditions ?? []).some(c => c.type === 'Ready' && c.status === 'True')
  const waiting = reason => p => (p.status?.containerStatuses ?? []).some(c => c.state?.waiting?.reason === reason)
  async function waitFor(what, check, timeoutMs = 90_000) {
    const deadline = Date.now() + timeoutMs
    for (;;) {
      if (await check()) return
      if (Date.now() > deadline) throw new Error(`incident day: timed out waiting for ${what}`)
      await sleep(200)
    }
  }
  /** Exactly `count` pods of the app, none terminating, all matching. */
  const settled = (app, count, predicate) =>
    waitFor(`${count} settled pods of ${app}`, async () => {
      const all = await pods(`app=${app}`)
      return all.length === count && all.every(p => !p.metadata.deletionTimestamp && predicate(p))
    })
  const deployment = (name, replicas, fault) => ({
    metadata: { name },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name, ...(fault ? { [FAULT]: fault } : {}) } },
        spec: {
          terminationGracePeriodSeconds: 0,
          containers: [{ name: 'app', image: 'busybox:1.36', command: ['sh', '-c', 'sleep 3600'] }]
        }
      }
    }
  })
  const apps = `/apis/apps/v1/namespaces/${ns}/deployments`
  return {
    pods,
    ready,
    async create(name, replicas, fault) {
      await kube.req('POST', apps, { body: deployment(name, replicas, fault) })
      const predicate = fault === 'crashloop' ? waiting('CrashLoopBackOff') : fault === 'imagepull' ? waiting('ImagePullBackOff') : ready
      await settled(name, replicas, predicate)
    },
    /** Removes the fault from the template: a new ReplicaSet with healthy pods replaces the old. */
    async heal(name, replicas) {
      await kube.req('PATCH', `${apps}/${name}`, { body: { spec: { template: { metadata: { labels: { [FAULT]: null } } } } } })
      await settled(name, replicas, ready)
    },
    async remove(name) {
      await kube.req('DELETE', `${apps}/${name}`, { body: { propagationPolicy: 'Foreground' } })
      await waitFor(`no pods of ${name}`, async () => (await pods(`app=${name}`)).length === 0)
    },
    /** One Ready pod of the app reports a crash loop, as the kubelet would (status subresource). */
    async breakOne(app) {
      const pod = (await pods(`app=${app}`)).find(ready)
      const now = new Date().toISOString()
      pod.status = {
        ...pod.status,
        conditions: pod.status.conditions.map(c =>
          c.type === 'Ready' || c.type === 'ContainersReady' ? { ...c, status: 'False', reason: 'ContainersNotReady', lastTransitionTime: now } : c
        ),
        containerStatuses: pod.spec.containers.map(c => ({
          name: c.name,
          image: c.image,
          imageID: '',
          ready: false,
          started: false,
          restartCount: 4,
          lastState: { terminated: { exitCode: 1, reason: 'Error', startedAt: now, finishedAt: now } },
          state: { waiting: { reason: 'CrashLoopBackOff', message: `back-off 40s restarting failed container=${c.name}` } }
        }))
      }
      await kube.req('PUT', `/api/v1/namespaces/${ns}/pods/${pod.metadata.name}/status`, { body: pod })
    },
    /** No pod of the namespace is terminating (a run sees settled workloads only). */
    quiet: () =>
      waitFor('no terminating pods', async () => (await pods('')).every(p => !p.metadata.deletionTimestamp)),
    nodes
  }
}

/** The day, step by step: a name, what the script does to the cluster first, and whether a reminder is due. */
export function dayPlan() {
  const healthy = n => Array.from({ length: n }, () => ({ name: 'healthy' }))
  return [
    ...healthy(3),
    { name: 'blip: a crash loop one delete heals', before: c => c.breakOne('steady') },
    { name: 'blip: healthy again' },
    ...healthy(2),
    { name: 'missing image: opened', before: c => c.create('api', 1, 'imagepull') },
    { name: 'missing image: still open' },
    { name: 'missing image: still open' },
    { name: 'missing image: first reminder', remind: true },
    { name: 'state file lost: incidents recalled from the open issues', loseState: true },
    { name: 'never recovers: opened', before: c => c.create('worker', 1, 'crashloop') },
    { name: 'never recovers: 2nd cleanup' },
    { name: 'never recovers: 3rd cleanup, given up' },
    { name: 'both still open: reminders', remind: true },
    { name: 'missing image fixed', before: c => c.heal('api', 1) },
    { name: 'never-recovering Deployment fixed', before: c => c.heal('worker', 1) },
    ...healthy(2),
    { name: 'outage: circuit breaker', before: c => c.create('outage', 8, 'crashloop') },
    { name: 'outage goes on' },
    { name: 'outage goes on' },
    { name: 'outage over', before: c => c.remove('outage') },
    ...healthy(16)
  ]
}

function runAction(action, inputs, env, timeoutMs = 120_000) {
  const dir = mkdtempSync(join(tmpdir(), 'pod-cleaner-day-run-'))
  const output = join(dir, 'output')
  const summary = join(dir, 'summary')
  writeFileSync(output, '')
  writeFileSync(summary, '')
  const childEnv = { PATH: process.env.PATH, HOME: dir, RUNNER_TEMP: dir, GITHUB_OUTPUT: output, GITHUB_STEP_SUMMARY: summary, ...env }
  for (const [name, value] of Object.entries(inputs)) childEnv[`INPUT_${name.toUpperCase()}`] = value
  const started = Date.now()
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [action], { env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', d => (stdout += d))
    child.stderr.on('data', d => (stderr += d))
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs)
    child.on('error', reject)
    child.on('close', code => {
      clearTimeout(timer)
      const run = {
        code,
        stdout,
        stderr,
        durationMs: Date.now() - started,
        outputs: parseGithubOutput(readFileSync(output, 'utf8')),
        summary: readFileSync(summary, 'utf8')
      }
      rmSync(dir, { recursive: true, force: true })
      resolve(run)
    })
  })
}

/** "opened unfixable api": one incident change, in words the test compares. */
export const changeText = c => [c.kind, c.incident.kind, c.incident.workload?.name].filter(Boolean).join(' ')

/**
 * Plays the day. `remembered: false` plays it as before incidents (no state file, no GitHub
 * issues, no waiting): every run judged alone.
 * @param {{ cluster: any, action: string, realertSeconds?: number, remembered?: boolean, log?: (line: string) => void }} options
 */
export async function incidentDay({ cluster, action, realertSeconds = 30, remembered = true, log = () => {} }) {
  const kube = new Kube(cluster, { connections: 4 })
  const ns = `pc-day-${Math.random().toString(36).slice(2, 8)}`
  const work = mkdtempSync(join(tmpdir(), 'pod-cleaner-day-'))
  const stateFile = join(work, 'state.json')
  // The day runs one build from start to end, whatever rebuilds dist/ meanwhile.
  const bundle = join(work, 'index.mjs')
  copyFileSync(action, bundle)
  const bark = await barkRecorder()
  const github = remembered ? await githubStandIn({ repository: DAY_REPOSITORY }) : undefined
  const c = clusterOps(kube, ns, cluster.nodes)
  const runs = []
  const started = Date.now()
  try {
    await kube.req('POST', '/api/v1/namespaces', { body: { metadata: { name: ns } } })
    await c.create('steady', 8)
    const inputs = {
      kubeconfig: readFileSync(cluster.adminKubeconfig, 'utf8'),
      namespaces: ns,
      'min-pod-age': '0',
      'min-restarts': '1',
      'give-up-after': '3',
      'max-unhealthy-percent': '40',
      'verify-timeout': '30s',
      'realert-interval': `${realertSeconds}s`,
      'fail-on': 'never',
      'state-file': remembered ? stateFile : '',
      'bark-url': bark.url,
      ...(remembered ? { 'github-issues': 'true', 'github-token': 'ghs_day_token', 'github-labels': 'pod-cleaner,incident' } : {})
    }
    let open = []
    for (const [index, step] of dayPlan().entries()) {
      if (step.before) await step.before(c)
      if (step.loseState && remembered) rmSync(stateFile, { force: true })
      await c.quiet()
      // Reminders are due realert-interval after the last notice of each open incident.
      const due = open.map(i => Date.parse(i.lastNotifiedAt) + realertSeconds * 1000)
      let tooSlow = false
      if (remembered && step.remind && due.length > 0) await sleep(Math.max(0, Math.max(...due) + 1000 - Date.now()))
      else if (remembered && due.length > 0 && Date.now() + 3000 > Math.min(...due)) tooSlow = true
      const barkBefore = bark.pushes.length
      const githubBefore = github?.requests.length ?? 0
      const run = await runAction(bundle, inputs, {
        GITHUB_SERVER_URL: 'https://github.example',
        GITHUB_REPOSITORY: DAY_REPOSITORY,
        GITHUB_RUN_ID: String(1000 + index),
        ...(github ? { GITHUB_API_URL: github.apiUrl } : {})
      })
      const result = run.outputs.result ? JSON.parse(run.outputs.result) : undefined
      open = result?.incidents?.open ?? []
      const record = {
        n: index + 1,
        name: step.name,
        code: run.code,
        durationMs: run.durationMs,
        tooSlow,
        changes: (result?.incidents?.changes ?? []).map(changeText),
        bark: bark.pushes.slice(barkBefore).map(p => ({ title: p.body.title, level: p.body.level, body: p.body.body, url: p.body.url })),
        github: (github?.requests.slice(githubBefore) ?? [])
          .filter(r => !(r.method === 'GET' && r.path.endsWith('/issues')))
          .map(r => `${r.method} ${r.path.replace(`/repos/${DAY_REPOSITORY}`, '')}`),
        warnings: result?.warnings ?? [],
        errors: result?.errors ?? [],
        stderr: run.stderr,
        summary: run.summary
      }
      runs.push(record)
      log(`run ${record.n} (${step.name}): ${record.durationMs} ms, ${record.changes.join('; ') || 'no change'}, bark ${record.bark.length}, github ${record.github.join(' ') || '-'}`)
    }
    return {
      namespace: ns,
      wallMs: Date.now() - started,
      runs,
      issues: github?.issues.map(i => ({ number: i.number, title: i.title, state: i.state, comments: i.comments.length, labels: i.labels })) ?? [],
      totals: {
        runs: runs.length,
        barkMessages: runs.reduce((n, r) => n + r.bark.length, 0),
        runsWithMessages: runs.filter(r => r.bark.length > 0).length,
        issuesOpened: github?.issues.length ?? 0,
        issueComments: github?.issues.reduce((n, i) => n + i.comments.length, 0) ?? 0,
        issuesClosed: github?.issues.filter(i => i.state === 'closed').length ?? 0
      }
    }
  } finally {
    await kube.req('DELETE', `/api/v1/namespaces/${ns}`, { allow: [404] }).catch(() => undefined)
    await bark.close()
    await github?.close()
    await kube.close()
    if (existsSync(work)) rmSync(work, { recursive: true, force: true })
  }
}
