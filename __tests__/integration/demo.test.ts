// `npm start` (scripts/demo.mjs) on the control plane the suite already runs: the seeded broken
// pods are handled as the README says, a Bark push is printed, and nothing is left running.
import { describe, expect, it } from '@jest/globals'
import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync } from 'node:fs'
import { createConnection } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { CycleResult } from '../../src/domain/result.js'
import { admin, scrubbed, waitFor } from '../fixtures/cluster.js'

function runDemo(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['scripts/demo.mjs', ...args], {
      env: { ...process.env, NO_COLOR: '1' }
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', d => (stdout += d))
    child.stderr.on('data', d => (stderr += d))
    child.on('error', reject)
    child.on('close', code => resolve({ code, stdout, stderr }))
  })
}

const portOpen = (port: number) =>
  new Promise<boolean>(resolve => {
    const socket = createConnection({ host: '127.0.0.1', port })
    socket.once('connect', () => (socket.destroy(), resolve(true)))
    socket.once('error', () => resolve(false))
  })

describe('npm start (the demo)', () => {
  it('runs the whole cycle on the seeded workloads and leaves nothing behind', async () => {
    const out = mkdtempSync(join(tmpdir(), 'pod-cleaner-demo-test-'))
    const run = await runDemo([
      '--cluster',
      process.env.POD_CLEANER_CLUSTER as string,
      '--out',
      out
    ])
    expect(scrubbed(run.stderr)).not.toMatch(/Error:|ERR_/)
    expect(run.code).toBe(0)
    const result = JSON.parse(readFileSync(join(out, 'result.json'), 'utf8')) as CycleResult
    const by = (prefix: string) => result.pods.find(r => r.pod.startsWith(prefix))
    expect(by('checkout-')).toMatchObject({ decision: 'deleted', outcome: 'recovered' })
    expect(by('postgres-0')).toMatchObject({
      decision: 'deleted',
      outcome: 'recovered',
      replacement: 'postgres-0'
    })
    expect(by('ledger-')).toMatchObject({ decision: 'deleted', outcome: 'not-recovered' })
    expect(by('migrator-')).toMatchObject({ decision: 'deleted', status: 'Init:CrashLoopBackOff' })
    expect(by('search-')).toMatchObject({ decision: 'report' })
    expect(by('notifier-')).toMatchObject({ decision: 'report', cause: 'missing Secret db-creds' })
    expect(by('debug-shell')).toMatchObject({
      decision: 'skipped',
      detail: 'no controller would recreate it (bare pod)'
    })
    expect(
      result.pods.some(r => r.pod.startsWith('frontend-') || r.pod.startsWith('gateway-'))
    ).toBe(false)
    expect(result.notifications).toEqual([
      expect.objectContaining({ channel: 'bark', status: 'sent' })
    ])

    // What the user sees: the phone card, the table, the summary path.
    expect(scrubbed(run.stdout)).toMatch(/📱 Pod Cleaner: 4 deleted/)
    expect(scrubbed(run.stdout)).toMatch(/NAMESPACE\s+POD\s+OWNER/)
    expect(run.stdout).toContain(`Markdown job summary: ${join(out, 'summary.md')}`)
    expect(readFileSync(join(out, 'summary.md'), 'utf8')).toContain('## Pod Cleaner')

    // Nothing left running: the Bark endpoint is closed, the seeded namespaces are going away.
    const port = Number(
      /Bark-compatible endpoint: http:\/\/127\.0\.0\.1:(\d+)\/push/.exec(run.stdout)?.[1]
    )
    expect(port).toBeGreaterThan(0)
    expect(await portOpen(port)).toBe(false)
    await waitFor('demo namespaces to terminate', async () => {
      const names = (await admin().core.listNamespace()).items.filter(
        ns =>
          ['shop', 'payments', 'data'].includes(ns.metadata?.name ?? '') &&
          ns.status?.phase !== 'Terminating'
      )
      return names.length === 0
    })
  })
})
