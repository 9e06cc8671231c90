import { describe, expect, it } from '@jest/globals'
import { from, problems } from '../fixtures/config.js'
import {
  buildConfig,
  decodeKubeconfig,
  INPUT_DEFAULTS,
  labelSelectorProblem,
  parseDuration
} from '../../src/config/config.js'
import {
  BOOLEAN_INPUTS,
  INPUT_SPECS,
  SECRET_INPUTS,
  type ActionInputName as InputName
} from '../../src/config/inputs.js'

const KUBECONFIG = `apiVersion: v1
kind: Config
clusters: [{name: c, cluster: {server: "https://127.0.0.1:6443"}}]
users: [{name: u, user: {token: secret-token-value}}]
contexts: [{name: ctx, context: {cluster: c, user: u}}]
current-context: ctx
`

describe('buildConfig', () => {
  it('defaults match the documented ones', () => {
    const config = buildConfig(from({}))
    expect(config).toMatchObject({
      kubeconfig: '',
      namespaces: [],
      pageSize: 500,
      mode: 'delete',
      gracePeriodSeconds: 0,
      dryRun: false,
      failOn: 'error',
      timeoutSeconds: 480,
      requestTimeoutSeconds: 30
    })
    expect([...config.policy.excludeNamespaces]).toEqual(['kube-system'])
    expect(config.policy).toMatchObject({
      minRestarts: 3,
      minPodAgeSeconds: 300,
      maxDeletions: 10,
      maxUnhealthyPercent: 30
    })
    expect([...config.detect.deleteReasons]).toContain('NonZeroExit')
  })

  it('reads plain and base64 kubeconfigs', () => {
    expect(buildConfig(from({ kubeconfig: KUBECONFIG })).kubeconfig).toBe(KUBECONFIG)
    const b64 = Buffer.from(KUBECONFIG).toString('base64')
    expect(buildConfig(from({ kubeconfig: b64 })).kubeconfig).toBe(KUBECONFIG)
    expect(buildConfig(from({ kubeconfig: b64.replace(/(.{60})/g, '$1\n') })).kubeconfig).toBe(
      KUBECONFIG
    )
  })

  it.each([
    ['garbage', 'not a kubeconfig at all !!'],
    ['base64 of garbage', Buffer.from('hello world, not yaml').toString('base64')]
  ])('rejects a %s kubeconfig without echoing it', (_, value) => {
    const [problem] = problems({ kubeconfig: value })
    expect(problem).toMatch(/^Input 'kubeconfig': not a kubeconfig; expected/)
    expect(problem).not.toContain(value)
  })

  it.each<[Partial<Record<InputName, string>>, RegExp]>([
    [
      { 'page-size': '0' },
      /'page-size': "0" is not valid; expected a whole number from 1 to 10000/
    ],
    [{ 'page-size': 'abc' }, /'page-size': "abc"/],
    [{ 'max-deletions': '-1' }, /'max-deletions': "-1"/],
    [{ 'min-restarts': '1e9' }, /'min-restarts'/],
    [
      { 'max-unhealthy-percent': '150' },
      /'max-unhealthy-percent': "150" is not valid; expected a percentage/
    ],
    [{ 'min-pod-age': 'soon' }, /'min-pod-age': "soon" is not valid; expected a duration/],
    [{ timeout: '5s' }, /'timeout': "5s"/],
    [{ 'dry-run': 'maybe' }, /'dry-run': "maybe" is not valid; expected true or false/],
    [{ 'dry-run': 'yes' }, /'dry-run'/],
    [{ mode: 'restart' }, /'mode': "restart" is not valid; expected one of delete, evict/],
    [{ 'fail-on': 'always' }, /'fail-on'/],
    [{ 'log-format': 'xml' }, /'log-format'/],
    [{ namespaces: 'Bad_NS' }, /'namespaces': "Bad_NS" is not valid; expected namespace names/],
    [{ namespaces: 'a,b', 'exclude-namespaces': 'b' }, /both list "b"/],
    [{ 'label-selector': 'app in (a,b' }, /'label-selector'.*unbalanced/],
    [{ 'label-selector': '=x' }, /'label-selector'/],
    [
      { 'delete-reasons': 'CrashLoopBakOff' },
      /unknown reason "CrashLoopBakOff" \(did you mean CrashLoopBackOff\?\)/
    ],
    [{ 'report-reasons': 'imagepullbackoff' }, /did you mean ImagePullBackOff/],
    [
      { 'request-timeout': '10m', timeout: '1m' },
      /'request-timeout' \(600s\) is longer than 'timeout' \(60s\)/
    ],
    [
      { 'realert-interval': 'often' },
      /'realert-interval': "often" is not valid; expected a duration/
    ],
    [
      { 'notify-resolved': 'maybe' },
      /'notify-resolved': "maybe" is not valid; expected true or false/
    ],
    [{ 'github-issues': 'yes' }, /'github-issues': "yes" is not valid; expected true or false/],
    [
      { 'github-issues': 'true' },
      /Input 'github-token' is empty; expected a token that may write issues .* when 'github-issues' is true/
    ],
    [
      { 'github-labels': 'x'.repeat(51) },
      /'github-labels': "x{51}" is not valid; expected label names of at most 50 characters/
    ],
    [{ 'github-labels': ' , ' }, /'github-labels': .* expected one or more label names/]
  ])('rejects %j', (inputs, expected) => {
    expect(problems(inputs).join('\n')).toMatch(expected)
  })

  it('reports every problem at once', () => {
    const all = problems({ 'page-size': 'x', mode: 'y', 'dry-run': 'z' })
    expect(all).toHaveLength(3)
    expect(() => buildConfig(from({ 'page-size': 'x', mode: 'y' }))).toThrow(/2 input errors/)
  })

  it("reports problems in action.yml's order, whatever the rule that found them", () => {
    expect(
      problems({ 'fail-on': 'x', 'request-timeout': '10m', timeout: '1m', 'page-size': 'y' }).map(
        p => /'([a-z-]+)'/.exec(p)?.[1]
      )
    ).toEqual(['page-size', 'fail-on', 'request-timeout'])
  })

  it('a bad value falls back to its default for the rules between inputs', () => {
    // timeout falls back to 8m, so request-timeout (10m) is not compared with "5s".
    expect(problems({ timeout: '5s', 'request-timeout': '7m' })).toEqual([
      `Input 'timeout': "5s" is not valid; expected a duration from 10s to 21600s, as seconds ("300") or with units ("90s", "5m", "1h30m").`
    ])
  })

  it('verify-timeout must be shorter than timeout, or auto', () => {
    expect(problems({ 'verify-timeout': '10m', timeout: '5m' })).toEqual([
      `Input 'verify-timeout' (600s) is not shorter than 'timeout' (300s); expected a verification budget within the run's timeout, or auto.`
    ])
    expect(
      buildConfig(from({ 'verify-timeout': 'auto', timeout: '1m' })).verifyTimeoutSeconds
    ).toBe('auto')
    expect(buildConfig(from({ 'verify-timeout': '0' })).verifyTimeoutSeconds).toBe(0)
  })

  it('a reason in delete-reasons leaves report-reasons', () => {
    const config = buildConfig(from({ 'delete-reasons': 'CrashLoopBackOff,ImagePullBackOff' }))
    expect(config.detect.deleteReasons.has('ImagePullBackOff')).toBe(true)
    expect(config.detect.reportReasons.has('ImagePullBackOff')).toBe(false)
  })

  it("'-' excludes no namespace; empty keeps the default", () => {
    expect([...buildConfig(from({ 'exclude-namespaces': '-' })).policy.excludeNamespaces]).toEqual(
      []
    )
    expect([...buildConfig(from({ 'exclude-namespaces': '' })).policy.excludeNamespaces]).toEqual([
      'kube-system'
    ])
  })

  it('parses lists with commas and newlines', () => {
    expect(buildConfig(from({ namespaces: 'a, b\nc\n' })).namespaces).toEqual(['a', 'b', 'c'])
  })

  it('incidents: realert-interval 4h, resolutions on, GitHub issues opt-in with a token', () => {
    const config = buildConfig(from({}))
    expect(config.realertIntervalSeconds).toBe(4 * 3600)
    expect(config.notify.notifyResolved).toBe(true)
    expect(config.notify.githubIssues).toBeUndefined()
    // Outside Actions the default is an unexpanded expression: no token.
    expect(buildConfig(from({ 'github-token': '${{ github.token }}' })).notify.githubIssues).toBe(
      undefined
    )
    expect(
      buildConfig(
        from({ 'github-issues': 'true', 'github-token': 'ghs_x', 'github-labels': 'ops, pc' })
      ).notify.githubIssues
    ).toEqual({ token: 'ghs_x', labels: ['ops', 'pc'] })
  })

  it('has a default for every input', () => {
    for (const value of Object.values(INPUT_DEFAULTS)) expect(typeof value).toBe('string')
  })
})

describe('input specs', () => {
  it('secrets: the kubeconfig and every credential of a channel', () => {
    expect(SECRET_INPUTS).toEqual([
      'kubeconfig',
      'bark-url',
      'bark-device-keys',
      'bark-encryption-key',
      'slack-webhook',
      'dingtalk-webhook',
      'dingtalk-secret',
      'webhook-url',
      'webhook-secret',
      'smtp-url',
      'pushgateway-url',
      'github-token'
    ])
  })

  it('flags: exactly the true/false inputs', () => {
    expect(BOOLEAN_INPUTS).toEqual(
      INPUT_SPECS.filter(spec => ['true', 'false'].includes(spec.default)).map(spec => spec.name)
    )
  })

  it('an enumeration defaults to one of its values', () => {
    for (const spec of INPUT_SPECS.filter(spec => spec.values))
      expect([spec.name, spec.values]).toEqual([spec.name, expect.arrayContaining([spec.default])])
  })

  it('every description and help line is one line of words', () => {
    for (const spec of INPUT_SPECS) {
      expect([spec.name, spec.description]).toEqual([spec.name, expect.stringMatching(/^\S.*\.$/)])
      expect([spec.name, spec.help]).toEqual([spec.name, expect.stringMatching(/^[^\n]{5,90}$/)])
    }
  })
})

describe('parseDuration', () => {
  it.each([
    ['300', 300],
    ['90s', 90],
    ['5m', 300],
    ['1h30m', 5400],
    ['1h', 3600],
    ['2m10s', 130],
    ['', undefined],
    ['5x', undefined],
    ['-5', undefined],
    ['m', undefined]
  ])('%s → %s', (raw, seconds) => expect(parseDuration(raw)).toBe(seconds))
})

describe('labelSelectorProblem', () => {
  it.each([
    'app=web',
    'app==web,tier!=db',
    'app in (a, b),!legacy',
    'example.com/team notin (x)',
    'release',
    'app='
  ])('accepts %s', s => expect(labelSelectorProblem(s)).toBeUndefined())
  it.each(['app in (a', 'a=b=c', ',', 'app=we b', 'bad key=x'])('rejects %s', s =>
    expect(labelSelectorProblem(s)).toBeDefined()
  )
})

describe('decodeKubeconfig', () => {
  it('empty stays empty', () => expect(decodeKubeconfig('  ')).toBe(''))
  it('JSON kubeconfig is accepted', () =>
    expect(decodeKubeconfig('{"apiVersion":"v1"}')).toBe('{"apiVersion":"v1"}'))
})
