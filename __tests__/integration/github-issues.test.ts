// The issue records through the real octokit (@actions/github) against a local stand-in of the
// GitHub REST endpoints that records every request: pagination by Link headers, a GHES-style
// /api/v3 prefix, the token header, retries (never for a create), and the channel's requests for
// one incident from its issue to its close.
import { afterEach, describe, expect, it } from '@jest/globals'
import { incidentChanges, type Incident } from '../../src/domain/incidents.js'
import { observeRun } from '../../src/domain/run-observation.js'
import type { CycleResult, PodRow } from '../../src/domain/result.js'
import { octokitIssueApi } from '../../src/notify/github-issues/api.js'
import { githubIssuesChannel } from '../../src/notify/github-issues/channel.js'
import { marker } from '../../src/notify/github-issues/records.js'
import { githubStandIn, type GitHubStandIn } from '../fixtures/github-stand-in.js'
import { result, row } from '../fixtures/result.js'

const fast = { baseDelayMs: 1, maxDelayMs: 5, attemptTimeoutMs: 5_000 }
const budget = () => ({ signal: AbortSignal.timeout(20_000), deadline: Date.now() + 20_000 })
let stand: GitHubStandIn | undefined
afterEach(async () => {
  await stand?.close()
  stand = undefined
})

const api = (s: GitHubStandIn) =>
  octokitIssueApi({ token: 'ghs_test', repository: 'acme/ops', apiUrl: s.apiUrl, tuning: fast })

describe('octokitIssueApi against the stand-in', () => {
  it('lists every open issue with the label, page by page (Link headers), without pull requests', async () => {
    stand = await githubStandIn({ prefix: '/api/v3' })
    for (let n = 1; n <= 300; n++)
      stand.issues.push({
        number: n,
        title: `i${n}`,
        body: `b${n}`,
        labels: n % 2 ? ['pod-cleaner'] : ['other'],
        state: n % 10 === 1 ? 'closed' : 'open',
        comments: [],
        createdAt: 'x',
        updatedAt: '2026-11-28T00:00:00Z',
        pullRequest: n === 3
      })
    const open = await api(stand).listOpen('pod-cleaner', budget())
    // Odd numbers, open (not 1, 11, 21 …), not the pull request #3.
    expect(open).toHaveLength(150 - 30 - 1)
    expect(open.map(i => i.number)).not.toContain(3)
    expect(stand.requests.map(r => [r.method, r.path, r.query.page ?? '1'])).toEqual([
      ['GET', '/repos/acme/ops/issues', '1'],
      ['GET', '/repos/acme/ops/issues', '2']
    ])
    expect(stand.requests[0]?.query).toMatchObject({
      state: 'open',
      labels: 'pod-cleaner',
      per_page: '100'
    })
    expect(stand.requests[0]?.authorization).toBe('token ghs_test')
  })

  it('create, comment, close: the request bodies GitHub expects', async () => {
    stand = await githubStandIn()
    const gh = api(stand)
    const n = await gh.create({ title: 't', body: 'b', labels: ['pod-cleaner', 'ops'] }, budget())
    await gh.comment(n, 'hello', budget())
    await gh.update(n, { close: true }, budget())
    expect(stand.requests.map(r => [r.method, r.path, r.body])).toEqual([
      ['POST', '/repos/acme/ops/issues', { title: 't', body: 'b', labels: ['pod-cleaner', 'ops'] }],
      ['POST', '/repos/acme/ops/issues/1/comments', { body: 'hello' }],
      ['PATCH', '/repos/acme/ops/issues/1', { state: 'closed', state_reason: 'completed' }]
    ])
    expect(stand.issues[0]).toMatchObject({ state: 'closed', comments: ['hello'] })
  })

  it('retries a comment on 502, never a create', async () => {
    stand = await githubStandIn()
    const gh = api(stand)
    stand.failNext(/^POST \/repos\/acme\/ops\/issues$/, 502)
    await expect(gh.create({ title: 't', body: 'b', labels: [] }, budget())).rejects.toThrow(
      'GitHub create issue: HTTP 502'
    )
    const n = await gh.create({ title: 't', body: 'b', labels: [] }, budget())
    stand.failNext(/comments$/, 502, 2)
    await gh.comment(n, 'x', budget())
    expect(stand.calls()).toEqual([
      'POST /repos/acme/ops/issues',
      'POST /repos/acme/ops/issues',
      'POST /repos/acme/ops/issues/1/comments',
      'POST /repos/acme/ops/issues/1/comments',
      'POST /repos/acme/ops/issues/1/comments'
    ])
    expect(gh.requests()).toBe(5)
  })
})

describe('the github-issues channel through octokit', () => {
  const T0 = Date.parse('2026-11-28T12:00:00.000Z')
  const rs = { kind: 'ReplicaSet', name: 'web-7d9f8b6c4d', uid: 'rs' }
  const crash = (extra: Partial<PodRow>) => row({ pod: 'web-7d9f8b6c4d-a1', owner: rs, ...extra })
  function day(runs: PodRow[][]) {
    let incidents: Record<string, Incident> = {}
    return runs.map((pods, i) => {
      const r = result(pods, { startedAt: new Date(T0 + i * 600_000).toISOString() })
      const out = incidentChanges(incidents, observeRun(r), new Date(r.startedAt), {
        realertIntervalSeconds: 3600
      })
      incidents = out.incidents
      r.incidents = { remembered: true, changes: out.changes, open: [] }
      return r
    })
  }
  const send = (s: GitHubStandIn, r: CycleResult) =>
    githubIssuesChannel({
      token: 'ghs_test',
      repository: 'acme/ops',
      apiUrl: s.apiUrl,
      labels: ['pod-cleaner']
    }).send({ severity: 'critical', title: 't', subtitle: 's', lines: [], result: r }, budget())

  it('one issue from opening to close; a copy made by hand is never chosen over the first', async () => {
    stand = await githubStandIn()
    const runs = day([
      [crash({ outcome: 'not-recovered' })],
      [crash({ outcome: 'not-recovered' })],
      []
    ])
    expect((await send(stand, runs[0] as CycleResult)).detail).toBe('opened #1')
    // A person copies the issue (same marker): the records keep using #1.
    stand.issues.push({
      ...(stand.issues[0] as (typeof stand.issues)[number]),
      number: 2,
      comments: []
    })
    expect((await send(stand, runs[1] as CycleResult)).detail).toBe('commented #1')
    expect((await send(stand, runs[2] as CycleResult)).detail).toBe('closed #1')
    expect(stand.calls({ listings: true })).toEqual([
      'GET /repos/acme/ops/issues',
      'POST /repos/acme/ops/issues',
      'GET /repos/acme/ops/issues',
      'POST /repos/acme/ops/issues/1/comments',
      'GET /repos/acme/ops/issues',
      'POST /repos/acme/ops/issues/1/comments',
      'PATCH /repos/acme/ops/issues/1'
    ])
    expect(
      stand.issues[0]?.body.startsWith(
        marker((runs[0] as CycleResult).incidents.changes[0]!.incident)
      )
    ).toBe(true)
  })
})
