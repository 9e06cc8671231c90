// Bad input through the bundle (issue 9): each case runs dist/index.js against the real apiserver
// behind the fault proxy, with a crash-looping pod in scope — so a bad input that slipped through
// WOULD delete something. Each must end with one line naming the input and what was expected, no
// stack trace, a non-zero exit, and zero API writes (the proxy's request log).
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { runAction } from '../fixtures/bundle.js'
import {
  clusterInfo,
  createDeployment,
  createNamespace,
  deleteNamespace,
  isCrashLooping,
  listPods,
  scrubbed,
  waitForPods
} from '../fixtures/cluster.js'
import { startFaultProxy, type FaultProxy, type UpstreamInfo } from '../fixtures/fault-proxy.js'
import { closedPort } from '../fixtures/http-servers.js'

interface Case {
  name: string
  /** Inputs replacing the valid defaults (kubeconfig through the proxy, the test namespace). */
  inputs: (ctx: Ctx) => Record<string, string>
  /** The error line must match this (it names the input and what was expected). */
  error: RegExp
}

interface Ctx {
  proxy: FaultProxy
  ns: string
  closed: number
  kubeconfig: (edit: (yaml: string) => string) => string
}

const b64 = (text: string) => Buffer.from(text).toString('base64')
const expected = (input: string) => new RegExp(`Input '${input}'.*expected`)

const cases: Case[] = [
  // The kubeconfig and the way to the cluster
  {
    name: 'garbage kubeconfig',
    inputs: () => ({ kubeconfig: 'this is not a kubeconfig at all' }),
    error:
      /Input 'kubeconfig': not a kubeconfig; expected the kubeconfig file's YAML content, base64 of it, or the path of a kubeconfig file/
  },
  {
    name: 'kubeconfig path that does not exist',
    inputs: () => ({ kubeconfig: '/nonexistent/dir/kubeconfig.yaml' }),
    error:
      /Input 'kubeconfig': the file "\/nonexistent\/dir\/kubeconfig\.yaml" cannot be read \(ENOENT\); expected/
  },
  // Keyless login (auth: github-oidc)
  {
    name: 'github-oidc with a plain http server',
    inputs: () => ({
      kubeconfig: '',
      auth: 'github-oidc',
      server: 'http://k8s.local',
      audience: 'a'
    }),
    error:
      /Input 'server': "http:\/\/k8s\.local" is not valid; expected the apiserver's https:\/\/ URL/
  },
  {
    name: 'audience without auth: github-oidc',
    inputs: () => ({ audience: 'prod-cluster' }),
    error: /Input 'audience' is set but 'auth' is kubeconfig; expected auth: github-oidc with it/
  },
  {
    name: 'github-oidc in a job without id-token: write',
    inputs: ({ proxy }) => ({
      kubeconfig: '',
      auth: 'github-oidc',
      server: proxy.url,
      audience: 'prod-cluster'
    }),
    error:
      /auth: github-oidc could not get the job's OIDC token: .*expected 'permissions: id-token: write'/
  },
  {
    name: 'empty kubeconfig and none in the environment',
    inputs: () => ({ kubeconfig: '' }),
    error: /Input 'kubeconfig': empty, and no kubeconfig was found; expected/
  },
  {
    name: 'base64 of garbage',
    inputs: () => ({ kubeconfig: b64('{{{ definitely: not [ yaml') }),
    // Where, never what: the parser's message would quote the line (a secret, maybe).
    error:
      /Input 'kubeconfig': not a kubeconfig \(invalid YAML at line 1, column \d+\); expected[^{]*$/
  },
  {
    name: 'YAML that is not a kubeconfig',
    inputs: () => ({ kubeconfig: 'foo: bar\nbaz: [1, 2]\n' }),
    error: expected('kubeconfig')
  },
  {
    name: 'kubeconfig whose clusters are malformed',
    inputs: () => ({ kubeconfig: 'apiVersion: v1\nclusters: 5\ncontexts: nope\nusers: 7\n' }),
    error: /Input 'kubeconfig': not a kubeconfig \(clusters is not a list\); expected/
  },
  {
    name: 'kubeconfig without any context',
    inputs: () => ({ kubeconfig: 'apiVersion: v1\nkind: Config\nclusters: []\n' }),
    error: /Input 'context': the kubeconfig has no usable current-context \(""\); expected/
  },
  {
    name: 'context not in the kubeconfig',
    inputs: () => ({ context: 'production' }),
    error:
      /Input 'context': context "production" is not in the kubeconfig; expected one of: fault-proxy/
  },
  {
    name: 'current-context naming nothing',
    inputs: ({ kubeconfig }) => ({
      kubeconfig: kubeconfig(y =>
        y.replace('current-context: fault-proxy', 'current-context: ghost')
      )
    }),
    error: /Input 'context': the kubeconfig has no usable current-context \("ghost"\); expected/
  },
  {
    name: 'unreachable server (closed port)',
    inputs: ({ kubeconfig, closed }) => ({
      kubeconfig: kubeconfig(y => y.replace(/server: .*/, `server: https://127.0.0.1:${closed}`)),
      'request-timeout': '2s',
      timeout: '20s'
    }),
    error: /kubeconfig.*https:\/\/127\.0\.0\.1:\d+.*ECONNREFUSED|ECONNREFUSED.*kubeconfig/
  },
  {
    name: 'plain http server without insecure-skip-tls-verify',
    inputs: ({ kubeconfig, proxy }) => ({
      kubeconfig: kubeconfig(y =>
        y.replace(/server: .*/, `server: ${proxy.url.replace('https', 'http')}`)
      )
    }),
    error:
      /Input 'kubeconfig': cluster "fault-proxy" has server "http:.*"; expected an https:\/\/ URL/
  },
  {
    name: 'server that is not a URL',
    inputs: ({ kubeconfig }) => ({
      kubeconfig: kubeconfig(y => y.replace(/server: .*/, 'server: "not a url"'))
    }),
    error:
      /Input 'kubeconfig': cluster "fault-proxy" has server "not a url"; expected an https:\/\/ URL/
  },
  {
    name: 'a CA that did not sign the server certificate',
    inputs: ({ kubeconfig }) => ({
      kubeconfig: kubeconfig(y =>
        y.replace(
          /certificate-authority-data: .*/,
          `certificate-authority-data: ${b64(clusterCa())}`
        )
      ),
      'request-timeout': '2s',
      timeout: '20s'
    }),
    error: /kubeconfig.*certificate|certificate.*kubeconfig/i
  },
  {
    name: 'expired or invalid token (401)',
    inputs: ({ proxy }) => ({ kubeconfig: proxy.kubeconfig({ token: 'expired-token-0000' }) }),
    error: /401 Unauthorized: .*kubeconfig.*expected|kubeconfig.*401/
  },
  // Numbers
  {
    name: 'page-size 0',
    inputs: () => ({ 'page-size': '0' }),
    error: /Input 'page-size': "0" is not valid; expected a whole number from 1 to 10000/
  },
  {
    name: 'page-size negative',
    inputs: () => ({ 'page-size': '-5' }),
    error: expected('page-size')
  },
  {
    name: 'page-size not a number',
    inputs: () => ({ 'page-size': 'lots' }),
    error: expected('page-size')
  },
  {
    name: 'page-size huge',
    inputs: () => ({ 'page-size': '99999999999999999999' }),
    error: expected('page-size')
  },
  {
    name: 'page-size fractional',
    inputs: () => ({ 'page-size': '2.5' }),
    error: expected('page-size')
  },
  {
    name: 'min-restarts negative',
    inputs: () => ({ 'min-restarts': '-1' }),
    error: expected('min-restarts')
  },
  {
    name: 'max-deletions not a number',
    inputs: () => ({ 'max-deletions': 'ten' }),
    error: expected('max-deletions')
  },
  {
    name: 'max-unhealthy-percent over 100',
    inputs: () => ({ 'max-unhealthy-percent': '150' }),
    error: /Input 'max-unhealthy-percent': "150" is not valid; expected a percentage from 0 to 100/
  },
  {
    name: 'max-unhealthy-percent negative',
    inputs: () => ({ 'max-unhealthy-percent': '-5' }),
    error: expected('max-unhealthy-percent')
  },
  {
    name: 'grace-period-seconds negative',
    inputs: () => ({ 'grace-period-seconds': '-1' }),
    error: expected('grace-period-seconds')
  },
  {
    name: 'timeout zero',
    inputs: () => ({ timeout: '0' }),
    error: /Input 'timeout': "0" is not valid; expected a duration from 10s/
  },
  {
    name: 'timeout not a duration',
    inputs: () => ({ timeout: 'forever' }),
    error: expected('timeout')
  },
  { name: 'timeout huge', inputs: () => ({ timeout: '99999h' }), error: expected('timeout') },
  {
    name: 'request-timeout zero',
    inputs: () => ({ 'request-timeout': '0s' }),
    error: expected('request-timeout')
  },
  {
    name: 'min-pod-age negative',
    inputs: () => ({ 'min-pod-age': '-5m' }),
    error: expected('min-pod-age')
  },
  {
    name: 'verify-timeout not a duration',
    inputs: () => ({ 'verify-timeout': 'soon' }),
    error: expected('verify-timeout')
  },
  {
    name: 'give-up-after zero',
    inputs: () => ({ 'give-up-after': '0' }),
    error: expected('give-up-after')
  },
  {
    name: 'diagnostic-log-lines huge',
    inputs: () => ({ 'diagnostic-log-lines': '100000' }),
    error: expected('diagnostic-log-lines')
  },
  // Words
  {
    name: 'boolean "maybe"',
    inputs: () => ({ 'dry-run': 'maybe' }),
    error: /Input 'dry-run': "maybe" is not valid; expected true or false/
  },
  {
    name: 'boolean "yes"',
    inputs: () => ({ 'delete-bare-pods': 'yes' }),
    error: expected('delete-bare-pods')
  },
  {
    name: 'unknown mode',
    inputs: () => ({ mode: 'destroy' }),
    error: /Input 'mode': "destroy" is not valid; expected one of delete, evict/
  },
  { name: 'unknown fail-on', inputs: () => ({ 'fail-on': 'always' }), error: expected('fail-on') },
  {
    name: 'misspelt delete reason (suggestion)',
    inputs: () => ({ 'delete-reasons': 'CrashLoopBackof' }),
    error:
      /Input 'delete-reasons': unknown reason "CrashLoopBackof" \(did you mean CrashLoopBackOff\?\); expected any of/
  },
  {
    name: 'misspelt report reason (suggestion)',
    inputs: () => ({ 'report-reasons': 'ImagePullBackoff' }),
    error:
      /Input 'report-reasons': unknown reason "ImagePullBackoff" \(did you mean ImagePullBackOff\?\)/
  },
  // Label selectors
  {
    name: 'selector with an unbalanced parenthesis',
    inputs: () => ({ 'label-selector': 'app in (a,b' }),
    error: /Input 'label-selector'.*expected a Kubernetes label selector.*unbalanced parentheses/
  },
  {
    name: 'selector without a key',
    inputs: () => ({ 'label-selector': '=web' }),
    error: expected('label-selector')
  },
  {
    name: 'selector with a trailing comma',
    inputs: () => ({ 'label-selector': 'app=web,' }),
    error: /Input 'label-selector'.*empty requirement/
  },
  {
    name: 'selector with a bad value',
    inputs: () => ({ 'label-selector': 'app=we b' }),
    error: expected('label-selector')
  },
  // Namespaces
  {
    name: 'invalid namespace name',
    inputs: () => ({ namespaces: 'Bad_Namespace' }),
    error: /Input 'namespaces': "Bad_Namespace" is not valid; expected namespace names/
  },
  {
    name: 'namespace that does not exist',
    inputs: ({ ns }) => ({ namespaces: `${ns},no-such-namespace-9x` }),
    error:
      /Input 'namespaces': namespace "no-such-namespace-9x" does not exist; expected existing namespaces/
  },
  {
    name: 'namespace both included and excluded',
    inputs: ({ ns }) => ({ namespaces: ns, 'exclude-namespaces': `kube-system,${ns}` }),
    error:
      /Inputs 'namespaces' and 'exclude-namespaces' both list ".*"; expected a namespace in at most one of them/
  },
  {
    name: 'request-timeout longer than timeout',
    inputs: () => ({ timeout: '30s', 'request-timeout': '60s' }),
    error: /Input 'request-timeout' \(60s\) is longer than 'timeout' \(30s\); expected/
  },
  // Files
  {
    name: 'state-file is a directory',
    inputs: () => ({ 'state-file': mkdtempSync(join(tmpdir(), 'pc-state-dir-')) }),
    error:
      /Input 'state-file': ".*" is not valid; expected a readable and writable JSON file.*not a regular file/
  },
  {
    name: 'state-file under a regular file',
    inputs: () => ({ 'state-file': '/etc/hostname/state.json' }),
    error:
      /Input 'state-file': ".*" is not valid; expected a readable and writable JSON file.*ENOTDIR/
  }
]

/** The real cluster's CA: valid, but it did not sign the proxy's certificate. */
const clusterCa = (): string =>
  readFileSync((clusterInfo() as unknown as { caFile: string }).caFile, 'utf8')

describe('bad input through the bundle: one clear line, no stack, non-zero exit, zero writes', () => {
  let ctx: Ctx
  let uidBefore: string | undefined

  beforeAll(async () => {
    const proxy = await startFaultProxy(clusterInfo() as unknown as UpstreamInfo)
    const ns = await createNamespace('it-badinput')
    await createDeployment(ns, 'crasher', { fault: 'crashloop' })
    const [pod] = await waitForPods(ns, 'app=crasher', 1, isCrashLooping)
    uidBefore = pod?.metadata?.uid
    ctx = {
      proxy,
      ns,
      closed: await closedPort(),
      kubeconfig: edit => edit(proxy.kubeconfig())
    }
  })
  afterAll(async () => {
    await ctx?.proxy.close()
    if (ctx?.ns) await deleteNamespace(ctx.ns)
  })

  it('has at least 30 cases', () => expect(cases.length).toBeGreaterThanOrEqual(30))

  it.each(cases.map(c => [c.name, c] as const))('%s', async (_name, c) => {
    const writesBefore = ctx.proxy.writes().length
    const requestsBefore = ctx.proxy.log.length
    const action = await runAction(
      {
        kubeconfig: ctx.proxy.kubeconfig(),
        namespaces: ctx.ns,
        'min-pod-age': '0',
        'min-restarts': '1',
        'verify-timeout': '0',
        diagnose: 'false',
        ...c.inputs(ctx)
      },
      { timeoutMs: 60_000 }
    )
    // Patterns see the output with tokens, uids and random names replaced (fixtures/scrub.ts).
    const [stdout, stderr] = [scrubbed(action.stdout), scrubbed(action.stderr)]
    const errors = stdout.split('\n').filter(l => l.startsWith('::error::'))
    const failure = errors.at(-1) ?? ''
    expect(action.code).not.toBe(0)
    expect(failure).toMatch(c.error)
    // One line (core escapes newlines as %0A), no stack trace anywhere.
    expect(failure).not.toMatch(/%0A/)
    for (const text of [stdout, stderr]) {
      expect(text).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m)
      expect(text).not.toMatch(/(TypeError|ReferenceError|SyntaxError|Error): .*\n\s+at /)
    }
    expect(ctx.proxy.writes().length).toBe(writesBefore)
    // Config errors stop before any request at all.
    if (
      /^Input '(?!kubeconfig|namespaces':.*does not exist)/.test(failure.replace('::error::', ''))
    )
      expect(ctx.proxy.log.length).toBe(requestsBefore)
  })

  it('the crash-looping pod in scope was never touched', async () => {
    expect(ctx.proxy.writes()).toEqual([])
    const [pod] = await listPods(ctx.ns, 'app=crasher')
    expect(pod?.metadata?.uid).toBe(uidBefore)
  })
})
