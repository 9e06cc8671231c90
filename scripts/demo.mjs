// `npm start`: Pod Cleaner's whole cycle, end to end, on an embedded real control plane —
// detect → decide → diagnose → delete → verify → report → notify — through the real bundle,
// with a local Bark-compatible endpoint that prints each push as a phone would show it.
// With --kubeconfig FILE (or KUBECONFIG), it runs a DRY-RUN scan of that cluster instead;
// deleting there needs the explicit --delete flag.
import { execFileSync, spawn } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:http'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const DEMO_NAMESPACES = ['shop', 'payments', 'data']
const { values } = parseArgs({
  options: {
    kubeconfig: { type: 'string' },
    context: { type: 'string' },
    delete: { type: 'boolean', default: false },
    cluster: { type: 'string' },
    out: { type: 'string' },
    help: { type: 'boolean', short: 'h' }
  }
})

if (values.help) {
  console.log(`npm start [-- options]
  (no options)          start an embedded control plane, seed examples/demo.yaml, run the full cycle
  --kubeconfig FILE     your cluster instead: a dry-run scan (nothing is deleted)
  --context NAME        the kubeconfig context to use
  --delete              with --kubeconfig: really delete broken pods (a live run)
  --cluster FILE        reuse a running embedded cluster (its cluster.json) instead of starting one
  --out DIR             where to keep the summary and result (default: a new temp folder)`)
  process.exit(0)
}

const color = process.stdout.isTTY && !process.env.NO_COLOR
const bold = text => (color ? `\u001b[1m${text}\u001b[0m` : text)
const dim = text => (color ? `\u001b[2m${text}\u001b[0m` : text)
const started = Date.now()
const step = text => console.log(`\n${bold(`▶ ${text}`)} ${dim(`(+${((Date.now() - started) / 1000).toFixed(1)} s)`)}`)
const node = process.execPath
const cli = join(root, 'dist', 'cli.js')

// Your own cluster: a dry run unless --delete says otherwise.
const kubeconfig = values.kubeconfig ?? process.env.KUBECONFIG
if (kubeconfig && !values.cluster) {
  const args = ['run', '--kubeconfig', kubeconfig, ...(values.context ? ['--context', values.context] : [])]
  if (!values.delete) args.push('--dry-run')
  step(values.delete ? `Live run against ${kubeconfig} (--delete)` : `Dry-run scan of ${kubeconfig} (nothing is deleted; add --delete for a live run)`)
  const child = spawn(node, [cli, ...args], { stdio: 'inherit' })
  child.on('close', code => process.exit(code ?? 1))
} else {
  await embeddedDemo()
}

async function embeddedDemo() {
  const out = values.out ?? mkdtempSync(join(tmpdir(), 'pod-cleaner-demo-'))
  mkdirSync(out, { recursive: true })
  const ownCluster = !values.cluster
  const clusterDir = ownCluster ? mkdtempSync(join(tmpdir(), 'pod-cleaner-demo-cluster-')) : dirname(values.cluster)
  const cleanup = []
  const stopAll = () => {
    while (cleanup.length > 0) {
      try {
        cleanup.pop()()
      } catch (error) {
        console.error(`cleanup: ${error.message}`)
      }
    }
  }
  process.on('SIGINT', () => {
    stopAll()
    process.exit(130)
  })
  try {
    // 1. The control plane (built on first use).
    if (ownCluster) {
      const env = execFileSync('bash', [join(root, 'hack/cluster.sh'), 'env'], { encoding: 'utf8' })
      const binDir = /BIN_DIR=(.*)/.exec(env)?.[1]?.trim()
      const built = binDir && ['kube-apiserver', 'etcd', 'kwok', 'kubectl'].every(b => existsSync(join(binDir, b)))
      step(
        built
          ? 'Starting the embedded control plane (etcd, kube-apiserver, controller-manager, scheduler, kwok)'
          : 'Building the embedded control plane from Go modules — first run only: about 10–40 minutes on 2 cores, then seconds'
      )
      execFileSync('bash', [join(root, 'hack/cluster.sh'), 'up', clusterDir], { stdio: ['ignore', 'inherit', 'inherit'] })
      cleanup.push(() => {
        step('Stopping everything the demo started')
        execFileSync('bash', [join(root, 'hack/cluster.sh'), 'down', clusterDir], { stdio: ['ignore', 'inherit', 'inherit'] })
      })
    }
    const cluster = JSON.parse(readFileSync(values.cluster ?? join(clusterDir, 'cluster.json'), 'utf8'))
    const kubectl = (...args) =>
      execFileSync(cluster.kubectl, ['--kubeconfig', cluster.adminKubeconfig, ...args], {
        encoding: 'utf8',
        stdio: ['pipe', 'pipe', 'pipe'],
        maxBuffer: 256 * 1024 * 1024
      })

    // 2. Seed a realistic mix of healthy and broken workloads.
    step('Seeding examples/demo.yaml: healthy and broken workloads in shop, payments and data')
    kubectl('apply', '-f', join(root, 'examples/demo.yaml'))
    if (!ownCluster) cleanup.push(() => kubectl('delete', 'namespace', 'shop', 'payments', 'data', '--wait=false'))
    await waitForPods(kubectl)
    breakOnePodPerOwner(kubectl)
    console.log(kubectl('get', 'pods', '-n', 'shop', '-o', 'wide').replace(/^/gm, '  '))

    // 3. A Bark-compatible endpoint: shows each push the way the phone would.
    const pushes = []
    const bark = createServer((req, res) => {
      let body = ''
      req.on('data', chunk => (body += chunk))
      req.on('end', () => {
        let push = {}
        try {
          push = JSON.parse(body)
        } catch {
          push = { body }
        }
        pushes.push(push)
        const width = 64
        // Wrapped, not cut: the phone shows the whole body (Bark keeps it under 4 KB).
        const line = text =>
          (String(text ?? '').match(new RegExp(`.{1,${width}}`, 'gu')) ?? [''])
            .map(part => `  │ ${part.padEnd(width)} │`)
            .join('\n')
        console.log(`\n  ┌${'─'.repeat(width + 2)}┐`)
        console.log(line(`📱 ${push.title ?? ''}`))
        if (push.subtitle) console.log(line(push.subtitle))
        console.log(line(`level: ${push.level ?? 'active'}  group: ${push.group ?? '-'}`))
        for (const text of String(push.body ?? push.markdown ?? '').split('\n')) console.log(line(text))
        console.log(`  └${'─'.repeat(width + 2)}┘`)
        res.setHeader('Content-Type', 'application/json')
        res.end(JSON.stringify({ code: 200, message: 'success', timestamp: Math.floor(Date.now() / 1000) }))
      })
    })
    await new Promise(r => bark.listen(0, '127.0.0.1', r))
    cleanup.push(() => bark.close())
    const barkUrl = `http://127.0.0.1:${bark.address().port}/demo-device-key`
    console.log(`  Bark-compatible endpoint: http://127.0.0.1:${bark.address().port}/push (device key demo-device-key)`)

    // 4. The real Action bundle, as GitHub would run it.
    step('Running the Action (dist/index.js): list → detect → decide → diagnose → delete → verify → report → notify')
    const outputFile = join(out, 'github-output')
    const summaryFile = join(out, 'summary.md')
    writeFileSync(outputFile, '')
    writeFileSync(summaryFile, '')
    const inputs = {
      kubeconfig: readFileSync(cluster.adminKubeconfig, 'utf8'),
      'min-pod-age': '0',
      'min-restarts': '1',
      'verify-timeout': '20s',
      'bark-url': barkUrl,
      'fail-on': 'never',
      ...(ownCluster ? {} : { namespaces: 'shop,payments,data' })
    }
    const env = { PATH: process.env.PATH, HOME: out, GITHUB_OUTPUT: outputFile, GITHUB_STEP_SUMMARY: summaryFile, RUNNER_TEMP: out }
    for (const [name, value] of Object.entries(inputs)) env[`INPUT_${name.toUpperCase()}`] = value
    const code = await new Promise(resolveRun => {
      const child = spawn(node, [join(root, 'dist', 'index.js')], { env, stdio: ['ignore', 'pipe', 'inherit'] })
      let buffer = ''
      child.stdout.on('data', chunk => {
        buffer += chunk
        const lines = buffer.split('\n')
        buffer = lines.pop() ?? ''
        for (const raw of lines) {
          // Workflow commands, made readable for a terminal.
          if (raw.startsWith('::add-mask::') || raw.startsWith('::debug::') || raw === '::endgroup::') continue
          const text = raw
            .replace(/^::group::(.*)/, (_, name) => bold(`  ▸ ${name}`))
            .replace(/^::(warning|error|notice)[^:]*::/, (_, level) => `  ${level}: `)
            .replace(/%25/g, '%')
            .replace(/%0A/g, ' ')
            .replace(/%3A/g, ':')
          console.log(text.startsWith('  ') ? text : `    ${text}`)
        }
      })
      child.on('close', resolveRun)
    })
    const outputs = parseOutputs(readFileSync(outputFile, 'utf8'))
    if (!outputs.result) throw new Error(`the Action produced no result (exit ${code})`)
    const resultFile = join(out, 'result.json')
    writeFileSync(resultFile, outputs.result)

    // 5. The job summary, in the terminal.
    step('Job summary')
    execFileSync(node, [cli, 'show', resultFile], { stdio: 'inherit', env: { ...process.env, ...(color ? { FORCE_COLOR: '1' } : {}) } })
    console.log(`\n  Bark pushes received: ${pushes.length}`)
    console.log(`  Markdown job summary: ${summaryFile}`)
    console.log(`  Result (JSON):        ${resultFile}`)
  } finally {
    stopAll()
  }
  console.log(`\n${bold('Done.')} Nothing is left running. Try it on your cluster (a dry run): npm start -- --kubeconfig ~/.kube/config`)
}

function parseOutputs(text) {
  const outputs = {}
  const lines = text.split('\n')
  for (let i = 0; i < lines.length; i++) {
    const m = /^([^<=]+)<<(.+)$/.exec(lines[i])
    if (!m) continue
    const value = []
    for (i++; i < lines.length && lines[i] !== m[2]; i++) value.push(lines[i])
    outputs[m[1]] = value.join('\n')
  }
  return outputs
}

/** The pods of the demo's namespaces only (a shared cluster may hold many more). */
function demoPods(kubectl) {
  return DEMO_NAMESPACES.flatMap(ns => JSON.parse(kubectl('get', 'pods', '-n', ns, '-o', 'json')).items)
}

/** Waits until every seeded pod shows the state kwok gives it. */
async function waitForPods(kubectl) {
  const deadline = Date.now() + 120_000
  for (;;) {
    const pods = demoPods(kubectl)
    const settled = pods.filter(p => p.status?.containerStatuses?.length || p.status?.initContainerStatuses?.length)
    if (pods.length >= 30 && settled.length === pods.length) return
    if (Date.now() > deadline) throw new Error(`seeded pods did not settle: ${settled.length}/${pods.length}`)
    await new Promise(r => setTimeout(r, 500))
  }
}

/** Reports one pod per marked owner as crash-looping, as its kubelet would. */
function breakOnePodPerOwner(kubectl) {
  const pods = demoPods(kubectl)
  const seen = new Set()
  for (const pod of pods) {
    if (pod.metadata.annotations?.['pod-cleaner.demo/break'] !== 'one') continue
    const owner = pod.metadata.ownerReferences?.[0]?.uid
    if (!owner || seen.has(owner)) continue
    seen.add(owner)
    const now = new Date().toISOString()
    const status = {
      status: {
        conditions: pod.status.conditions.map(c =>
          c.type === 'Ready' || c.type === 'ContainersReady' ? { ...c, status: 'False', reason: 'ContainersNotReady', lastTransitionTime: now } : c
        ),
        containerStatuses: pod.spec.containers.map(c => ({
          name: c.name,
          image: c.image,
          imageID: '',
          ready: false,
          started: false,
          restartCount: 6,
          lastState: { terminated: { exitCode: 1, reason: 'Error', startedAt: now, finishedAt: now } },
          state: { waiting: { reason: 'CrashLoopBackOff', message: `back-off 2m40s restarting failed container=${c.name}` } }
        }))
      }
    }
    kubectl('patch', 'pod', '-n', pod.metadata.namespace, pod.metadata.name, '--subresource=status', '--type=merge', '-p', JSON.stringify(status))
    console.log(`  broke ${pod.metadata.namespace}/${pod.metadata.name} (CrashLoopBackOff, as its kubelet would report)`)
  }
}


