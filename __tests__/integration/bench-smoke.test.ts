// Smoke test of `npm run bench` (issue 8): runs `node bench/run.mjs --quick` against the control
// plane global-setup started (no second one) and checks that every scenario produced sane,
// correct fields. Correctness only: timings are never asserted here.
import { describe, expect, it } from '@jest/globals'
import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

interface Stats {
  n: number
  min?: number
  median?: number
  max?: number
}

interface BenchResults {
  options: { quick: boolean; sizes: number[]; broken: number }
  cluster: { reused: boolean; labelSelector: string | null }
  bundles: Record<string, { bytes: number; gzipBytes: number }>
  notes: string[]
  scenarios: {
    scan: Array<{
      pods: number
      podsSeen: number
      wallMs: Record<'cli' | 'action' | 'kubectl' | 'baseline', Stats>
      ratioVsKubectl: { cli: number; action: number }
      requests: Record<
        'cli' | 'action' | 'kubectl' | 'baseline',
        { total: number; listPages: number }
      > & { goalListPages: number }
      correctness: { cliPods: number; actionPods: number; baselinePods: number; findings: number }
    }>
    memory: Array<{
      pods: number
      cli: { rssMB: Stats; heapUsedMB: Stats }
      cliV8Defaults: { rssMB: Stats }
      action: { rssMB: Stats }
      kubectl: { rssMB: Stats }
    }>
    cleanup: Array<{
      pods: number
      broken: number
      deleted: number
      recovered: number
      noticeLagMs: Stats
      recoveredInMs: Stats
      apiRequests: { total: number; listPages: number; verification: number; deletes: number }
    }>
    coldStart: {
      action: { firstRequestMs: Stats; requests: number }
      cli: { firstRequestMs: Stats }
    }
    bark: { source: string; sizes: Array<{ findings: number; bytes: number | null }> }
  }
}

describe('bench --quick (smoke)', () => {
  it('measures every scenario on the running control plane and cleans up', () => {
    const clusterFile = process.env.POD_CLEANER_CLUSTER
    expect(clusterFile).toBeTruthy()
    const out = mkdtempSync(join(tmpdir(), 'pod-cleaner-bench-smoke-'))
    try {
      const run = spawnSync(
        process.execPath,
        ['bench/run.mjs', '--quick', '--out', out, '--cluster', clusterFile as string],
        { encoding: 'utf8', timeout: 8 * 60_000 }
      )
      if (run.status !== 0) throw new Error(`bench failed (${run.status}):\n${run.stderr}`)
      expect(existsSync(join(out, 'RESULTS.md'))).toBe(true)
      const r = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as BenchResults
      expect(r.options.quick).toBe(true)
      expect(r.cluster.reused).toBe(true)
      // Reusing a shared cluster: everything is scoped to the bench's own pods by a label.
      expect(r.cluster.labelSelector).toMatch(/^bench\.pod-cleaner\/run=/)
      expect(r.notes.filter(n => /failed/.test(n))).toEqual([])

      const size = r.options.sizes[0] as number
      const scan = r.scenarios.scan[0]
      expect(scan?.pods).toBe(size)
      expect(scan?.correctness.actionPods).toBe(size)
      expect(scan?.correctness.cliPods).toBe(size)
      expect(scan?.correctness.baselinePods).toBe(size)
      expect(scan?.correctness.findings).toBe(0)
      for (const tool of ['cli', 'action', 'kubectl', 'baseline'] as const) {
        expect(scan?.wallMs[tool].n).toBeGreaterThanOrEqual(1)
        expect(scan?.wallMs[tool].median).toBeGreaterThan(0)
      }
      expect(scan?.requests.action.listPages).toBe(Math.ceil(size / 500))
      expect(scan?.requests.goalListPages).toBe(Math.ceil(size / 500))
      expect(scan?.requests.kubectl.listPages).toBeGreaterThanOrEqual(1)
      // The original design pays one request per namespace (plus the namespace list).
      expect(scan?.requests.baseline.total).toBeGreaterThan(scan?.requests.action.total as number)

      expect(r.scenarios.memory.length).toBeGreaterThanOrEqual(2)
      for (const m of r.scenarios.memory) {
        expect(m.cli.rssMB.median).toBeGreaterThan(0)
        expect(m.cliV8Defaults.rssMB.median).toBeGreaterThan(0)
        expect(m.action.rssMB.median).toBeGreaterThan(0)
        expect(m.kubectl.rssMB.median).toBeGreaterThan(0)
      }

      const cleanup = r.scenarios.cleanup[0]
      expect(cleanup?.deleted).toBe(r.options.broken)
      expect(cleanup?.recovered).toBe(r.options.broken)
      expect(cleanup?.apiRequests.deletes).toBe(r.options.broken)
      expect(cleanup?.recoveredInMs.n).toBe(r.options.broken)
      expect(cleanup?.noticeLagMs.n).toBe(r.options.broken)
      // One list + one watch per affected namespace (one broken ReplicaSet per namespace).
      expect(cleanup?.apiRequests.verification).toBeGreaterThanOrEqual(2 * r.options.broken)

      expect(r.scenarios.coldStart.action.firstRequestMs.n).toBeGreaterThanOrEqual(1)
      expect(r.scenarios.coldStart.action.requests).toBeGreaterThanOrEqual(1)
      expect(r.scenarios.coldStart.cli.firstRequestMs.n).toBeGreaterThanOrEqual(1)
      expect(r.bundles['dist/index.js']?.bytes).toBeGreaterThan(0)

      expect(r.scenarios.bark.sizes.map(s => s.findings)).toEqual([10, 100, 1000])
      for (const s of r.scenarios.bark.sizes) {
        expect(typeof s.bytes).toBe('number')
        expect(s.bytes as number).toBeLessThan(4096)
      }
    } finally {
      rmSync(out, { recursive: true, force: true })
    }
  })
})
