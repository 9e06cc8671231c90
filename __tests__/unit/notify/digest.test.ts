// The digest: one line per incident change, most important first; per channel, the changes its
// min severity lets through (a resolution routed like its incident), nothing when nothing changed.
import { describe, expect, it } from '@jest/globals'
import { incidentChanges, type Incident } from '../../../src/domain/incidents.js'
import { observeRun } from '../../../src/domain/run-observation.js'
import type { CycleResult, PodRow } from '../../../src/domain/result.js'
import {
  channelDigest,
  cleanupCount,
  digestItems,
  digestNotification
} from '../../../src/notify/digest.js'
import { ordinal, spanText } from '../../../src/report/format.js'
import { createNotifier } from '../../../src/notify/notifier.js'
import type { Channel, Notification, Severity } from '../../../src/notify/types.js'
import { result, row } from '../../fixtures/result.js'

const T0 = Date.parse('2026-11-28T12:00:00.000Z')
const web = { kind: 'ReplicaSet', name: 'web-7d9f8b6c4d', uid: 'rs-web' }
const api = { kind: 'ReplicaSet', name: 'api-5c6b7d8f9', uid: 'rs-api' }

/** Plays runs through the real incident rules: each run's result carries its changes. */
function day(runs: Array<{ minute: number; pods: PodRow[]; extra?: Partial<CycleResult> }>) {
  let incidents: Record<string, Incident> = {}
  return runs.map(({ minute, pods, extra }) => {
    const r = result(pods, { startedAt: new Date(T0 + minute * 60_000).toISOString(), ...extra })
    const out = incidentChanges(incidents, observeRun(r), new Date(Date.parse(r.startedAt)), {
      realertIntervalSeconds: 4 * 3600
    })
    incidents = out.incidents
    r.incidents = { remembered: true, changes: out.changes, open: [] }
    return r
  })
}

const crash = (extra: Partial<PodRow> = {}) =>
  row({ pod: 'web-7d9f8b6c4d-x1', owner: web, cause: 'exits 1 after 3 s', ...extra })
const missingImage = row({
  pod: 'api-5c6b7d8f9-y2',
  owner: api,
  reason: 'ImagePullBackOff',
  status: 'ImagePullBackOff',
  exitCode: undefined,
  decision: 'report',
  cause: 'image not found: registry.example/api:9'
})
const lines = (r: CycleResult) => digestItems(r).map(i => i.line)

describe('digest lines', () => {
  it('words every kind of change', () => {
    const runs = day([
      { minute: 0, pods: [crash({ outcome: 'recovered', recoveredInMs: 900 }), missingImage] },
      {
        minute: 10,
        pods: [crash({ outcome: 'not-recovered', outcomeDetail: 'CrashLoopBackOff' }), missingImage]
      },
      {
        minute: 20,
        pods: [crash({ outcome: 'not-recovered', outcomeDetail: 'CrashLoopBackOff' }), missingImage]
      },
      { minute: 250, pods: [crash({ decision: 'given-up', detail: 'gave up' }), missingImage] },
      { minute: 260, pods: [] }
    ])
    expect(runs.map(lines)).toEqual([
      [
        'New: Deployment shop/web: shop/web-7d9f8b6c4d-x1 · CrashLoopBackOff · exit 1 · exits 1 after 3 s · deleted · recovered in 900 ms',
        'New: Deployment shop/api: shop/api-5c6b7d8f9-y2 · ImagePullBackOff · image not found: registry.example/api:9 · report only'
      ],
      [
        'Worse (not recovered): Deployment shop/web, 2nd cleanup in 10 m: shop/web-7d9f8b6c4d-x1 · CrashLoopBackOff · exit 1 · exits 1 after 3 s · deleted · not recovered: CrashLoopBackOff'
      ],
      [
        'Again: Deployment shop/web, 3rd cleanup in 20 m: shop/web-7d9f8b6c4d-x1 · CrashLoopBackOff · exit 1 · exits 1 after 3 s · deleted · not recovered: CrashLoopBackOff'
      ],
      [
        'Worse (given up): Deployment shop/web, 3rd cleanup in 4 h 10 m: shop/web-7d9f8b6c4d-x1 · CrashLoopBackOff · exit 1 · exits 1 after 3 s · given up: gave up',
        'Still open for 4 h 10 m: Deployment shop/api, 0 cleanups possible: image not found: registry.example/api:9'
      ],
      [
        'Resolved: Deployment shop/web healthy again after 4 h 20 m (3 cleanups)',
        'Resolved: Deployment shop/api healthy again after 4 h 20 m'
      ]
    ])
  })

  it('a give-up this run quotes its escalation; breaker and errors are run-wide lines', () => {
    const [r] = day([
      {
        minute: 0,
        pods: [crash({ outcome: 'not-recovered' })],
        extra: {
          escalations: [
            {
              namespace: 'shop',
              owner: { kind: 'ReplicaSet', name: web.name },
              unrecovered: 3,
              firstSeenBroken: 'x',
              message: 'Gave up on ReplicaSet/web-7d9f8b6c4d in shop: …'
            }
          ],
          breaker: { tripped: true, unhealthy: 12, podsInScope: 40, percent: 30, limitPercent: 25 },
          errors: ['listing failed: connection reset']
        }
      }
    ])
    expect(lines(r as CycleResult)).toEqual([
      'Circuit breaker tripped: 12 of 40 pods broken (30%, limit 25%); nothing was deleted',
      'Error: listing failed: connection reset',
      'Given up: Gave up on ReplicaSet/web-7d9f8b6c4d in shop: …'
    ])
  })

  it('spans, ordinals and cleanup counts', () => {
    expect([45_000, 12 * 60_000, 250 * 60_000, 240 * 60_000, 51 * 3600_000].map(spanText)).toEqual([
      '45 s',
      '12 m',
      '4 h 10 m',
      '4 h',
      '2 d 3 h'
    ])
    expect([1, 2, 3, 4, 11, 12, 13, 21, 22, 101].map(ordinal)).toEqual([
      '1st',
      '2nd',
      '3rd',
      '4th',
      '11th',
      '12th',
      '13th',
      '21st',
      '22nd',
      '101st'
    ])
    const runs = day([{ minute: 0, pods: [crash()] }])
    expect(cleanupCount((runs[0] as CycleResult).incidents.changes[0]!, T0)).toBe('1st cleanup')
  })
})

describe('channelDigest', () => {
  const runs = day([
    { minute: 0, pods: [crash({ outcome: 'not-recovered' }), missingImage] },
    { minute: 10, pods: [] }
  ])
  const [opened, resolved] = runs as [CycleResult, CycleResult]
  const share = (
    r: CycleResult,
    minSeverity: Severity,
    notifyResolved = true,
    receives?: Channel['receives']
  ) =>
    channelDigest(
      r,
      digestItems(r),
      { minSeverity, receives },
      { runUrl: 'https://x/run' },
      { notifyResolved }
    )

  it('a channel gets the changes its min severity lets through, critical first', () => {
    const all = share(opened, 'warning') as Notification
    expect(all).toMatchObject({
      severity: 'critical',
      runUrl: 'https://x/run',
      title: 'Pod Cleaner: 2 new — prod'
    })
    expect(all.lines.map(l => l.slice(0, 27))).toEqual([
      'New: Deployment shop/web: s',
      'New: Deployment shop/api: s'
    ])
    const pager = share(opened, 'critical') as Notification
    expect(pager.lines).toHaveLength(1)
    expect(pager.changes?.map(c => c.incident.kind)).toEqual(['crash-loop'])
  })

  it('resolutions are quiet (info) and routed by their incident’s severity', () => {
    const n = share(resolved, 'critical') as Notification
    expect(n).toMatchObject({ severity: 'info', title: 'Pod Cleaner: 1 resolved — prod' })
    expect((share(resolved, 'warning') as Notification).lines).toHaveLength(2)
    expect(share(resolved, 'warning', false)).toBe(
      'no change at or above its min severity (warning) (notify-resolved is off)'
    )
  })

  it('nothing changed: nothing sent, except to every-run channels', () => {
    const [quiet] = day([{ minute: 0, pods: [] }]) as [CycleResult]
    expect(share(quiet, 'info')).toBe('no incident changed')
    expect(share(quiet, 'info', true, 'every-run')).toMatchObject({ severity: 'info', lines: [] })
  })

  it('digestNotification: warning when only warning changes', () => {
    const [r] = day([{ minute: 0, pods: [missingImage] }]) as [CycleResult]
    expect(digestNotification(r, digestItems(r)).severity).toBe('warning')
  })
})

describe('the notifier', () => {
  function recorder(name: string, minSeverity: Severity, receives?: Channel['receives']) {
    const got: Notification[] = []
    const channel: Channel = {
      name,
      minSeverity,
      receives,
      async send(n) {
        got.push(n)
        return { attempts: 1 }
      }
    }
    return { channel, got }
  }

  it('with incidents: one digest per channel, nothing on a run without changes', async () => {
    const bark = recorder('bark', 'warning')
    const metrics = recorder('pushgateway', 'info', 'every-run')
    const notifier = createNotifier(
      {},
      { budgetMs: 1000, channels: [bark.channel, metrics.channel] }
    )
    const [first, second] = day([
      { minute: 0, pods: [missingImage] },
      { minute: 10, pods: [missingImage] }
    ]) as [CycleResult, CycleResult]
    expect((await notifier.send(first)).map(o => o.status)).toEqual(['sent', 'sent'])
    const quiet = await notifier.send(second)
    expect(quiet.map(o => [o.status, o.detail])).toEqual([
      ['skipped', 'no incident changed'],
      ['sent', undefined]
    ])
    expect(bark.got).toHaveLength(1)
  })

  it('without a state file: the whole run, every run, as before', async () => {
    const bark = recorder('bark', 'warning')
    const notifier = createNotifier({}, { budgetMs: 1000, channels: [bark.channel] })
    const r = result([missingImage])
    await notifier.send(r)
    await notifier.send(r)
    expect(bark.got.map(n => n.title)).toEqual([
      'Pod Cleaner: 1 need a fix — prod',
      'Pod Cleaner: 1 need a fix — prod'
    ])
  })
})
