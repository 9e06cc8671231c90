// Secrets never leak (issue 9): the bundle runs with a kubeconfig holding a token, a client key and
// a basic-auth password (plus notification secrets when action.yml has those inputs), while the
// fault proxy forces errors whose bodies echo the request — 500 on a list page, 403 on a DELETE.
// No secret may appear in stdout, stderr, the job summary or the outputs; each is masked first.
import { describe, expect, it } from '@jest/globals'
import { randomBytes } from 'node:crypto'
import { readFileSync } from 'node:fs'
import type { IncomingHttpHeaders } from 'node:http'
import { parse } from 'yaml'
import { runAction, type ActionRun } from '../fixtures/bundle.js'
import { execKubeconfig, testPlugin } from '../fixtures/exec-plugin.js'
import { startIssuer, startTokenEndpoint } from '../fixtures/github-oidc.js'
import {
  clusterInfo,
  createDeployment,
  isCrashLooping,
  listPods,
  scrubbed,
  waitForPods
} from '../fixtures/cluster.js'
import { statusBody, testPki, type Fault, type LoggedRequest } from '../fixtures/fault-proxy.js'
import { closedPort } from '../fixtures/http-servers.js'
import { proxiedNamespace } from '../fixtures/proxied-namespace.js'

/** An error body that echoes the request it answers, the way some gateways and debug proxies do. */
const echoing =
  (status: number, reason: string) =>
  (req: LoggedRequest, headers: IncomingHttpHeaders): Fault => ({
    kind: 'status',
    status,
    body: statusBody(
      status,
      reason,
      `${req.method} ${req.path} rejected; request headers: authorization=${String(headers.authorization)}`
    )
  })

/** What the runner masks (its ::add-mask:: lines), and every place a secret could leak to. */
function masksAndPlaces(action: ActionRun) {
  const lines = action.stdout.split('\n')
  const mask = '::add-mask::'
  return {
    masks: new Set(lines.filter(l => l.startsWith(mask)).map(l => l.slice(mask.length))),
    places: {
      stdout: lines.filter(l => !l.startsWith(mask)).join('\n'),
      stderr: action.stderr,
      summary: action.summary,
      outputs: JSON.stringify(action.outputs)
    }
  }
}

describe('secrets in the kubeconfig and the inputs never reach the logs, summary or outputs', () => {
  const password = `pw-${randomBytes(12).toString('hex')}`
  const barkKey = `barkdevice${randomBytes(8).toString('hex')}`
  const slackSecret = `slacksecret${randomBytes(12).toString('hex')}`

  const space = proxiedNamespace('it-secrets', async ns => {
    await createDeployment(ns, 'crasher', { fault: 'crashloop' })
    await waitForPods(ns, 'app=crasher', 1, isCrashLooping)
  })

  it('forced 500 and 403 errors echoing the request print no secret; every secret is masked', async () => {
    const pki = testPki()
    const token = clusterInfo().adminToken
    const clientKeyData = Buffer.from(pki.clientKey).toString('base64')
    const kubeconfig = space.proxy.kubeconfig({
      token,
      user: {
        'client-certificate-data': Buffer.from(pki.clientCert).toString('base64'),
        'client-key-data': clientKeyData,
        username: 'ops',
        password
      }
    })
    // The key's body lines (what a decoded key would print as).
    const keyLines = pki.clientKey.split('\n').filter(l => l.length > 20 && !l.startsWith('-----'))

    // Notification inputs, if the Action has them yet: unreachable URLs carrying their secrets.
    const declared = Object.keys(
      (parse(readFileSync('action.yml', 'utf8')) as { inputs: Record<string, unknown> }).inputs
    )
    const port = await closedPort()
    const notify: Record<string, string> = {}
    if (declared.includes('bark-url')) notify['bark-url'] = `http://127.0.0.1:${port}`
    if (declared.includes('bark-device-keys')) notify['bark-device-keys'] = barkKey
    if (declared.includes('slack-webhook'))
      notify['slack-webhook'] = `http://127.0.0.1:${port}/services/T0/B0/${slackSecret}`

    // The proxy answers with bodies that quote the Authorization header it received.
    space.proxy.script([
      { method: 'GET', path: '/pods?', nth: 1, fault: echoing(500, 'InternalError') },
      { method: 'DELETE', fault: echoing(403, 'Forbidden') }
    ])
    const before = (await listPods(space.ns)).map(p => p.metadata?.uid)
    const action = await runAction({
      kubeconfig,
      namespaces: space.ns,
      'min-pod-age': '0',
      'min-restarts': '1',
      'page-size': '1',
      'verify-timeout': '0',
      ...notify
    })

    // The errors happened and were reported (with the echo scrubbed).
    expect(action.code).toBe(1)
    const result = JSON.parse(action.outputs.result as string)
    expect(result.pods[0]).toMatchObject({
      decision: 'failed',
      detail: expect.stringMatching(
        /^403 Forbidden: DELETE .* request headers: authorization=\*\*\*$/
      )
    })
    // Matched with the secrets replaced by "<secret>" (not "***"): only the product's mask matches.
    expect(scrubbed(action.stdout, token, password, clientKeyData)).toMatch(
      /InternalError.*authorization=\*\*\* — retry 1/
    )
    expect((await listPods(space.ns)).map(p => p.metadata?.uid)).toEqual(before)

    const secrets: Record<string, string> = {
      token,
      password,
      'client-key-data': clientKeyData,
      ...Object.fromEntries(keyLines.map((l, i) => [`client key line ${i}`, l])),
      ...(notify['bark-device-keys'] ? { 'bark device key': barkKey } : {}),
      ...(notify['slack-webhook'] ? { 'slack webhook': notify['slack-webhook'], slackSecret } : {})
    }
    const { masks, places } = masksAndPlaces(action)
    for (const [what, secret] of Object.entries(secrets)) {
      for (const [where, text] of Object.entries(places)) {
        expect({ what, where, leaked: text.includes(secret) }).toEqual({
          what,
          where,
          leaked: false
        })
      }
    }
    for (const what of [
      'token',
      'password',
      'client-key-data',
      'bark device key',
      'slack webhook'
    ]) {
      if (secrets[what])
        expect({ what, masked: masks.has(secrets[what] as string) }).toEqual({ what, masked: true })
    }
    for (const line of keyLines) expect(masks).toContain(line)
    process.stderr.write(
      `[secrets] ${masks.size} values masked; notification inputs ${Object.keys(notify).length > 0 ? Object.keys(notify).join(', ') : 'not in action.yml yet'}\n`
    )
  })

  it("an exec plugin's token and the secrets in its environment: masked, never printed", async () => {
    // The plugin prints the admin token (it is in no kubeconfig, so only the plugin's output can
    // mask it); its env holds a session secret. The same echoing errors as above.
    const token = clusterInfo().adminToken
    const envSecret = `session-${randomBytes(12).toString('hex')}`
    const plugin = testPlugin({ token, lifetimeSeconds: 600 })
    const kubeconfig = execKubeconfig(space.proxy.url, testPki().caCert, {
      command: plugin.command,
      env: [{ name: 'AWS_SESSION_TOKEN', value: envSecret }]
    })
    space.proxy.script([
      { method: 'GET', path: '/pods?', nth: 1, fault: echoing(500, 'InternalError') },
      { method: 'DELETE', fault: echoing(403, 'Forbidden') }
    ])
    const before = (await listPods(space.ns)).map(p => p.metadata?.uid)
    const action = await runAction({
      kubeconfig,
      namespaces: space.ns,
      'min-pod-age': '0',
      'min-restarts': '1',
      'page-size': '1',
      'verify-timeout': '0'
    })
    expect(plugin.runs()).toBe(1)
    expect(action.code).toBe(1)
    expect(JSON.parse(action.outputs.result as string).pods[0].decision).toBe('failed')
    expect((await listPods(space.ns)).map(p => p.metadata?.uid)).toEqual(before)
    const { masks, places } = masksAndPlaces(action)
    for (const [what, secret] of Object.entries({
      'plugin token': token,
      'plugin env': envSecret
    })) {
      expect({ what, masked: masks.has(secret) }).toEqual({ what, masked: true })
      for (const [where, text] of Object.entries(places))
        expect({ what, where, leaked: text.includes(secret) }).toEqual({
          what,
          where,
          leaked: false
        })
    }
  })

  it("the job's OIDC token (auth: github-oidc): masked, never printed, even when errors echo it", async () => {
    // No apiserver here trusts the issuer: the proxy answers every request itself, each answer
    // quoting the Authorization header (the ID token) — the review (403: identity unconfirmed, the
    // run goes on), then the listing (500, retried until the run gives up).
    const issuer = await startIssuer()
    const tokens = await startTokenEndpoint(issuer, {
      repository: 'acme/shop',
      lifetimeSeconds: 300
    })
    try {
      space.proxy.script([
        { path: 'selfsubjectreviews', fault: echoing(403, 'Forbidden') },
        { fault: echoing(500, 'InternalError') }
      ])
      const action = await runAction(
        {
          auth: 'github-oidc',
          server: space.proxy.url,
          'certificate-authority': testPki().caCert,
          audience: 'secrets-test',
          namespaces: space.ns,
          'request-timeout': '2s',
          timeout: '20s'
        },
        { env: tokens.env }
      )
      space.proxy.script([])
      expect(action.code).toBe(1)
      expect(tokens.issued.length).toBeGreaterThanOrEqual(1)
      const { masks, places } = masksAndPlaces(action)
      tokens.issued.forEach((token, i) => {
        const what = `ID token ${i}`
        expect({ what, masked: masks.has(token) }).toEqual({ what, masked: true })
        for (const [where, text] of Object.entries(places))
          expect({ what, where, leaked: text.includes(token) }).toEqual({
            what,
            where,
            leaked: false
          })
      })
      // The echo was there, scrubbed (matched with every token taken out first).
      let stdout = places.stdout
      for (const token of tokens.issued) stdout = stdout.split(token).join('<ID token>')
      expect(stdout).toMatch(/InternalError.*authorization=\*\*\*/)
    } finally {
      await tokens.close()
      await issuer.close()
    }
  })
})
