// The fleet (pure parts): the expected clusters, totals and per-cluster rows, the one summary (a
// row per cluster, a "no result" row for every cluster without one, under 1 MiB whatever the
// fleet), the one digest per channel (most important first, Bark within 4 KB), and fail-on over
// the fleet saying what the Action says.
import { describe, expect, it } from '@jest/globals'
import { fleetFailure } from '../../src/app/aggregate.js'
import { failOnReason, type FailOn } from '../../src/domain/fail-on.js'
import {
  aggregateFleet,
  clusterRow,
  keepMostImportant,
  parseClusterList,
  type ClusterReport
} from '../../src/domain/fleet.js'
import type { CycleResult, PodRow } from '../../src/domain/result.js'
import { APNS_MAX_BYTES, APNS_RESERVED_BYTES, barkPayload } from '../../src/notify/channels/bark.js'
import { fleetItems, fleetShare, fleetTitle } from '../../src/notify/fleet.js'
import type { Notification } from '../../src/notify/types.js'
import {
  FLEET_SUMMARY_MAX_BYTES,
  fleetOutputs,
  renderFleetSummary
} from '../../src/report/fleet-summary.js'
import { result, row } from '../fixtures/result.js'

const crash = (pod: string, extra: Partial<PodRow> = {}) =>
  row({ namespace: 'shop', pod, uid: `uid-${pod}`, ...extra })
const notRecovered = (pod: string) =>
  crash(pod, { outcome: 'not-recovered', outcomeDetail: 'replacement CrashLoopBackOff (exit 1)' })
const reportOnly = (pod: string) =>
  crash(pod, {
    reason: 'ImagePullBackOff',
    status: 'ImagePullBackOff',
    exitCode: undefined,
    decision: 'report',
    detail: 'a delete cannot fix a missing image'
  })
const skipped = (pod: string) =>
  crash(pod, {
    owner: undefined,
    decision: 'skipped',
    detail: 'no controller would recreate it (bare pod)'
  })

const at = (context: string, pods: PodRow[], extra: Partial<CycleResult> = {}) =>
  result(pods, { cluster: { context, server: `https://${context}:6443` }, ...extra })

/** alpha: one pod deleted and not recovered; beta: report only + skipped; gamma: healthy; delta: no result. */
function fourClusters(): ClusterReport[] {
  return [
    { name: 'alpha', result: at('alpha-ctx', [notRecovered('web-1')], { durationMs: 21_300 }) },
    {
      name: 'beta',
      result: at('beta-ctx', [skipped('debug'), reportOnly('api-1')], { podsScanned: 40 })
    },
    { name: 'gamma', result: at('gamma-ctx', [], { podsScanned: 7, durationMs: 800 }) },
    { name: 'delta', missing: 'no result: the job failed, timed out or was cancelled' }
  ]
}

describe('the clusters to expect', () => {
  it.each([
    ['[{"name":"prod-eu","kubeconfig-secret":"K"},{"name":"staging"}]', ['prod-eu', 'staging']],
    ['["a", "b.c"]', ['a', 'b.c']],
    ['a, b\nc', ['a', 'b', 'c']]
  ])('%s', (text, names) => {
    expect(parseClusterList(text)).toEqual({ names })
  })

  it.each([
    ['', ['empty; expected a JSON list like [{"name": "prod"}], or names']],
    ['[]', ['lists no cluster; expected at least one']],
    ['{"name":"x"}', ['not a JSON list; expected [{"name": …}, …]']],
    [
      '[{"name":"a"},{"name":"a"},{"name":"../x"},{}]',
      [
        'entry 2: "a" is listed twice',
        "entry 3: name \"../x\" is not valid; expected letters, digits, '.', '_' or '-' (at most 63, starting with a letter or digit)",
        "entry 4: name null is not valid; expected letters, digits, '.', '_' or '-' (at most 63, starting with a letter or digit)"
      ]
    ]
  ])('refuses %j, saying why', (text, problems) => {
    expect(parseClusterList(text)).toEqual({ problems })
  })

  it('at most 256, a matrix’s limit', () => {
    const names = Array.from({ length: 257 }, (_, i) => `c${i}`)
    expect(parseClusterList(names.join(','))).toEqual({
      problems: ["lists 257 clusters; expected at most 256 (a matrix's limit)"]
    })
  })
})

describe('totals and rows', () => {
  const fleet = aggregateFleet('fleet', fourClusters())

  it('adds up the clusters that reported, and counts the ones that did not', () => {
    expect(fleet.totals).toEqual({
      clusters: 4,
      reported: 3,
      missing: 1,
      podsScanned: 1200 + 40 + 7,
      unhealthy: 3,
      deleted: 1,
      skipped: 1,
      failed: 0,
      reportOnly: 1,
      recovered: 0,
      unrecovered: 1,
      openIncidents: null,
      errors: 0,
      breakersTripped: 0,
      durationMs: 21_300
    })
  })

  it('a row per cluster, a clear no-result row included', () => {
    expect(clusterRow(fleet.clusters[3] as ClusterReport)).toEqual({
      name: 'delta',
      status: 'no-result',
      reason: 'no result: the job failed, timed out or was cancelled',
      podsScanned: null,
      unhealthy: null,
      deleted: null,
      unrecovered: null,
      recovered: null,
      failed: null,
      reportOnly: null,
      skipped: null,
      openIncidents: null,
      errors: null,
      breakerTripped: null,
      durationMs: null
    })
    const outputs = fleetOutputs(fleet)
    expect(JSON.parse(outputs.clusters as string).map((c: { status: string }) => c.status)).toEqual(
      ['reported', 'reported', 'reported', 'no-result']
    )
    expect(outputs).toMatchObject({
      'cluster-count': '4',
      'reported-count': '3',
      'missing-count': '1',
      'missing-clusters': 'delta',
      'pods-scanned': '1247',
      'unhealthy-count': '3',
      'unrecovered-count': '1'
    })
  })

  it('open incidents only from clusters that remember them', () => {
    const remembering = at('eps', [], {
      incidents: { remembered: true, changes: [], open: [] }
    })
    const withIncidents = aggregateFleet('f', [
      ...fourClusters(),
      { name: 'eps', result: remembering }
    ])
    expect(withIncidents.totals.openIncidents).toBe(0)
    expect(clusterRow({ name: 'eps', result: remembering }).openIncidents).toBe(0)
    expect(clusterRow(fourClusters()[0] as ClusterReport).openIncidents).toBeNull()
  })
})

describe('a large cluster keeps its most important findings', () => {
  it('the first 100 by importance, its counts whole, how many were dropped', () => {
    const pods = [
      ...Array.from({ length: 150 }, (_, i) => skipped(`s${i}`)),
      notRecovered('worst'),
      reportOnly('fix-me')
    ]
    const { result: kept, omitted } = keepMostImportant(at('big', pods))
    expect(omitted).toBe(52)
    expect(kept.pods).toHaveLength(100)
    expect(kept.pods.slice(0, 3).map(p => p.pod)).toEqual(['worst', 'fix-me', 's0'])
    expect(kept.counts).toEqual(at('big', pods).counts)
    const small = at('small', [crash('a')])
    expect(keepMostImportant(small)).toEqual({ result: small, omitted: 0 })
    // The summary and the digest still count every finding.
    const fleet = aggregateFleet('f', [{ name: 'big', result: kept, omitted }])
    expect(renderFleetSummary(fleet)).toContain('+142 more findings: see the cluster')
    expect(fleetItems(fleet)).toContainEqual({
      cluster: 'big',
      line: 'big: +52 more findings (see the fleet summary)',
      severity: 'warning',
      quiet: false
    })
  })
})

describe('the fleet summary', () => {
  const md = renderFleetSummary(aggregateFleet('fleet', fourClusters()))
  const lines = md.split('\n')

  it('a headline, the missing cluster called out, a row per cluster and the totals', () => {
    expect(lines.slice(0, 7)).toEqual([
      '## Pod Cleaner fleet — fleet: 4 clusters',
      '',
      '**3 of 4 clusters reported · 1 without a result · 3 unhealthy · 1 deleted · 1 not recovered · 1 report only · 1 skipped · 0 failed**',
      '',
      '> [!CAUTION]',
      '> **delta**: no result: the job failed, timed out or was cancelled',
      ''
    ])
    const table = lines.slice(
      lines.indexOf(
        '| Cluster | Context | Scanned | Broken | Deleted | Not recovered | Duration | Notes |'
      )
    )
    expect(table.slice(0, 7)).toEqual([
      '| Cluster | Context | Scanned | Broken | Deleted | Not recovered | Duration | Notes |',
      '|---|---|--:|--:|--:|--:|--:|---|',
      '| alpha | alpha-ctx | 1,200 | 1 | 1 | 1 | 21.3 s |  |',
      '| beta | beta-ctx | 40 | 2 | 0 | 0 | 1.2 s |  |',
      '| gamma | gamma-ctx | 7 | 0 | 0 | 0 | 800 ms |  |',
      '| **delta** | — | — | — | — | — | — | **no result: the job failed, timed out or was cancelled** |',
      '| **Total** | 3 of 4 | 1,247 | 3 | 1 | 1 | 21.3 s (longest) | |'
    ])
  })

  it('then each reported cluster’s findings, most important first', () => {
    const beta = lines.slice(lines.indexOf('### beta — beta-ctx'))
    expect(beta.slice(0, 7)).toEqual([
      '### beta — beta-ctx',
      '',
      '2 unhealthy · 0 deleted · 1 report only · 1 skipped · 0 failed',
      '',
      '| Namespace | Pod | Owner | Reason | Cause | Decision | Recovery |',
      '|---|---|---|---|---|---|---|',
      '| shop | api-1 | ReplicaSet/web-7d9f8 | ImagePullBackOff | — | report only: a delete cannot fix a missing image | — |'
    ])
    expect(md).toContain('### gamma — gamma-ctx\n\n0 unhealthy')
    expect(md).toContain('All pods in scope are healthy.')
    expect(md).not.toContain('### delta')
  })

  it('shows open incidents when a cluster remembers them', () => {
    const reports = fourClusters()
    reports[2] = {
      name: 'gamma',
      result: at('gamma-ctx', [], { incidents: { remembered: true, changes: [], open: [] } })
    }
    expect(renderFleetSummary(aggregateFleet('fleet', reports))).toContain(
      '| Cluster | Context | Scanned | Broken | Deleted | Not recovered | Open incidents | Duration | Notes |'
    )
  })

  it('256 clusters of 1,000 findings each stay under 1 MiB, every cluster with a row', () => {
    const pods = Array.from({ length: 1000 }, (_, i) =>
      crash(`web-${i}-${'x'.repeat(40)}`, { cause: 'exits 1: '.padEnd(300, 'e') })
    )
    const reports: ClusterReport[] = Array.from({ length: 256 }, (_, i) =>
      i % 50 === 7
        ? { name: `c${i}`, missing: 'no result: the job failed, timed out or was cancelled' }
        : { name: `c${i}`, result: at(`ctx-${i}`, pods) }
    )
    const text = renderFleetSummary(aggregateFleet('big', reports))
    expect(Buffer.byteLength(text)).toBeLessThanOrEqual(FLEET_SUMMARY_MAX_BYTES)
    for (const report of reports)
      expect(text).toContain(`| ${report.missing ? `**${report.name}**` : report.name} |`)
    // Fewer findings per cluster, and it says where the rest are.
    expect(text).toContain('more findings: see the cluster')
  })

  it('cuts at a line when even the table does not fit', () => {
    const text = renderFleetSummary(aggregateFleet('fleet', fourClusters()), 600)
    expect(Buffer.byteLength(text)).toBeLessThanOrEqual(600)
    expect(text).toContain('cut to stay under GitHub’s 1 MiB step-summary limit')
  })
})

describe('the fleet digest', () => {
  const fleet = aggregateFleet('fleet', fourClusters())

  it('most important first: the missing cluster, then by severity, cluster by cluster', () => {
    expect(fleetItems(fleet).map(i => [i.severity, i.line])).toEqual([
      ['critical', 'delta: no result: the job failed, timed out or was cancelled'],
      [
        'critical',
        'alpha: shop/web-1 · CrashLoopBackOff · exit 1 · deleted · not recovered: replacement CrashLoopBackOff (exit 1)'
      ],
      [
        'warning',
        'beta: shop/api-1 · ImagePullBackOff · report only: a delete cannot fix a missing image'
      ],
      [
        'info',
        'beta: shop/debug · CrashLoopBackOff · exit 1 · skipped: no controller would recreate it (bare pod)'
      ]
    ])
    expect(fleetTitle(fleet)).toBe(
      'Pod Cleaner fleet: 1 without a result, 1 deleted, 1 not recovered, 1 need a fix — fleet (4 clusters)'
    )
  })

  it('each channel gets what reaches its min severity', () => {
    const share = fleetShare(fleet, {})
    const critical = share({ minSeverity: 'critical' }) as Notification
    expect(critical.lines).toHaveLength(2)
    expect(critical.severity).toBe('critical')
    expect((share({ minSeverity: 'info' }) as Notification).lines).toHaveLength(4)
    expect(share({ minSeverity: 'info', receives: 'records' })).toBe(
      "incident records are kept by each cluster's run"
    )
    const healthy = fleetShare(aggregateFleet('f', [{ name: 'g', result: at('g', []) }]))
    expect(healthy({ minSeverity: 'warning' })).toBe(
      'nothing to tell: every cluster is healthy and unchanged'
    )
    const quiet = fleetShare(aggregateFleet('f', [{ name: 'b', result: at('b', [skipped('x')]) }]))
    expect(quiet({ minSeverity: 'warning' })).toBe('nothing at or above its min severity (warning)')
  })

  it('as one Bark push of at most 4 KB, cut by whole lines, the fleet as its group', () => {
    const pods = Array.from({ length: 1000 }, (_, i) => notRecovered(`web-${i}`))
    const big = aggregateFleet(
      'fleet',
      Array.from({ length: 256 }, (_, i) => ({ name: `c${i}`, result: at(`ctx${i}`, pods) }))
    )
    const n = fleetShare(big)({ minSeverity: 'warning' }) as Notification
    const payload = barkPayload(n, {
      server: 'https://bark.example',
      deviceKeys: ['k'],
      critical: false,
      minSeverity: 'warning'
    })
    // What APNs carries: everything but the device key, plus bark-server's own fields.
    const fields = Object.fromEntries(Object.entries(payload).filter(([k]) => k !== 'device_key'))
    expect(Buffer.byteLength(JSON.stringify(fields)) + APNS_RESERVED_BYTES).toBeLessThanOrEqual(
      APNS_MAX_BYTES
    )
    expect(payload.group).toBe('pod-cleaner-fleet')
    const body = String(payload.body).split('\n')
    expect(body[0]).toBe(
      'c0: shop/web-0 · CrashLoopBackOff · exit 1 · deleted · not recovered: replacement CrashLoopBackOff (exit 1)'
    )
    expect(body.at(-1)).toMatch(/^\+\d+ more$/)
  })
})

describe('fail-on over the fleet', () => {
  const samples: CycleResult[] = [
    result([]),
    result([crash('a')]),
    result([notRecovered('a')], {}),
    result([crash('a', { decision: 'failed' })], { mode: 'evict' }),
    result([], { errors: ['listing failed'] }),
    result([reportOnly('b')], {
      breaker: { tripped: true, unhealthy: 9, podsInScope: 10, percent: 90, limitPercent: 30 }
    })
  ]
  const levels: FailOn[] = ['never', 'error', 'unrecovered', 'unhealthy']
  // What each sample fails under each level (the Action and the fleet share this one rule).
  const expected: Array<Array<string | undefined>> = [
    [undefined, undefined, undefined, undefined],
    [undefined, undefined, undefined, '1 unhealthy pod(s) found'],
    [undefined, undefined, '1 pod(s) did not recover', '1 unhealthy pod(s) found'],
    [
      undefined,
      '1 pod(s) could not be evicted',
      '1 pod(s) could not be evicted',
      '1 pod(s) could not be evicted; 1 unhealthy pod(s) found'
    ],
    [undefined, 'listing failed', 'listing failed', 'listing failed'],
    [
      undefined,
      'circuit breaker tripped',
      'circuit breaker tripped',
      'circuit breaker tripped; 1 unhealthy pod(s) found'
    ]
  ]

  it('fail-on: each level fails exactly what it names', () => {
    const got = samples.map(r => levels.map(level => failOnReason(r, level)))
    expect(got).toEqual(expected)
  })

  it('a cluster without a result fails the fleet unless fail-on is never', () => {
    const fleet = aggregateFleet('fleet', fourClusters())
    expect(fleetFailure(fleet, 'never')).toBeUndefined()
    expect(fleetFailure(fleet, 'error')).toBe(
      'delta: no result: the job failed, timed out or was cancelled'
    )
    expect(fleetFailure(fleet, 'unrecovered')).toBe(
      'alpha: 1 pod(s) did not recover; delta: no result: the job failed, timed out or was cancelled'
    )
  })
})
