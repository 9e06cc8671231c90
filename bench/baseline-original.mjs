// Baseline: the ORIGINAL tool's listing design, re-implemented in the same language and HTTP
// stack as ours so that only the request pattern differs: list all namespaces (one request), then
// list each namespace's pods in pages of 500, sequentially, and look at every pod.
//   node bench/baseline-original.mjs <cluster.json> [labelSelector]
// Prints one JSON line: { pods, namespaces, requests, listRequests, unhealthy }.

import { readFileSync } from 'node:fs'
import { Agent, request } from 'undici'

const cluster = JSON.parse(readFileSync(process.argv[2], 'utf8'))
const labelSelector = process.argv[3] || undefined
const server = cluster.server.replace(/\/+$/, '')
const agent = new Agent({ connect: { ca: readFileSync(cluster.caFile) }, connections: 1 })
let requests = 0
let listRequests = 0

async function get(path, query = {}) {
  const qs = new URLSearchParams(Object.entries(query).filter(([, v]) => v !== undefined))
  requests++
  const res = await request(`${server}${path}?${qs}`, {
    dispatcher: agent,
    headers: { authorization: `Bearer ${cluster.adminToken}`, accept: 'application/json' }
  })
  const text = await res.body.text()
  if (res.statusCode !== 200) throw new Error(`GET ${path}: ${res.statusCode} ${text.slice(0, 200)}`)
  return JSON.parse(text)
}

const namespaces = (await get('/api/v1/namespaces')).items.map(n => n.metadata.name)
let pods = 0
let unhealthy = 0
for (const ns of namespaces) {
  let token
  do {
    const page = await get(`/api/v1/namespaces/${ns}/pods`, { limit: 500, continue: token, labelSelector })
    listRequests++
    for (const pod of page.items) {
      pods++
      const bad = (pod.status?.containerStatuses ?? []).some(
        c => c.state?.waiting?.reason === 'CrashLoopBackOff' || (c.state?.terminated?.exitCode ?? 0) !== 0
      )
      if (bad) unhealthy++
    }
    token = page.metadata?.continue || undefined
  } while (token)
}
await agent.close()
process.stdout.write(`${JSON.stringify({ pods, namespaces: namespaces.length, requests, listRequests, unhealthy })}\n`)
