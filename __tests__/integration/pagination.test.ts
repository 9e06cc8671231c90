// Pagination against the real apiserver (scenario 2): ≥ 1,200 pods over 20 namespaces, page-size
// 500, broken pods spread over the pages — all found, one list request per page.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { runAction } from '../fixtures/bundle.js'
import {
  admin,
  baseInputs,
  clusterInfo,
  createDeployment,
  createNamespace,
  deleteNamespace,
  isCrashLooping,
  uniqueName,
  waitForPods
} from '../fixtures/cluster.js'

const NAMESPACES = 20
const PODS_PER_NAMESPACE = 60

async function inParallel<T>(
  items: T[],
  limit: number,
  fn: (item: T) => Promise<unknown>
): Promise<void> {
  const queue = [...items]
  await Promise.all(
    Array.from({ length: limit }, async () => {
      for (let item = queue.shift(); item !== undefined; item = queue.shift()) await fn(item)
    })
  )
}

describe('pagination', () => {
  const run = uniqueName('page')
  const labels = { 'pod-cleaner-it': run }
  const namespaces: string[] = []

  beforeAll(async () => {
    const nodes = (clusterInfo() as unknown as { nodes?: string[] }).nodes ?? []
    for (let i = 0; i < NAMESPACES; i++)
      namespaces.push(await createNamespace(`it-page-${String(i).padStart(2, '0')}`))
    const pods = namespaces.flatMap(ns =>
      Array.from({ length: PODS_PER_NAMESPACE }, (_, i) => ({ ns, i }))
    )
    await inParallel(pods, 16, ({ ns, i }) =>
      admin().core.createNamespacedPod({
        namespace: ns,
        body: {
          metadata: { name: `filler-${i}`, labels },
          spec: {
            nodeName: nodes[i % Math.max(1, nodes.length)],
            containers: [{ name: 'app', image: 'busybox:1.36' }]
          }
        }
      })
    )
    // Broken pods at the start, middle and end of the listing order.
    for (const ns of [namespaces[0], namespaces[10], namespaces[19]] as string[]) {
      await createDeployment(ns, 'crasher', { fault: 'crashloop', labels })
    }
    for (const ns of [namespaces[0], namespaces[10], namespaces[19]] as string[]) {
      await waitForPods(ns, 'app=crasher', 1, isCrashLooping)
    }
  }, 600_000)

  afterAll(async () => {
    await Promise.all(namespaces.map(deleteNamespace))
  })

  it('finds every broken pod with one list request per page', async () => {
    const result = await runAction(
      baseInputs({
        'label-selector': `pod-cleaner-it=${run}`,
        'page-size': '500',
        diagnose: 'false',
        'dry-run': 'true'
      })
    )
    expect(result.code).toBe(0)
    const parsed = JSON.parse(result.outputs.result as string)
    const total = NAMESPACES * PODS_PER_NAMESPACE + 3
    expect(parsed.podsScanned).toBe(total)
    expect(parsed.pages).toBe(Math.ceil(total / 500))
    expect(parsed.pods.map((r: { namespace: string }) => r.namespace).sort()).toEqual(
      [namespaces[0], namespaces[10], namespaces[19]].sort()
    )
    expect(parsed.counts.deleted).toBe(3)
    // pages list requests + one (dry-run) delete per broken pod, nothing else.
    expect(parsed.apiRequests).toBe(Math.ceil(total / 500) + 3)
    expect(result.summary).toContain(`Scanned ${total.toLocaleString('en-US')} pods in 3 pages`)
  })
})
