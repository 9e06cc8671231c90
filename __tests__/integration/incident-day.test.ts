// The scripted day of issue 15, on the real control plane: the real bundle run 40 times against
// one namespace with one state file, a local Bark endpoint and the local GitHub stand-in, while a
// script changes the cluster (bench/lib/incident-day.mjs). Every run's notifications are stated
// here, exactly: the incident changes, the Bark push (none, or one and its level) and the GitHub
// requests — and nothing else is sent.
import { describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { incidentDay, type DayResult } from '../../bench/lib/incident-day.mjs'
import { clusterInfo } from '../fixtures/cluster.js'

type Bark = 'passive' | 'active' | 'timeSensitive' | null
/** One run's expected notifications: changes, the Bark level (null = no push), GitHub requests. */
type Expected = [changes: string[], bark: Bark, github: string[]]

const quiet: Expected = [[], null, []]
const EXPECTED: Expected[] = [
  quiet,
  quiet,
  quiet,
  [['opened crash-loop steady'], 'active', []],
  [['resolved crash-loop steady'], 'passive', []],
  quiet,
  quiet,
  [['opened unfixable api'], 'active', []],
  quiet,
  quiet,
  [['reminder unfixable api'], 'active', ['POST /issues']],
  // The state file is gone: the open issue #1 brings the incident back; nothing is said again.
  quiet,
  [['opened crash-loop worker'], 'timeSensitive', ['POST /issues']],
  [['cleanup crash-loop worker'], 'timeSensitive', ['POST /issues/2/comments']],
  [
    ['escalated crash-loop worker'],
    'timeSensitive',
    ['POST /issues/2/comments', 'PATCH /issues/2']
  ],
  [
    ['reminder unfixable api', 'reminder crash-loop worker'],
    'timeSensitive',
    ['POST /issues/2/comments', 'POST /issues/1/comments']
  ],
  [['resolved unfixable api'], 'passive', ['POST /issues/1/comments', 'PATCH /issues/1']],
  [['resolved crash-loop worker'], 'passive', ['POST /issues/2/comments', 'PATCH /issues/2']],
  quiet,
  quiet,
  [['opened circuit-breaker'], 'timeSensitive', ['POST /issues']],
  quiet,
  quiet,
  [['resolved circuit-breaker'], 'passive', ['POST /issues/3/comments', 'PATCH /issues/3']],
  ...Array.from({ length: 16 }, () => quiet)
]

describe('a scripted day (issue 15)', () => {
  let day: DayResult

  it('plays 40 runs', async () => {
    day = await incidentDay({
      cluster: JSON.parse(readFileSync(process.env.POD_CLEANER_CLUSTER as string, 'utf8')),
      action: resolve('dist/index.js'),
      realertSeconds: 25,
      log: line => process.stderr.write(`[incident-day] ${line}\n`)
    })
    expect(clusterInfo().server).toBeTruthy()
    expect(day.runs).toHaveLength(40)
    expect(day.runs.filter(r => r.code !== 0 || r.stderr !== '').map(r => [r.n, r.stderr])).toEqual(
      []
    )
    const slow = day.runs.filter(r => r.tooSlow).map(r => r.n)
    if (slow.length > 0)
      throw new Error(
        `the machine was too slow for realert-interval 25s before runs ${slow.join(', ')}`
      )
  })

  it('sends exactly the expected notifications, run by run', () => {
    const got = day.runs.map((r): Expected => [
      r.changes,
      r.bark.length === 0 ? null : (r.bark[0]?.level as Bark),
      r.github
    ])
    expect(got.map((g, i) => [i + 1, day.runs[i]?.name, ...g])).toEqual(
      EXPECTED.map((e, i) => [i + 1, day.runs[i]?.name, ...e])
    )
    // At most one push per run, always with the run's link.
    expect(day.runs.filter(r => r.bark.length > 1)).toEqual([])
    for (const r of day.runs.filter(r => r.bark.length === 1))
      expect(r.bark[0]?.url).toBe(`https://github.example/acme/ops/actions/runs/${999 + r.n}`)
  })

  it('never announces an incident twice as new, never duplicates an issue', () => {
    const opened = day.runs.flatMap(r => r.changes.filter(c => c.startsWith('opened ')))
    expect(new Set(opened).size).toBe(opened.length)
    expect(day.issues.map(i => [i.number, i.state, i.comments])).toEqual([
      [1, 'closed', 2],
      [2, 'closed', 4],
      [3, 'closed', 1]
    ])
    expect(day.issues.map(i => i.title)).toEqual([
      expect.stringMatching(
        /^Pod Cleaner: Deployment pc-day-\w+\/api — a failure a delete cannot fix/
      ),
      expect.stringMatching(/^Pod Cleaner: Deployment pc-day-\w+\/worker — crash loop/),
      expect.stringMatching(/^Pod Cleaner: circuit breaker — circuit breaker tripped/)
    ])
    expect(day.totals).toMatchObject({ barkMessages: 12, issuesOpened: 3, issuesClosed: 3 })
  })

  it('says in the summary what changed; the lost state was no warning (a missing file is new)', () => {
    expect(day.runs[3]?.summary).toContain('**Incidents:** 1 opened')
    expect(day.runs[11]?.warnings).toEqual([])
    expect(day.runs[11]?.summary).toContain('Deployment')
  })
})
