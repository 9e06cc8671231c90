// GitHub issues as incident records, with a fake IssueApi (no sockets; the REST endpoints through
// octokit are tested against a local stand-in in __tests__/integration/github-issues.test.ts).
import { describe, expect, it } from '@jest/globals'
import {
  incidentChanges,
  type Incident,
  type IncidentChange
} from '../../../src/domain/incidents.js'
import { observeRun } from '../../../src/domain/run-observation.js'
import type { CycleResult, PodRow } from '../../../src/domain/result.js'
import type { IssueApi, OpenIssue } from '../../../src/notify/github-issues/api.js'
import { githubIssuesChannel } from '../../../src/notify/github-issues/channel.js'
import {
  incidentOfIssue,
  issueAction,
  marker,
  wantsIssue
} from '../../../src/notify/github-issues/records.js'
import { result, row } from '../../fixtures/result.js'

const T0 = Date.parse('2026-11-28T12:00:00.000Z')
const web = { kind: 'ReplicaSet', name: 'web-7d9f8b6c4d', uid: 'rs-web' }
const api = { kind: 'ReplicaSet', name: 'api-5c6b7d8f9', uid: 'rs-api' }
const crash = (extra: Partial<PodRow> = {}) =>
  row({ pod: 'web-7d9f8b6c4d-x1', owner: web, cause: 'exits 1', ...extra })
const missingImage = row({
  pod: 'api-5c6b7d8f9-y2',
  owner: api,
  reason: 'ImagePullBackOff',
  status: 'ImagePullBackOff',
  decision: 'report',
  cause: 'image not found: registry.example/api:9',
  diagnosis: {
    logTail: [],
    events: [{ reason: 'Failed', message: 'pull failed', count: 3 }],
    notes: []
  }
})

function day(
  runs: Array<{ minute: number; pods: PodRow[] }>,
  start: Record<string, Incident> = {}
) {
  let incidents = start
  return runs.map(({ minute, pods }) => {
    const r = result(pods, { startedAt: new Date(T0 + minute * 60_000).toISOString() })
    const out = incidentChanges(incidents, observeRun(r), new Date(r.startedAt), {
      realertIntervalSeconds: 3600
    })
    incidents = out.incidents
    r.incidents = { remembered: true, changes: out.changes, open: [] }
    return r
  })
}

/** An in-memory GitHub: issues, and every call made. */
function fakeApi() {
  const issues: Array<
    OpenIssue & { title: string; labels: string[]; open: boolean; comments: string[] }
  > = []
  const calls: string[] = []
  const fake: IssueApi = {
    requests: () => calls.length,
    async listOpen(label) {
      calls.push(`list ${label}`)
      return issues.filter(i => i.open && i.labels.includes(label))
    },
    async create(issue) {
      const number = issues.length + 1
      calls.push(`create #${number}`)
      issues.push({
        ...issue,
        number,
        updatedAt: new Date(T0).toISOString(),
        open: true,
        comments: []
      })
      return number
    },
    async comment(n, body) {
      calls.push(`comment #${n}`)
      issues[n - 1]?.comments.push(body)
    },
    async update(n, change) {
      calls.push(`update #${n}${change.close ? ' close' : ''}${change.body ? ' body' : ''}`)
      const issue = issues[n - 1] as (typeof issues)[number]
      if (change.body) issue.body = change.body
      if (change.close) issue.open = false
    }
  }
  return { fake, issues, calls }
}

const config = {
  token: 't',
  repository: 'acme/ops',
  apiUrl: 'http://gh',
  labels: ['pod-cleaner', 'ops']
}
const budget = () => ({ signal: new AbortController().signal, deadline: Date.now() + 10_000 })

async function send(channel: ReturnType<typeof githubIssuesChannel>, r: CycleResult) {
  return channel.send(
    {
      severity: 'info',
      title: 't',
      subtitle: 's',
      lines: [],
      result: r,
      runUrl: 'https://github.example/acme/ops/actions/runs/7'
    },
    budget()
  )
}

describe('records: the rule', () => {
  const change = (kind: IncidentChange['kind'], incident: Partial<Incident>): IncidentChange => ({
    kind,
    cleanups: 0,
    incident: { kind: 'crash-loop', severity: 'warning', stage: 'open', ...incident } as Incident
  })
  it.each<[string, IncidentChange, boolean]>([
    ['a crash loop healed by a cleanup', change('opened', {}), false],
    [
      'a crash loop not recovered',
      change('opened', { severity: 'critical', stage: 'not-recovered' }),
      true
    ],
    [
      'a crash loop given up',
      change('escalated', { severity: 'critical', stage: 'given-up' }),
      true
    ],
    [
      'the circuit breaker',
      change('opened', { kind: 'circuit-breaker', severity: 'critical' }),
      true
    ],
    ['an unfixable failure, new', change('opened', { kind: 'unfixable' }), false],
    ['an unfixable failure at its reminder', change('reminder', { kind: 'unfixable' }), true],
    ['run errors, new', change('opened', { kind: 'run-error', severity: 'critical' }), false],
    [
      'run errors at their reminder',
      change('reminder', { kind: 'run-error', severity: 'critical' }),
      true
    ],
    ['anything resolved', change('resolved', { severity: 'critical' }), false]
  ])('%s: an issue? %s', (_, c, expected) => {
    expect(wantsIssue(c)).toBe(expected)
  })

  it('with an issue: changes comment, a rise rewrites the body, resolution closes, a lost state is silent', () => {
    const c = (kind: IncidentChange['kind'], reopened?: boolean) =>
      ({ kind, reopened, cleanups: 0, incident: {} as Incident }) as IncidentChange
    expect(issueAction(c('cleanup'), 4)).toEqual({ action: 'comment', issue: 4, updateBody: false })
    expect(issueAction(c('escalated'), 4)).toEqual({
      action: 'comment',
      issue: 4,
      updateBody: true
    })
    expect(issueAction(c('resolved'), 4)).toEqual({ action: 'close', issue: 4 })
    expect(issueAction(c('opened'), 4)).toEqual({ action: 'none' })
    expect(issueAction(c('opened', true), 4)).toEqual({
      action: 'comment',
      issue: 4,
      updateBody: false
    })
  })

  it('the marker carries the incident; a tampered one is ignored', () => {
    const [r] = day([{ minute: 0, pods: [crash({ outcome: 'not-recovered' })] }])
    const incident = (r as CycleResult).incidents.changes[0]?.incident as Incident
    const body = `${marker(incident)}\n### text`
    expect(body).toMatch(
      /^<!-- pod-cleaner-incident crash-loop\/prod\/shop\/Deployment\/web \S+ -->/
    )
    expect(incidentOfIssue(body)).toEqual(incident)
    expect(incidentOfIssue(body.replace('crash-loop/prod', 'crash-loop/dev'))).toBeUndefined()
    expect(incidentOfIssue('no marker')).toBeUndefined()
  })
})

describe('the github-issues channel', () => {
  it('a critical crash loop: one issue, comments on changes, closed when resolved', async () => {
    const { fake, issues, calls } = fakeApi()
    const channel = githubIssuesChannel(config, fake)
    const runs = day([
      {
        minute: 0,
        pods: [
          crash({
            outcome: 'not-recovered',
            diagnosis: { logTail: ['panic: db down'], events: [], notes: [] }
          })
        ]
      },
      { minute: 10, pods: [crash({ outcome: 'not-recovered' })] },
      { minute: 20, pods: [crash({ decision: 'given-up' })] },
      { minute: 30, pods: [crash({ decision: 'given-up' })] },
      { minute: 40, pods: [] }
    ])
    const outcomes = []
    for (const r of runs) outcomes.push(await send(channel, r))
    expect(outcomes.map(o => o.detail)).toEqual([
      'opened #1',
      'commented #1',
      'commented #1',
      'nothing to record',
      'closed #1'
    ])
    expect(calls).toEqual([
      'list pod-cleaner',
      'create #1',
      'list pod-cleaner',
      'comment #1',
      'list pod-cleaner',
      'comment #1',
      'update #1 body',
      'list pod-cleaner',
      'comment #1',
      'update #1 close'
    ])
    const issue = issues[0] as (typeof issues)[number]
    expect(issue.title).toBe('Pod Cleaner: Deployment shop/web — crash loop (prod)')
    expect(issue.labels).toEqual(['pod-cleaner', 'ops'])
    expect(issue.body).toContain('| Workload | Deployment shop/web |')
    expect(issue.body).toContain('| Run | https://github.example/acme/ops/actions/runs/7 |')
    expect(issue.comments[0]).toMatch(
      /^\*\*Update:\*\* Again: Deployment shop\/web, 2nd cleanup in 10 m/
    )
    expect(issue.comments[2]).toMatch(
      /^\*\*Resolved:\*\* Resolved: Deployment shop\/web healthy again after 40 m/
    )
    expect(issue.comments[2]).toContain('(https://github.example/acme/ops/actions/runs/7)')
    expect(incidentOfIssue(issue.body)?.stage).toBe('given-up')
  })

  it('the first issue body holds the log lines and Warning events', async () => {
    const { fake, issues } = fakeApi()
    const [r] = day([
      {
        minute: 0,
        pods: [
          crash({
            outcome: 'not-recovered',
            diagnosis: {
              logTail: ['panic: db down'],
              events: [{ reason: 'BackOff', message: 'restarting', count: 5 }],
              notes: []
            }
          })
        ]
      }
    ])
    await send(githubIssuesChannel(config, fake), r as CycleResult)
    expect(issues[0]?.body).toContain('panic: db down')
    expect(issues[0]?.body).toContain('| BackOff | 5 |')
    expect(issues[0]?.body).toContain('deleted · not recovered')
  })

  it('an unfixable failure: no issue until its first reminder; a blip never', async () => {
    const { fake, calls } = fakeApi()
    const channel = githubIssuesChannel(config, fake)
    const runs = day([
      { minute: 0, pods: [missingImage, crash({ outcome: 'recovered' })] },
      { minute: 10, pods: [missingImage] },
      { minute: 70, pods: [missingImage] }
    ])
    const details = []
    for (const r of runs) details.push((await send(channel, r)).detail)
    expect(details).toEqual(['nothing to record', 'nothing to record', 'opened #1'])
    // The blip's resolution (minute 10) had to look for an issue; none was open.
    expect(calls).toEqual(['list pod-cleaner', 'list pod-cleaner', 'create #1'])
  })

  it('never a duplicate: a lost state announces the incident anew, its open issue is found', async () => {
    const { fake, issues } = fakeApi()
    const channel = githubIssuesChannel(config, fake)
    const [first] = day([{ minute: 0, pods: [crash({ outcome: 'not-recovered' })] }])
    await send(channel, first as CycleResult)
    // State lost: the same incident is "opened" again by a fresh memory.
    const [again] = day([{ minute: 10, pods: [crash({ outcome: 'not-recovered' })] }])
    expect((await send(channel, again as CycleResult)).detail).toBe('nothing to record')
    expect(issues).toHaveLength(1)
  })

  it('the archive: open issues of this cluster, as open incidents', async () => {
    const { fake } = fakeApi()
    const channel = githubIssuesChannel(config, fake)
    const [first] = day([{ minute: 0, pods: [crash({ outcome: 'not-recovered' })] }])
    await send(channel, first as CycleResult)
    const recalled = await channel.openIncidents('prod', budget())
    expect(recalled).toEqual([
      expect.objectContaining({
        fingerprint: 'crash-loop/prod/shop/Deployment/web',
        status: 'open',
        severity: 'critical',
        lastNotifiedAt: new Date(T0).toISOString()
      })
    ])
    expect(await channel.openIncidents('staging', budget())).toEqual([])
  })

  it('a failed request fails the channel, saying what was done', async () => {
    const { fake } = fakeApi()
    fake.comment = async () => {
      throw new Error('HTTP 502')
    }
    const channel = githubIssuesChannel(config, fake)
    const runs = day([
      { minute: 0, pods: [crash({ outcome: 'not-recovered' })] },
      { minute: 10, pods: [crash({ outcome: 'not-recovered' })] }
    ])
    await send(channel, runs[0] as CycleResult)
    await expect(send(channel, runs[1] as CycleResult)).rejects.toThrow(
      '1 of 1 records failed: Error: HTTP 502'
    )
  })
})
