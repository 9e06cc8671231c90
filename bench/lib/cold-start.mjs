// Scenario 4: from `node dist/index.js` (and dist/cli.js) being spawned to the first API request
// reaching a tiny local HTTPS apiserver stand-in, which answers an empty pod list.

import { execFileSync } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:https'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { log, round, runProc, stats } from './util.mjs'

export async function makeCert(work) {
  const key = join(work, 'fake.key')
  const cert = join(work, 'fake.crt')
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1', '-addext', 'basicConstraints=critical,CA:TRUE'], { stdio: 'ignore' })
  return { key: readFileSync(key), cert: readFileSync(cert) }
}

/** A fake apiserver: records request arrival times; `pods` is the PodList items it serves. */
export async function fakeApiserver(tls, pods = []) {
  const hits = []
  const server = createServer(tls, (req, res) => {
    hits.push({ t: performance.now(), method: req.method, url: req.url })
    let body = ''
    req.on('data', c => (body += c))
    req.on('end', () => {
      res.setHeader('content-type', 'application/json')
      if (req.method === 'GET' && req.url.startsWith('/api/v1/pods')) {
        res.end(JSON.stringify({ kind: 'PodList', apiVersion: 'v1', metadata: { resourceVersion: '1' }, items: pods }))
      } else if (req.url.startsWith('/api/v1/namespaces?')) {
        res.end(JSON.stringify({ kind: 'NamespaceList', apiVersion: 'v1', metadata: {}, items: [] }))
      } else if (req.method === 'DELETE' || req.method === 'POST') {
        res.end(JSON.stringify({ kind: 'Status', status: 'Success' }))
      } else {
        res.statusCode = 404
        res.end(JSON.stringify({ kind: 'Status', code: 404, reason: 'NotFound', message: 'not here' }))
      }
    })
  })
  await new Promise(r => server.listen(0, '127.0.0.1', r))
  const port = server.address().port
  return { hits, port, close: () => new Promise(r => server.close(r)), server }
}

export function fakeKubeconfig(port, cert) {
  return `apiVersion: v1
kind: Config
clusters:
- name: fake
  cluster:
    server: https://127.0.0.1:${port}
    certificate-authority-data: ${cert.toString('base64')}
contexts:
- name: fake
  context: {cluster: fake, user: fake}
current-context: fake
users:
- name: fake
  user: {token: bench-token}
`
}

export async function coldStart({ NODE, ACTION, CLI, work, reps }) {
  log(`scenario 4 — cold start: ${reps} runs each of dist/index.js and dist/cli.js against a local HTTPS stand-in`)
  const tls = await makeCert(work)
  const fake = await fakeApiserver(tls)
  const kubeconfig = fakeKubeconfig(fake.port, tls.cert)
  const kcFile = join(work, 'fake.kubeconfig')
  writeFileSync(kcFile, kubeconfig)
  const once = async (cmd, cmdArgs, env) => {
    const before = fake.hits.length
    const r = await runProc(cmd, cmdArgs, { env })
    const first = fake.hits[before]
    return { firstRequestMs: first ? first.t - r.t0 : undefined, exitMs: r.ms, code: r.code, requests: fake.hits.length - before, stdout: r.stdout }
  }
  const env = { ...process.env }
  for (const k of Object.keys(env)) if (k.startsWith('INPUT_')) delete env[k]
  Object.assign(env, {
    'INPUT_KUBECONFIG': kubeconfig,
    'INPUT_DRY-RUN': 'true',
    'INPUT_VERIFY-TIMEOUT': '0',
    GITHUB_OUTPUT: join(work, 'cold-output'),
    GITHUB_STEP_SUMMARY: join(work, 'cold-summary.md')
  })
  writeFileSync(env.GITHUB_OUTPUT, '')
  writeFileSync(env.GITHUB_STEP_SUMMARY, '')
  const action = []
  const cli = []
  const bare = []
  await once(NODE, [ACTION], env) // warm the page cache
  for (let i = 0; i < reps; i++) {
    action.push(await once(NODE, [ACTION], env))
    cli.push(await once(NODE, [CLI, 'scan', '--kubeconfig', kcFile, '--output', 'json'], process.env))
    bare.push((await runProc(NODE, ['-e', '0'])).ms)
  }
  await fake.close()
  const bad = action.find(r => r.firstRequestMs === undefined)
  if (bad) throw new Error(`cold start: the Action made no request: ${bad.stdout.slice(-600)}`)
  const out = {
    runs: reps,
    action: { firstRequestMs: stats(action.map(r => round(r.firstRequestMs, 1))), exitMs: stats(action.map(r => round(r.exitMs, 1))), requests: action[0].requests },
    cli: { firstRequestMs: stats(cli.map(r => round(r.firstRequestMs, 1))), exitMs: stats(cli.map(r => round(r.exitMs, 1))) },
    nodeEmptyScriptMs: stats(bare.map(x => round(x, 1))),
    goalMs: 300
  }
  log(`  first request after: action median ${out.action.firstRequestMs.median} ms, cli ${out.cli.firstRequestMs.median} ms (node -e 0: ${out.nodeEmptyScriptMs.median} ms)`)
  return out
}
