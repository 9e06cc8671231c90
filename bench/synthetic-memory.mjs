// Client-side memory and speed of `pod-cleaner scan` against a synthetic paged apiserver (gzip,
// ~3 KB realistic pods), without a control plane: isolates our process from the apiserver's.
//   node bench/synthetic-memory.mjs [path/to/cli.js]
import { execFileSync } from 'node:child_process'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { readFileSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:https'
import { gzipSync } from 'node:zlib'
const work = mkdtempSync(join(tmpdir(), 'pod-cleaner-memory-'))
execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${work}/k.key`, '-out', `${work}/k.crt`, '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1', '-addext', 'basicConstraints=critical,CA:TRUE'], { stdio: 'ignore' })
const tls = { key: readFileSync(`${work}/k.key`), cert: readFileSync(`${work}/k.crt`) }
const podJson = i => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: `pod-${i}`, namespace: `ns-${i % 200}`, uid: `00000000-0000-0000-0000-${String(i).padStart(12, '0')}`, resourceVersion: String(1000 + i), creationTimestamp: '2026-11-28T00:00:00Z', labels: { app: 'web', 'pod-template-hash': '7d9f8', team: 'shop' }, annotations: { 'kubectl.kubernetes.io/restartedAt': '2026-11-27T00:00:00Z', 'prometheus.io/scrape': 'true' }, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-7d9f8', uid: 'rs-uid', controller: true, blockOwnerDeletion: true }], managedFields: [{ manager: 'kube-controller-manager', operation: 'Update', apiVersion: 'v1', time: '2026-11-28T00:00:00Z', fieldsType: 'FieldsV1', fieldsV1: { 'f:metadata': { 'f:labels': { '.': {}, 'f:app': {} } }, 'f:spec': { 'f:containers': { 'k:{"name":"app"}': { '.': {}, 'f:image': {}, 'f:name': {}, 'f:resources': {} } } } } }] }, spec: { nodeName: 'node-1', containers: [{ name: 'app', image: 'registry.example/web:1.2.3', ports: [{ containerPort: 8080, protocol: 'TCP' }], resources: { limits: { cpu: '500m', memory: '256Mi' }, requests: { cpu: '100m', memory: '128Mi' } }, env: [{ name: 'A', value: 'x'.repeat(40) }], volumeMounts: [{ name: 'kube-api-access', mountPath: '/var/run/secrets/kubernetes.io/serviceaccount', readOnly: true }], terminationMessagePath: '/dev/termination-log', imagePullPolicy: 'IfNotPresent' }], restartPolicy: 'Always', serviceAccountName: 'default', tolerations: [{ key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 }] }, status: { phase: 'Running', conditions: ['Initialized', 'Ready', 'ContainersReady', 'PodScheduled'].map(type => ({ type, status: 'True', lastTransitionTime: '2026-11-28T00:00:00Z' })), hostIP: '10.0.0.1', podIP: '10.244.0.1', startTime: '2026-11-28T00:00:00Z', containerStatuses: [{ name: 'app', ready: true, started: true, restartCount: 0, image: 'registry.example/web:1.2.3', imageID: 'registry.example/web@sha256:' + 'a'.repeat(64), containerID: 'containerd://' + 'b'.repeat(64), state: { running: { startedAt: '2026-11-28T00:00:00Z' } } }], qosClass: 'Burstable' } })
let N = 0
const server = createServer(tls, (req, res) => {
  const url = new URL(req.url, 'https://x')
  res.setHeader('content-type', 'application/json')
  if (url.pathname === '/api/v1/pods') {
    const limit = Number(url.searchParams.get('limit') ?? 500)
    const start = Number(url.searchParams.get('continue') || 0)
    const items = []
    for (let i = start; i < Math.min(N, start + limit); i++) items.push(podJson(i))
    const next = start + limit < N ? String(start + limit) : undefined
    const body = JSON.stringify({ kind: 'PodList', apiVersion: 'v1', metadata: { resourceVersion: '1', ...(next ? { continue: next, remainingItemCount: N - start - limit } : {}) }, items })
    res.setHeader('content-encoding', 'gzip')
    res.end(gzipSync(body))
  } else { res.statusCode = 404; res.end('{}') }
})
await new Promise(r => server.listen(0, '127.0.0.1', r))
writeFileSync(`${work}/kubeconfig`, `apiVersion: v1\nkind: Config\nclusters: [{name: f, cluster: {server: "https://127.0.0.1:${server.address().port}", certificate-authority-data: ${tls.cert.toString('base64')}}}]\ncontexts: [{name: f, context: {cluster: f, user: f}}]\ncurrent-context: f\nusers: [{name: f, user: {token: t}}]\n`)
const cli = process.argv[2] ?? join(import.meta.dirname, '..', 'dist', 'cli.js')
for (const n of [1000, 10000, 50000]) {
  N = n
  const rss = []
  for (let r = 0; r < 3; r++) {
    const t = Date.now()
    const out = await new Promise(resolve => {
      import('node:child_process').then(({ spawn }) => {
        const c = spawn('/usr/bin/time', ['-f', '%M', process.execPath, cli, 'scan', '--kubeconfig', `${work}/kubeconfig`, '--output', 'json'], { stdio: ['ignore', 'ignore', 'pipe'] })
        let err = ''
        c.stderr.on('data', d => (err += d))
        c.on('close', () => resolve({ err, ms: Date.now() - t }))
      })
    })
    rss.push(`${Math.round(Number(out.err.trim().split('\n').pop()) / 1024)}MB/${out.ms}ms`)
  }
  console.log(`${n} pods: peak RSS / wall time per run: ${rss.join('  ')}`)
}
server.close()
