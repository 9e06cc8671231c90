// The incident rules, table-driven: each case is a short history of runs (what each run saw) and
// the change each run makes. Times are minutes from T0; realert-interval is 4 h unless told.
import { describe, expect, it } from '@jest/globals'
import {
  fingerprintOf,
  incidentChanges,
  openIncidents,
  workloadOf,
  type Incident,
  type RunObservation,
  type Sighting
} from '../../src/domain/incidents.js'
import { observeRun } from '../../src/domain/run-observation.js'
import { result, row } from '../fixtures/result.js'

const T0 = Date.parse('2026-11-28T00:00:00Z')
const at = (minutes: number) => new Date(T0 + minutes * 60_000)
const web = { kind: 'Deployment', name: 'web' }
const FP = fingerprintOf('crash-loop', 'prod', 'shop', web)

function sighting(extra: Partial<Sighting> = {}): Sighting {
  return {
    fingerprint: FP,
    kind: 'crash-loop',
    namespace: 'shop',
    workload: web,
    severity: 'warning',
    stage: 'open',
    cleanups: 0,
    notable: true,
    ...extra
  }
}

/** One run: the sightings (none = healthy), where it looked, whether it completed. */
interface RunStep {
  minute: number
  saw?: Partial<Sighting>[]
  scanned?: '*' | string[]
  complete?: boolean
}

function play(steps: RunStep[], realertMinutes = 240) {
  let incidents: Record<string, Incident> = {}
  const perRun: string[][] = []
  for (const step of steps) {
    const run: RunObservation = {
      cluster: 'prod',
      sightings: (step.saw ?? []).map(sighting),
      scanned: step.scanned === undefined || step.scanned === '*' ? '*' : new Set(step.scanned),
      complete: step.complete ?? true
    }
    const out = incidentChanges(incidents, run, at(step.minute), {
      realertIntervalSeconds: realertMinutes * 60
    })
    incidents = out.incidents
    perRun.push(out.changes.map(c => c.kind))
  }
  return { incidents, perRun }
}

const broken = (extra: Partial<Sighting> = {}) => [extra]
const cleaned = (n = 1, extra: Partial<Sighting> = {}) => [{ cleanups: n, ...extra }]

describe('incidentChanges: what each run says', () => {
  it.each<[string, RunStep[], string[][], number?]>([
    ['a healthy run with no incident says nothing', [{ minute: 0 }], [[]]],
    [
      'a crash loop one delete heals: opened, then resolved',
      [{ minute: 0, saw: cleaned() }, { minute: 10 }, { minute: 20 }],
      [['opened'], ['resolved'], []]
    ],
    [
      'every further cleanup is said; staying open is silent until realert-interval',
      [
        { minute: 0, saw: cleaned() },
        { minute: 10, saw: cleaned() },
        { minute: 20, saw: broken() },
        { minute: 230, saw: broken() },
        { minute: 250, saw: broken() },
        { minute: 260, saw: broken() },
        { minute: 490, saw: broken() }
      ],
      [['opened'], ['cleanup'], [], [], ['reminder'], [], ['reminder']]
    ],
    [
      'a cleanup resets the reminder clock',
      [
        { minute: 0, saw: broken() },
        { minute: 200, saw: cleaned() },
        { minute: 250, saw: broken() },
        { minute: 440, saw: broken() }
      ],
      [['opened'], ['cleanup'], [], ['reminder']]
    ],
    [
      'severity rises: not recovered, then given up; falling back says nothing',
      [
        { minute: 0, saw: cleaned() },
        { minute: 10, saw: cleaned(1, { stage: 'not-recovered', severity: 'critical' }) },
        { minute: 20, saw: cleaned(1, { stage: 'given-up', severity: 'critical' }) },
        { minute: 30, saw: broken({ stage: 'open' }) }
      ],
      [['opened'], ['escalated'], ['escalated'], []]
    ],
    [
      'an unfixable failure whose cause changes is one incident with a change',
      [
        { minute: 0, saw: broken({ kind: 'unfixable', cause: 'missing Secret a' }) },
        { minute: 10, saw: broken({ kind: 'unfixable', cause: 'missing Secret a' }) },
        { minute: 20, saw: broken({ kind: 'unfixable', cause: 'image not found: x' }) }
      ],
      [['opened'], [], ['changed']]
    ],
    [
      'a crash loop’s cause text changing (timings, log lines) is not a change',
      [
        { minute: 0, saw: broken({ cause: 'exits 1 after 3 s' }) },
        { minute: 10, saw: broken({ cause: 'exits 1 after 4 s' }) }
      ],
      [['opened'], []]
    ],
    [
      'skipped pods keep an incident open but never open one',
      [
        { minute: 0, saw: broken({ notable: false }) },
        { minute: 10, saw: cleaned() },
        { minute: 20, saw: broken({ notable: false }) }
      ],
      [[], ['opened'], []]
    ],
    [
      'nothing resolves in a run that did not complete, or did not look at the namespace',
      [
        { minute: 0, saw: cleaned() },
        { minute: 10, complete: false },
        { minute: 20, scanned: ['other'] },
        { minute: 30, scanned: ['shop'] }
      ],
      [['opened'], [], [], ['resolved']]
    ],
    [
      'a relapse within a day reopens the incident',
      [
        { minute: 0, saw: cleaned() },
        { minute: 10 },
        { minute: 20, saw: cleaned() },
        { minute: 30 }
      ],
      [['opened'], ['resolved'], ['opened'], ['resolved']]
    ],
    [
      'realert-interval 0 reminds every run',
      [
        { minute: 0, saw: broken() },
        { minute: 10, saw: broken() },
        { minute: 20, saw: broken() }
      ],
      [['opened'], ['reminder'], ['reminder']],
      0
    ]
  ])('%s', (...[, steps, expected, realert]) => {
    expect(play(steps, realert).perRun).toEqual(expected)
  })
})

describe('incidentChanges: what incidents remember', () => {
  it('counts cleanups, keeps the peak severity and says when it opened', () => {
    const { incidents } = play([
      { minute: 0, saw: cleaned() },
      { minute: 10, saw: cleaned(1, { stage: 'not-recovered', severity: 'critical' }) },
      { minute: 20, saw: cleaned() }
    ])
    expect(incidents[FP]).toMatchObject({
      status: 'open',
      cleanups: 3,
      severity: 'critical',
      stage: 'not-recovered',
      openedAt: at(0).toISOString(),
      lastNotifiedAt: at(20).toISOString(),
      recentCleanups: [at(0), at(10), at(20)].map(d => d.toISOString())
    })
  })

  it('a reopened incident keeps the cleanups of the last 24 h ("3rd cleanup in 2 h")', () => {
    const { incidents } = play([
      { minute: 0, saw: cleaned() },
      { minute: 60 },
      { minute: 120, saw: cleaned() },
      { minute: 130 },
      { minute: 24 * 60 + 60, saw: cleaned() }
    ])
    expect(incidents[FP]?.recentCleanups).toEqual(
      [at(120), at(24 * 60 + 60)].map(d => d.toISOString())
    )
    expect(incidents[FP]?.cleanups).toBe(1)
  })

  it('resolved incidents are forgotten after a day', () => {
    const { incidents } = play([
      { minute: 0, saw: cleaned() },
      { minute: 10 },
      { minute: 24 * 60 + 11 }
    ])
    expect(incidents).toEqual({})
  })

  it('the breaker and run errors are cluster-wide incidents', () => {
    const { incidents, perRun } = play([
      {
        minute: 0,
        saw: [
          {
            fingerprint: 'b',
            kind: 'circuit-breaker',
            namespace: undefined,
            workload: undefined,
            severity: 'critical'
          }
        ]
      },
      { minute: 10 }
    ])
    expect(perRun).toEqual([['opened'], ['resolved']])
    expect(incidents.b).toMatchObject({ kind: 'circuit-breaker', status: 'resolved' })
    expect(incidents.b?.namespace).toBeUndefined()
  })
})

describe('observeRun: a run’s pods grouped into sightings', () => {
  it('names workloads as people do: Deployment of a ReplicaSet, CronJob of a Job, bare pods', () => {
    expect(
      workloadOf(row({ owner: { kind: 'ReplicaSet', name: 'web-7d9f8b6c4d', uid: 'u' } }))
    ).toEqual(web)
    expect(workloadOf(row({ owner: { kind: 'ReplicaSet', name: 'frontend', uid: 'u' } }))).toEqual({
      kind: 'ReplicaSet',
      name: 'frontend'
    })
    expect(workloadOf(row({ owner: { kind: 'Job', name: 'report-29012345', uid: 'u' } }))).toEqual({
      kind: 'CronJob',
      name: 'report'
    })
    expect(workloadOf(row({ owner: { kind: 'StatefulSet', name: 'db', uid: 'u' } }))).toEqual({
      kind: 'StatefulSet',
      name: 'db'
    })
    expect(workloadOf(row({ pod: 'debug', owner: undefined }))).toEqual({
      kind: 'Pod',
      name: 'debug'
    })
  })

  it('one sighting per workload and kind: cleanups counted, the highest stage kept', () => {
    const rs = { kind: 'ReplicaSet', name: 'web-7d9f8b6c4d', uid: 'rs' }
    const obs = observeRun(
      result([
        row({
          pod: 'web-a',
          owner: rs,
          decision: 'deleted',
          outcome: 'not-recovered',
          cause: 'exits 1'
        }),
        row({ pod: 'web-b', owner: rs, decision: 'skipped', detail: 'another pod …' }),
        row({
          pod: 'api-a',
          owner: { kind: 'ReplicaSet', name: 'api-5c6b7d8f9', uid: 'rs2' },
          decision: 'report',
          reason: 'ImagePullBackOff'
        }),
        row({ pod: 'debug', owner: undefined, decision: 'skipped' })
      ])
    )
    expect(obs.complete).toBe(true)
    expect(obs.scanned).toBe('*')
    expect(obs.sightings).toEqual([
      expect.objectContaining({
        kind: 'crash-loop',
        workload: web,
        cleanups: 1,
        stage: 'not-recovered',
        severity: 'critical',
        notable: true,
        cause: 'exits 1'
      }),
      expect.objectContaining({
        kind: 'unfixable',
        workload: { kind: 'Deployment', name: 'api' },
        cause: 'ImagePullBackOff',
        severity: 'warning',
        notable: true
      }),
      expect.objectContaining({
        kind: 'crash-loop',
        workload: { kind: 'Pod', name: 'debug' },
        notable: false
      })
    ])
  })

  it('an owner given up on this run is at stage given-up; dry runs clean nothing up', () => {
    const rs = { kind: 'ReplicaSet', name: 'web-7d9f8b6c4d', uid: 'rs' }
    const gaveUp = observeRun(
      result([row({ owner: rs, decision: 'deleted', outcome: 'not-recovered' })], {
        escalations: [
          {
            namespace: 'shop',
            owner: { kind: 'ReplicaSet', name: rs.name },
            unrecovered: 3,
            firstSeenBroken: 'x',
            message: 'm'
          }
        ]
      })
    )
    expect(gaveUp.sightings[0]).toMatchObject({ stage: 'given-up', cleanups: 1 })
    const dry = observeRun(result([row({ owner: rs, decision: 'would-delete' })], { dryRun: true }))
    expect(dry.sightings[0]).toMatchObject({ stage: 'open', cleanups: 0, notable: true })
  })

  it('the breaker and errors are sightings; errors make the run incomplete', () => {
    const obs = observeRun(
      result([], {
        breaker: { tripped: true, unhealthy: 12, podsInScope: 40, percent: 30, limitPercent: 25 },
        errors: ['listing failed'],
        scope: { namespaces: ['shop'], excludeNamespaces: [] }
      })
    )
    expect(obs.sightings.map(s => [s.kind, s.fingerprint, s.cause])).toEqual([
      ['circuit-breaker', 'circuit-breaker/prod', '12 of 40 pods broken (30%, limit 25%)'],
      ['run-error', 'run-error/prod', 'listing failed']
    ])
    expect(obs.complete).toBe(false)
    expect(obs.scanned).toEqual(new Set(['shop']))
  })
})

describe('openIncidents', () => {
  it('lists open incidents, oldest first', () => {
    const { incidents } = play([
      { minute: 0, saw: [{ fingerprint: 'b' }] },
      {
        minute: 10,
        saw: [{ fingerprint: 'b' }, { fingerprint: 'a' }, { fingerprint: 'c', cleanups: 1 }]
      },
      { minute: 20, saw: [{ fingerprint: 'b' }, { fingerprint: 'a' }] }
    ])
    expect(openIncidents(incidents).map(i => i.fingerprint)).toEqual(['b', 'a'])
  })
})
