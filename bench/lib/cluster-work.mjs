// Workloads for the bench: namespaces, bare pods pinned to kwok nodes (no scheduler in the way),
// ReplicaSets whose pods we break the way the kubelet reports a crash loop, and a watch of our
// own that records when each event arrives.

import { performance } from 'node:perf_hooks'
import { request } from 'undici'
import { pool } from './kube.mjs'
import { log, sleep } from './util.mjs'

export const RUN_LABEL = 'bench.pod-cleaner/run'
export const BROKEN_LABEL = 'bench.pod-cleaner/broken-rs'
const FAULT_LABEL = 'pod-cleaner.test/fault'

export class Workload {
  /** @param {import('./kube.mjs').Kube} kube */
  constructor(kube, cluster, runId) {
    this.kube = kube
    this.cluster = cluster
    this.runId = runId
    this.namespaces = []
    this.barePods = 0
    this.rsPods = 0
  }

  nsName(i) {
    return `pcb-${this.runId}-${String(i).padStart(3, '0')}`
  }

  async ensureNamespaces(count) {
    const todo = []
    for (let i = this.namespaces.length; i < count; i++) todo.push(this.nsName(i))
    await pool(todo, 16, name =>
      this.kube.retrying(() =>
        this.kube.req('POST', '/api/v1/namespaces', {
          body: { metadata: { name, labels: { [RUN_LABEL]: this.runId } } },
          allow: [409]
        })
      )
    )
    this.namespaces.push(...todo)
  }

  podBody(i) {
    const app = `svc-${i % 97}`
    return {
      metadata: {
        name: `${app}-${i.toString(36).padStart(6, '0')}`,
        // Any value of the fault label but the known faults makes kwok leave the pod alone
        // (hack/kwok/stages.yaml): the bench writes its status itself (runningStatus).
        labels: { app, tier: i % 3 === 0 ? 'web' : 'worker', [RUN_LABEL]: this.runId, [FAULT_LABEL]: 'bench-status' },
        annotations: { 'bench.pod-cleaner/index': String(i) }
      },
      spec: {
        nodeName: this.cluster.nodes[i % this.cluster.nodes.length],
        terminationGracePeriodSeconds: 0,
        containers: [
          {
            name: 'app',
            image: 'registry.example/team/app:1.2.3',
            ports: [{ containerPort: 8080, name: 'http' }],
            env: [{ name: 'MODE', value: 'bench' }],
            resources: { requests: { cpu: '10m', memory: '16Mi' } }
          }
        ]
      }
    }
  }

  /** The status kwok's pod-ready stage writes (hack/kwok/stages.yaml), for a bare pod. */
  runningStatus(i, pod) {
    const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z')
    const podIP = `10.244.${(i >> 8) & 255}.${i & 255}`
    return {
      phase: 'Running',
      conditions: ['Initialized', 'Ready', 'ContainersReady', 'PodScheduled'].map(type => ({ type, status: 'True', lastTransitionTime: now })),
      containerStatuses: pod.spec.containers.map(c => ({
        name: c.name,
        image: c.image,
        imageID: `kwok://${c.image}`,
        containerID: `kwok://${c.name}`,
        ready: true,
        started: true,
        restartCount: 0,
        state: { running: { startedAt: now } }
      })),
      hostIP: '127.0.0.1',
      hostIPs: [{ ip: '127.0.0.1' }],
      podIP,
      podIPs: [{ ip: podIP }],
      startTime: now
    }
  }

  /**
   * Creates bare pods until `target` exist, round-robin over `nsCount` namespaces, and reports
   * each Running through the status subresource, as kwok would. Seeding through kwok cost ~7 ms
   * of kwok CPU per pod (its stage templates) on top of the apiserver's work, which made seeding
   * 50k pods the largest part of the bench on 2 cores; the apiserver's work is the same.
   */
  async seedBare(target, nsCount, parallel = 48) {
    await this.ensureNamespaces(nsCount)
    const ids = []
    for (let i = this.barePods; i < target; i++) ids.push(i)
    if (ids.length === 0) return
    const t = performance.now()
    await pool(
      ids,
      parallel,
      i =>
        this.kube.retrying(async () => {
          const path = `/api/v1/namespaces/${this.nsName(i % nsCount)}/pods`
          const body = this.podBody(i)
          await this.kube.req('POST', path, { body, allow: [409] })
          await this.kube.req('PATCH', `${path}/${body.metadata.name}/status`, { body: { status: this.runningStatus(i, body) } })
        }),
      done => {
        if (done % 2000 === 0)
          log(`  seeded ${this.barePods + done}/${target} bare pods (${(done / ((performance.now() - t) / 1000)).toFixed(0)}/s)`)
      }
    )
    this.barePods = target
    log(`  seeded ${ids.length} bare pods in ${((performance.now() - t) / 1000).toFixed(1)} s over ${nsCount} namespaces`)
  }

  /** `count` ReplicaSets of 1 replica, one per namespace, healthy (kwok makes their pods Ready). */
  async createReplicaSets(count) {
    await this.ensureNamespaces(count)
    await pool(Array.from({ length: count }, (_, i) => i), 16, i => {
      const name = `fragile-${i}`
      const labels = { app: name, [RUN_LABEL]: this.runId, [BROKEN_LABEL]: this.runId }
      return this.kube.retrying(() =>
        this.kube.req('POST', `/apis/apps/v1/namespaces/${this.nsName(i)}/replicasets`, {
          body: {
            metadata: { name, labels },
            spec: {
              replicas: 1,
              selector: { matchLabels: { app: name } },
              template: {
                metadata: { labels },
                spec: {
                  terminationGracePeriodSeconds: 0,
                  containers: [{ name: 'app', image: 'registry.example/team/fragile:1.0' }]
                }
              }
            }
          },
          allow: [409]
        })
      )
    })
    this.rsPods = count
  }

  /** Lists all pods of a selector (paged), optionally with a field selector. */
  async listAll(labelSelector, fieldSelector) {
    const items = []
    let token
    do {
      const page = await this.kube.get('/api/v1/pods', { labelSelector, fieldSelector, limit: 1000, continue: token })
      items.push(...page.items)
      token = page.metadata?.continue || undefined
    } while (token)
    return items
  }

  /** Waits until every pod of the run is Running (bare pods: the bench's status; others: kwok's). */
  async waitAllRunning(expected, timeoutMs = 20 * 60_000) {
    // Cheap polls: one item tells whether any pod is still waiting; the count for the log (a
    // metadata-only listing) only every ~10 s. Listing every waiting pod every 2 s made the
    // apiserver serialise tens of thousands of pods while kwok was trying to start them.
    const deadline = Date.now() + timeoutMs
    const labelSelector = `${RUN_LABEL}=${this.runId}`
    const fieldSelector = 'status.phase!=Running'
    for (let poll = 0; ; poll++) {
      const page = await this.kube.get('/api/v1/pods', { labelSelector, fieldSelector, limit: 1 })
      if (page.items.length === 0) break
      if (poll % 5 === 0) log(`  waiting: ${await this.countPods(labelSelector, fieldSelector)} of ${expected} pods not Running yet`)
      if (Date.now() > deadline) throw new Error(`${await this.countPods(labelSelector, fieldSelector)} pods still not Running`)
      await sleep(2000)
    }
  }

  /** How many pods match, listed as metadata only (PartialObjectMetadataList). */
  async countPods(labelSelector, fieldSelector) {
    let count = 0
    let token
    do {
      const page = await this.kube.req('GET', '/api/v1/pods', {
        query: { labelSelector, fieldSelector, limit: 5000, continue: token },
        headers: { accept: 'application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1' }
      })
      count += page.items.length
      token = page.metadata?.continue || undefined
    } while (token)
    return count
  }

  async readyBrokenSetPods(count, timeoutMs = 180_000) {
    const deadline = Date.now() + timeoutMs
    for (;;) {
      const pods = (await this.listAll(`${BROKEN_LABEL}=${this.runId}`)).filter(p => !p.metadata.deletionTimestamp)
      if (pods.length === count && pods.every(isReady)) return pods
      if (Date.now() > deadline) throw new Error(`ReplicaSet pods not Ready: ${pods.filter(isReady).length}/${count}`)
      await sleep(500)
    }
  }

  /** Reports the pod's container as crash-looping, like the kubelet (status subresource). */
  async breakPods(pods) {
    const now = new Date().toISOString()
    await pool(pods, 16, pod =>
      this.kube.retrying(async () => {
        const fresh = await this.kube.get(`/api/v1/namespaces/${pod.metadata.namespace}/pods/${pod.metadata.name}`)
        fresh.status = {
          ...fresh.status,
          conditions: (fresh.status?.conditions ?? []).map(c =>
            c.type === 'Ready' || c.type === 'ContainersReady'
              ? { ...c, status: 'False', reason: 'ContainersNotReady', lastTransitionTime: now }
              : c
          ),
          containerStatuses: fresh.spec.containers.map(c => ({
            name: c.name,
            image: c.image,
            imageID: '',
            ready: false,
            started: false,
            restartCount: 4,
            lastState: { terminated: { exitCode: 1, reason: 'Error', startedAt: now, finishedAt: now } },
            state: { waiting: { reason: 'CrashLoopBackOff', message: `back-off 1m20s restarting failed container=${c.name}` } }
          }))
        }
        await this.kube.req('PUT', `/api/v1/namespaces/${pod.metadata.namespace}/pods/${pod.metadata.name}/status`, { body: fresh })
      })
    )
  }

  async deleteNamespaces() {
    await pool([...this.namespaces], 16, name =>
      this.kube.req('DELETE', `/api/v1/namespaces/${name}`, { allow: [404, 409] }).catch(() => undefined)
    )
  }
}

export function isReady(pod) {
  return (
    pod.status?.phase === 'Running' &&
    !pod.metadata.deletionTimestamp &&
    (pod.status.conditions ?? []).some(c => c.type === 'Ready' && c.status === 'True')
  )
}

/**
 * A cluster-wide watch of the broken ReplicaSets' pods, recording when events ARRIVE here:
 * deletion seen (deletionTimestamp or DELETED) per old pod, first Ready per new pod.
 */
export async function startRecorder(kube, labelSelector) {
  const list = await kube.get('/api/v1/pods', { labelSelector })
  const rec = {
    initial: new Set(list.items.map(p => p.metadata.uid)),
    deletedAt: new Map(),
    readyAt: new Map(),
    readyCondition: new Map(),
    pods: new Map(),
    events: 0
  }
  const controller = new AbortController()
  const qs = new URLSearchParams({
    watch: '1',
    labelSelector,
    resourceVersion: list.metadata.resourceVersion,
    allowWatchBookmarks: 'true',
    timeoutSeconds: '1800'
  })
  const res = await request(`${kube.server}/api/v1/pods?${qs}`, {
    dispatcher: kube.agent,
    headers: { authorization: `Bearer ${kube.token}`, accept: 'application/json' },
    signal: controller.signal
  })
  const done = (async () => {
    let buffer = ''
    try {
      for await (const chunk of res.body) {
        const t = Date.now()
        buffer += chunk.toString()
        let i
        while ((i = buffer.indexOf('\n')) >= 0) {
          const line = buffer.slice(0, i)
          buffer = buffer.slice(i + 1)
          if (!line.trim()) continue
          const event = JSON.parse(line)
          if (event.type === 'BOOKMARK' || event.type === 'ERROR') continue
          rec.events++
          const pod = event.object
          const uid = pod.metadata.uid
          rec.pods.set(uid, pod)
          if ((event.type === 'DELETED' || pod.metadata.deletionTimestamp) && !rec.deletedAt.has(uid))
            rec.deletedAt.set(uid, t)
          if (!rec.initial.has(uid) && isReady(pod) && !rec.readyAt.has(uid)) {
            rec.readyAt.set(uid, t)
            const cond = pod.status.conditions.find(c => c.type === 'Ready')
            rec.readyCondition.set(uid, Date.parse(cond.lastTransitionTime))
          }
        }
      }
    } catch (error) {
      if (!controller.signal.aborted) log(`recorder watch ended: ${error.message}`)
    }
  })()
  rec.stop = async () => {
    controller.abort()
    await done
  }
  return rec
}
