import { describe, expect, it } from '@jest/globals'
import { annotations } from '../../src/report/annotations.js'
import { escapeCell, formatAge } from '../../src/report/format.js'
import { outputs, resultJson } from '../../src/report/outputs.js'
import { renderSummary } from '../../src/report/summary.js'
import { renderTable } from '../../src/report/table.js'
import { result, row } from '../fixtures/result.js'

describe('renderSummary', () => {
  it('has a headline with totals, scope and duration, and one row per finding', () => {
    const md = renderSummary(
      result([
        row(),
        row({
          pod: 'img-1',
          status: 'ImagePullBackOff',
          reason: 'ImagePullBackOff',
          exitCode: undefined,
          decision: 'report',
          detail: 'ImagePullBackOff: a delete cannot fix it'
        }),
        row({
          pod: 'bare',
          owner: undefined,
          decision: 'skipped',
          detail: 'no controller would recreate it (bare pod)'
        })
      ])
    )
    expect(md).toContain('## Pod Cleaner — prod')
    expect(md).toContain('**3 unhealthy · 1 deleted · 1 report only · 1 skipped · 0 failed**')
    expect(md).toContain(
      'Scanned 1,200 pods in 3 pages (all namespaces, excluding kube-system) in 1.2 s'
    )
    expect(md).toContain(
      '| shop | web-1 | ReplicaSet/web-7d9f8 | app | CrashLoopBackOff | 1 | 7 | 1h2m | — | — | deleted | — |'
    )
    expect(md).toContain(
      '| shop | bare | — | app | CrashLoopBackOff | 1 | 7 | 1h2m | — | — | skipped: no controller would recreate it (bare pod) | — |'
    )
  })

  it('escapes everything that comes from the cluster', () => {
    const md = renderSummary(
      result([row({ pod: '<img src=x onerror=alert(1)>', detail: 'a|b', decision: 'failed' })])
    )
    expect(md).not.toContain('<img')
    expect(md).toContain('&lt;img src=x onerror=alert(1)&gt;')
    expect(md).toContain('failed: a&#124;b')
  })

  it('says when all is well, and shows the breaker and errors', () => {
    expect(renderSummary(result([]))).toContain('All pods in scope are healthy.')
    const tripped = renderSummary(
      result([], {
        breaker: { tripped: true, unhealthy: 40, podsInScope: 100, percent: 40, limitPercent: 30 },
        errors: ['403 Forbidden: nope']
      })
    )
    expect(tripped).toContain('Circuit breaker tripped: 40 of 100 pods in scope (40%)')
    expect(tripped).toContain('> 403 Forbidden: nope')
  })

  it.each([
    [
      'a confirmed identity and where its credential came from',
      {
        identity: {
          username: 'github:acme/shop',
          groups: ['ci', 'system:authenticated'],
          confirmed: true
        },
        credentials: 'GitHub OIDC token (audience "k8s")'
      },
      'Acted as `github:acme/shop` (groups: ci) · credentials: GitHub OIDC token (audience &quot;k8s&quot;).'
    ],
    [
      'an identity the cluster would not confirm',
      {
        identity: { username: 'deployer', groups: [], confirmed: false },
        credentials: 'token from input'
      },
      'Acted as kubeconfig user `deployer` (not confirmed: the cluster did not answer a SelfSubjectReview) · credentials: token from input.'
    ]
  ])('says who ran: %s', (_what, login, line) => {
    const r = result([])
    r.cluster = { ...r.cluster, ...login }
    expect(renderSummary(r).split('\n')).toContain(line)
  })

  it('says nothing about identity when the result has none (saved before it existed)', () => {
    expect(renderSummary(result([]))).not.toContain('Acted as')
  })

  it('marks dry runs', () => {
    const md = renderSummary(
      result([row({ decision: 'would-delete', detail: 'server-side dry run' })], { dryRun: true })
    )
    expect(md).toContain('(dry run)')
    expect(md).toContain('1 would delete')
  })
})

describe('outputs and result JSON', () => {
  it('sets every count and a parseable result', () => {
    const out = outputs(result([row(), row({ decision: 'failed', detail: 'x' })]))
    expect(out).toMatchObject({
      'unhealthy-count': '2',
      'deleted-count': '1',
      'failed-count': '1',
      'skipped-count': '0',
      'report-only-count': '0'
    })
    expect(JSON.parse(out.result as string).pods).toHaveLength(2)
  })

  it('drops rows to fit the output cap and says how many', () => {
    const many = result(Array.from({ length: 2000 }, (_, i) => row({ pod: `p-${i}` })))
    const json = resultJson(many, 100_000)
    expect(Buffer.byteLength(json)).toBeLessThanOrEqual(100_000)
    const parsed = JSON.parse(json)
    expect(parsed.pods.length + parsed.podsTruncated).toBe(2000)
    expect(parsed.counts.unhealthy).toBe(2000)
  })
})

describe('annotations', () => {
  it('warns per report-only finding and errors per failure', () => {
    const list = annotations(
      result([
        row({ decision: 'report', status: 'ImagePullBackOff', message: 'Back-off pulling image' }),
        row({ pod: 'x', decision: 'failed', detail: '403 Forbidden' }),
        row({ pod: 'ok' })
      ])
    )
    expect(list).toEqual([
      {
        level: 'warning',
        title: 'Pod Cleaner: shop/web-1 needs a fix a delete cannot make',
        message: 'ImagePullBackOff in container app: Back-off pulling image'
      },
      { level: 'error', title: 'Pod Cleaner: could not delete shop/x', message: '403 Forbidden' }
    ])
  })
})

describe('formatting', () => {
  it.each([
    [5, '5s'],
    [120, '2m'],
    [3600, '1h'],
    [3720, '1h2m'],
    [90000, '1d1h']
  ])('formatAge(%d) = %s', (s, text) => expect(formatAge(s)).toBe(text))
  it('escapes HTML and pipes', () =>
    expect(escapeCell(`<a href="x">'|'</a>\n`)).toBe(
      '&lt;a href=&quot;x&quot;&gt;&#39;&#124;&#39;&lt;/a&gt; '
    ))
  it('renders an aligned text table', () => {
    const table = renderTable([
      row(),
      row({ namespace: 'a-much-longer-namespace', pod: 'p' })
    ]).split('\n')
    expect(table[0]).toMatch(/^NAMESPACE\s+POD\s+OWNER/)
    expect(table[1]?.indexOf('web-1')).toBe(table[0]?.indexOf('POD'))
  })
})
