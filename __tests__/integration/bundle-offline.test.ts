// The committed bundles, run as GitHub and users run them, with no cluster: bad input and an
// unreachable server give one clear error and a non-zero exit; offline scans decide correctly.
import { describe, expect, it } from '@jest/globals'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { crashLoop, pod, running, waiting } from '../fixtures/pods.js'
import { runAction, runCli } from '../fixtures/bundle.js'
import { scrub } from '../fixtures/scrub.js'

const kubeconfig = (server: string, token = 'tok-abcdef123456') => `apiVersion: v1
kind: Config
clusters: [{name: c, cluster: {server: "${server}", insecure-skip-tls-verify: true}}]
users: [{name: u, user: {token: ${token}}}]
contexts: [{name: ctx, context: {cluster: c, user: u}}]
current-context: ctx
`

describe('dist/index.js without a cluster', () => {
  it('an unreachable server: a clear error, non-zero exit, the token masked', async () => {
    const run = await runAction({
      kubeconfig: kubeconfig('https://127.0.0.1:59999'),
      'request-timeout': '3s',
      timeout: '20s'
    })
    expect(run.code).toBe(1)
    expect(run.stdout).toContain('::add-mask::tok-abcdef123456')
    expect(scrub(run.stdout)).toMatch(/::error::Pod Cleaner: GET \/api\/v1\/pods: ECONNREFUSED/)
    expect(run.stdout.replace(/::add-mask::.*/g, '')).not.toContain('tok-abcdef123456')
    expect(run.summary).toContain('ECONNREFUSED')
  })

  it('bad inputs: every problem at once, nothing contacted', async () => {
    const run = await runAction({
      kubeconfig: kubeconfig('https://127.0.0.1:59999'),
      'page-size': '-3',
      mode: 'restart'
    })
    expect(run.code).toBe(1)
    expect(run.stdout).toContain('Input \'page-size\': "-3" is not valid')
    expect(run.stdout).toContain(
      'Input \'mode\': "restart" is not valid; expected one of delete, evict'
    )
    expect(run.stdout).not.toContain('ECONNREFUSED')
    expect(run.outputs).toEqual({})
    expect(run.stderr).not.toContain('unrecognized flag')
  })

  it('a missing context is named', async () => {
    const run = await runAction({
      kubeconfig: kubeconfig('https://127.0.0.1:59999'),
      context: 'prod'
    })
    expect(run.code).toBe(1)
    expect(run.stdout).toContain(
      `::error::Input 'context': context "prod" is not in the kubeconfig; expected one of: ctx.`
    )
  })

  it('a plain-http server is refused', async () => {
    const run = await runAction({
      kubeconfig: kubeconfig('http://127.0.0.1:8080').replace(
        ', insecure-skip-tls-verify: true',
        ''
      )
    })
    expect(run.code).toBe(1)
    expect(scrub(run.stdout)).toMatch(/expected an https:\/\/ URL/)
  })

  it('no kubeconfig anywhere: no silent localhost fallback', async () => {
    const run = await runAction({}, { env: { KUBECONFIG: '' } })
    expect(run.code).toBe(1)
    expect(run.stdout).toContain("Input 'kubeconfig': empty, and no kubeconfig was found")
  })
})

describe('dist/cli.js scan --file (offline)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pod-cleaner-cli-'))
  const file = join(dir, 'pods.json')
  writeFileSync(
    file,
    JSON.stringify({
      apiVersion: 'v1',
      kind: 'List',
      items: [
        pod({ name: 'web-1', containers: [crashLoop()] }),
        pod({ name: 'web-2', containers: [crashLoop()] }),
        pod({ name: 'ok', containers: [running()] }),
        pod({ name: 'img', containers: [waiting('ImagePullBackOff')] }),
        pod({ name: 'bare', owner: null, containers: [crashLoop()] }),
        pod({ name: 'sys', namespace: 'kube-system', containers: [crashLoop()] })
      ]
    })
  )

  it('prints the decisions as JSON', async () => {
    const run = await runCli(['scan', '--file', file, '--output', 'json', '--min-pod-age', '0'])
    expect(run.code).toBe(0)
    expect(run.stderr).not.toContain('unrecognized flag') // src/runtime.ts's V8 flag is known
    const { findings } = JSON.parse(run.stdout)
    expect(findings.map((f: { name: string; decision: string }) => [f.name, f.decision])).toEqual([
      ['sys', 'skip'],
      ['bare', 'skip'],
      ['img', 'report'],
      ['web-1', 'delete'],
      ['web-2', 'skip']
    ])
    expect(findings[3]).toEqual({
      namespace: 'shop',
      name: 'web-1',
      container: 'app',
      reason: 'CrashLoopBackOff',
      status: 'CrashLoopBackOff',
      exitCode: 1,
      restarts: 5,
      decision: 'delete',
      skipReason: null
    })
    expect(findings[1].skipReason).toBe('no controller would recreate it (bare pod)')
  })

  it('prints a table and honours -n', async () => {
    const run = await runCli([
      'scan',
      '--file',
      file,
      '-n',
      'kube-system',
      '--exclude-namespaces',
      'other',
      '--min-pod-age=0'
    ])
    expect(run.code).toBe(0)
    expect(run.stdout).toContain('1 unhealthy · 1 would delete')
    expect(scrub(run.stdout)).toMatch(/kube-system\s+sys\s+ReplicaSet\/web-7d9f8/)
  })

  it('rejects bad flags with exit code 2', async () => {
    const run = await runCli(['scan', '--file', file, '--max-deletions', 'lots'])
    expect(run.code).toBe(2)
    expect(run.stderr).toContain(`Input 'max-deletions': "lots" is not valid`)
    expect((await runCli(['frobnicate'])).code).toBe(2)
    expect(scrub((await runCli(['scan', '--file', join(dir, 'missing.json')])).stderr)).toMatch(
      /cannot read it as JSON/
    )
  })
})

describe('dist/cli.js show', () => {
  it('prints a saved result as the table; refuses what is not one', async () => {
    const { result, row } = await import('../fixtures/result.js')
    const dir = mkdtempSync(join(tmpdir(), 'pod-cleaner-show-'))
    const file = join(dir, 'result.json')
    writeFileSync(
      file,
      JSON.stringify(
        result([row({ outcome: 'recovered', recoveredInMs: 1800, cause: 'exits 1: boom' })])
      )
    )
    const run = await runCli(['show', file], { env: { NO_COLOR: '1' } })
    expect(run.code).toBe(0)
    expect(run.stdout).toContain('1 unhealthy · 1 deleted')
    expect(scrub(run.stdout)).toMatch(
      /shop\s+web-1\s+ReplicaSet\/web-7d9f8\s+CrashLoopBackOff\s+1\s+7\s+1h2m\s+exits 1: boom\s+deleted\s+recovered in 1\.8 s/
    )
    expect(run.stdout).not.toContain('\u001b[')
    writeFileSync(file, '{"hello":1}')
    const bad = await runCli(['show', file])
    expect(bad.code).toBe(2)
    expect(scrub(bad.stderr)).toMatch(/not a Pod Cleaner result/)
  })
})
