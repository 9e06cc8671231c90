// Scenario 5: the Bark push body for 10, 100 and 1,000 findings, as received by a local Bark
// stand-in. Preferred path: the Action bundle with a bark-url input (when action.yml has it),
// against a fake apiserver serving N crash-looping pods. Fallback while notifications are not
// wired into dist/: src/notify bundled here with esbuild and run in a child process.

import { readFileSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:http'
import { join } from 'node:path'
import { fakeApiserver, fakeKubeconfig, makeCert } from './cold-start.mjs'
import { log, runProc } from './util.mjs'

const KEY = 'benchDeviceKey0123456789'

async function barkServer() {
  const bodies = []
  const server = createServer((req, res) => {
    let bytes = 0
    const chunks = []
    req.on('data', c => {
      bytes += c.length
      chunks.push(c)
    })
    req.on('end', () => {
      bodies.push({ path: req.url, bytes, body: Buffer.concat(chunks).toString() })
      res.setHeader('content-type', 'application/json')
      res.end(JSON.stringify({ code: 200, message: 'success', timestamp: Math.floor(Date.now() / 1000) }))
    })
  })
  await new Promise(r => server.listen(0, '127.0.0.1', r))
  return { bodies, url: `http://127.0.0.1:${server.address().port}`, close: () => new Promise(r => server.close(r)) }
}

function crashingPods(n) {
  const old = new Date(Date.now() - 7200_000).toISOString()
  return Array.from({ length: n }, (_, i) => ({
    metadata: {
      name: `checkout-api-7d9f8b6c5d-${i.toString(36).padStart(5, 'x')}`,
      namespace: `team-${String(i % 300).padStart(3, '0')}`,
      uid: `uid-${i}`,
      creationTimestamp: old,
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'checkout-api-7d9f8b6c5d', uid: `rs-${i}`, controller: true }]
    },
    spec: { nodeName: 'node-1', containers: [{ name: 'app', image: 'registry.example/checkout:1.0' }] },
    status: {
      phase: 'Running',
      conditions: [{ type: 'Ready', status: 'False' }],
      containerStatuses: [
        {
          name: 'app',
          ready: false,
          restartCount: 12,
          image: 'registry.example/checkout:1.0',
          imageID: '',
          state: { waiting: { reason: 'CrashLoopBackOff', message: 'back-off 5m0s restarting failed container=app' } },
          lastState: { terminated: { exitCode: 1, reason: 'Error', finishedAt: old } }
        }
      ]
    }
  }))
}

export async function barkPayloads({ ROOT, NODE, work, counts }) {
  const actionHasBark = /^\s{2}bark-url:/m.test(readFileSync(join(ROOT, 'action.yml'), 'utf8'))
  const bark = await barkServer()
  const out = { source: '', apnsLimitBytes: 4096, sizes: [] }
  try {
    if (actionHasBark) {
      out.source = 'dist/index.js with the bark-url input, against a fake apiserver serving N crash-looping pods (dry run)'
      log(`scenario 5 — Bark payload through the Action bundle (${counts.join(', ')} findings)`)
      const tls = await makeCert(work)
      for (const n of counts) {
        const fake = await fakeApiserver(tls, crashingPods(n))
        const env = { ...process.env }
        for (const k of Object.keys(env)) if (k.startsWith('INPUT_')) delete env[k]
        Object.assign(env, {
          INPUT_KUBECONFIG: fakeKubeconfig(fake.port, tls.cert),
          'INPUT_DRY-RUN': 'true',
          'INPUT_MIN-POD-AGE': '0',
          'INPUT_MIN-RESTARTS': '1',
          INPUT_DIAGNOSE: 'false',
          'INPUT_VERIFY-TIMEOUT': '0',
          'INPUT_FAIL-ON': 'never',
          'INPUT_BARK-URL': `${bark.url}/${KEY}`,
          'INPUT_BARK-MIN-SEVERITY': 'info',
          GITHUB_OUTPUT: join(work, `bark-out-${n}`),
          GITHUB_STEP_SUMMARY: join(work, `bark-sum-${n}.md`)
        })
        writeFileSync(env.GITHUB_OUTPUT, '')
        writeFileSync(env.GITHUB_STEP_SUMMARY, '')
        const before = bark.bodies.length
        const r = await runProc(NODE, [join(ROOT, 'dist/index.js')], { env })
        await fake.close()
        const got = bark.bodies.slice(before)
        out.sizes.push({ findings: n, bytes: got[0]?.bytes ?? null, pushes: got.length, path: got[0]?.path ?? null, exitCode: r.code })
      }
    } else {
      out.source = 'src/notify (bark.ts, message.ts, router.ts) bundled by the bench with esbuild and run in a child process — action.yml has no bark-url input yet, so dist/ cannot send a push'
      log(`scenario 5 — Bark payload (fallback: src/notify bundled with esbuild; ${counts.join(', ')} findings)`)
      const esbuild = await import('esbuild')
      const bundle = join(work, 'bark-entry.mjs')
      await esbuild.build({
        entryPoints: [join(ROOT, 'bench/lib/bark-entry.mjs')],
        bundle: true,
        platform: 'node',
        format: 'esm',
        target: 'node24',
        outfile: bundle,
        logLevel: 'error',
        banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" }
      })
      for (const n of counts) {
        const before = bark.bodies.length
        const r = await runProc(NODE, [bundle, bark.url, String(n)])
        const got = bark.bodies.slice(before)
        let info = {}
        try {
          info = JSON.parse(r.stdout.trim().split('\n').at(-1))
        } catch {
          info = { error: r.stderr.slice(-400) }
        }
        out.sizes.push({
          findings: n,
          bytes: got[0]?.bytes ?? null,
          pushes: got.length,
          path: got[0]?.path ?? null,
          untruncatedLinesBytes: info.untruncatedLinesBytes,
          outcome: info.outcomes?.[0]?.status ?? info.error
        })
      }
    }
  } catch (error) {
    out.error = error.message
  } finally {
    await bark.close()
  }
  out.allUnderLimit = out.sizes.length > 0 && out.sizes.every(s => typeof s.bytes === 'number' && s.bytes < 4096)
  log(`  Bark body bytes: ${out.sizes.map(s => `${s.findings} → ${s.bytes}`).join(', ')}${out.error ? ` (error: ${out.error})` : ''}`)
  return out
}
