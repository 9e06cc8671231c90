// Kubeconfig hygiene through the bundle (issue 16): the summary says who ran and where the
// credential came from (SelfSubjectReview, with a fallback when the cluster will not say), and a
// kubeconfig that skips TLS verification is a warning in the summary.
import { describe, expect, it } from '@jest/globals'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { runAction } from '../fixtures/bundle.js'
import { createDeployment, isCrashLooping, waitForPods } from '../fixtures/cluster.js'
import { statusBody, testPki } from '../fixtures/fault-proxy.js'
import { proxiedNamespace } from '../fixtures/proxied-namespace.js'

interface Result {
  cluster: {
    identity?: { username: string; groups: string[]; confirmed: boolean }
    credentials?: string
  }
  warnings: string[]
  counts: { unhealthy: number }
}

const resultOf = (outputs: Record<string, string>) => JSON.parse(outputs.result as string) as Result

describe('who ran, with which credential', () => {
  const space = proxiedNamespace('it-kubeconfig', async ns => {
    await createDeployment(ns, 'crasher', { fault: 'crashloop' })
    await waitForPods(ns, 'app=crasher', 1, isCrashLooping)
  })

  it('the apiserver says who we are (SelfSubjectReview); the summary names it and the source', async () => {
    const run = await runAction(space.inputs({ 'dry-run': 'true' }))
    expect(run.code).toBe(0)
    const { cluster } = resultOf(run.outputs)
    expect(cluster.identity).toEqual({
      username: 'admin',
      groups: expect.arrayContaining(['system:masters']),
      confirmed: true
    })
    expect(cluster.credentials).toBe('token from input')
    expect(run.summary).toContain(
      'Acted as `admin` (groups: system:masters) · credentials: token from input.'
    )
    // Not a write, and not counted among the cycle's requests.
    expect(space.proxy.log.filter(e => e.path.includes('selfsubjectreviews'))).toHaveLength(1)
  })

  it('a cluster that will not say (403): the kubeconfig user, marked unconfirmed; the run goes on', async () => {
    space.proxy.script([
      {
        path: 'selfsubjectreviews',
        fault: {
          kind: 'status',
          status: 403,
          body: statusBody(403, 'Forbidden', 'selfsubjectreviews is forbidden')
        }
      }
    ])
    const run = await runAction(space.inputs({ 'dry-run': 'true' }))
    space.proxy.script([])
    expect(run.code).toBe(0)
    expect(resultOf(run.outputs).cluster.identity).toEqual({
      username: 'tester',
      groups: [],
      confirmed: false
    })
    expect(resultOf(run.outputs).counts.unhealthy).toBe(1)
    expect(run.summary).toContain('Acted as kubeconfig user `tester` (not confirmed')
  })

  it('the input may be a path: relative files in it are relative to it; the path is not masked', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pc-kubeconfig-file-'))
    writeFileSync(join(dir, 'ca.crt'), testPki().caCert)
    const file = join(dir, 'kubeconfig.yaml')
    writeFileSync(
      file,
      space.proxy
        .kubeconfig()
        .replace(/certificate-authority-data: .*/, 'certificate-authority: ca.crt')
    )
    const run = await runAction(space.inputs({ kubeconfig: file, 'dry-run': 'true' }))
    expect(run.code).toBe(0)
    expect(resultOf(run.outputs).cluster.credentials).toBe(`token from file ${file}`)
    expect(resultOf(run.outputs).counts.unhealthy).toBe(1)
    expect(run.stdout).not.toContain(`::add-mask::${file}`)
    expect(run.stdout).toContain(
      `::add-mask::${space.proxy.kubeconfig().match(/token: "(.*)"/)?.[1]}`
    )
  })

  it('insecure-skip-tls-verify: a warning in the summary and the log, the run goes on', async () => {
    const kubeconfig = space.proxy
      .kubeconfig()
      .replace(/certificate-authority-data: .*/, 'insecure-skip-tls-verify: true')
    const run = await runAction(space.inputs({ kubeconfig, 'dry-run': 'true' }))
    expect(run.code).toBe(0)
    const [warning] = resultOf(run.outputs).warnings
    expect(warning).toMatch(
      /^The kubeconfig's cluster "fault-proxy" sets insecure-skip-tls-verify: the apiserver's certificate is not checked/
    )
    expect(run.summary).toContain('sets insecure-skip-tls-verify')
    expect(run.stdout).toMatch(
      /^::warning::The kubeconfig's cluster "fault-proxy" sets insecure-skip-tls-verify/m
    )
  })
})
