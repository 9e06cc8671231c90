// The Notification of a run: severity from the result, the title, lines most important first.
import { describe, expect, it } from '@jest/globals'
import {
  buildNotification,
  notificationLines,
  runContextFromEnv,
  severityOf,
  truncateLines
} from '../../../src/notify/message.js'
import type { Severity } from '../../../src/notify/types.js'
import type { CycleResult } from '../../../src/domain/result.js'
import { result, row } from '../../fixtures/result.js'

const breaker = { tripped: true, unhealthy: 40, podsInScope: 100, percent: 40, limitPercent: 30 }
const escalation = {
  namespace: 'shop',
  owner: { kind: 'ReplicaSet', name: 'web' },
  unrecovered: 3,
  firstSeenBroken: '2026-11-28T00:00:00Z',
  message: 'ReplicaSet shop/web still broken after 3 deletes'
}

describe('severityOf', () => {
  const cases: { description: string; result: CycleResult; expected: Severity }[] = [
    { description: 'a healthy run', result: result([]), expected: 'info' },
    {
      description: 'only skipped pods (too young)',
      result: result([row({ decision: 'skipped', detail: 'younger than 5m' })]),
      expected: 'info'
    },
    {
      description: 'a pod deleted and recovered',
      result: result([row({ outcome: 'recovered' })]),
      expected: 'warning'
    },
    {
      description: 'a report-only finding',
      result: result([row({ decision: 'report' })]),
      expected: 'warning'
    },
    {
      description: 'a failed delete',
      result: result([row({ decision: 'failed' })]),
      expected: 'warning'
    },
    {
      description: 'a pod not recovered',
      result: result([row({ outcome: 'not-recovered', outcomeDetail: 'no Ready pod in 120 s' })]),
      expected: 'critical'
    },
    {
      // Escalated once (result.escalations, per realert-interval), not by every run that skips it.
      description: 'an owner given up on in an earlier run',
      result: result([row({ decision: 'given-up' })]),
      expected: 'info'
    },
    {
      description: 'an escalation',
      result: result([], { escalations: [escalation] }),
      expected: 'critical'
    },
    {
      description: 'the circuit breaker tripped',
      result: result([], { breaker }),
      expected: 'critical'
    },
    {
      description: 'a run error',
      result: result([], { errors: ['listing failed: 403'] }),
      expected: 'critical'
    }
  ]
  it.each(cases)('$description → $expected', ({ result, expected }) => {
    expect(severityOf(result)).toBe(expected)
  })
})

describe('notification lines and title', () => {
  const rows = [
    row({ pod: 'skipped-1', decision: 'skipped', detail: 'younger than 5m' }),
    row({ pod: 'deleted-1', outcome: 'recovered', recoveredInMs: 3200 }),
    row({ pod: 'report-1', decision: 'report', status: 'ImagePullBackOff', exitCode: undefined }),
    row({ pod: 'failed-1', decision: 'failed', detail: 'forbidden' }),
    row({ pod: 'lost-1', outcome: 'not-recovered', outcomeDetail: 'no Ready pod in 120 s' }),
    row({ pod: 'deleted-2', outcome: 'recovered', recoveredInMs: 900 })
  ]
  const r = result(rows, { breaker, errors: ['listing timed out'], escalations: [escalation] })

  it('puts run events first, then pods: not recovered, failed, report-only, deleted, skipped', () => {
    const lines = notificationLines(r)
    expect(lines[0]).toMatch(/^Circuit breaker tripped: 40 of 100 pods broken/)
    expect(lines[1]).toBe(`Given up: ${escalation.message}`)
    expect(lines[2]).toBe('Error: listing timed out')
    expect(lines.slice(3).map(l => l.split(' · ')[0])).toEqual([
      'shop/lost-1',
      'shop/failed-1',
      'shop/report-1',
      'shop/deleted-1',
      'shop/deleted-2',
      'shop/skipped-1'
    ])
    expect(lines[3]).toBe(
      'shop/lost-1 · CrashLoopBackOff · exit 1 · deleted · not recovered: no Ready pod in 120 s'
    )
    expect(lines[5]).toBe('shop/report-1 · ImagePullBackOff · report only')
  })

  it('titles the run with what happened and the cluster', () => {
    const n = buildNotification(
      result([row(), row({ pod: 'b' }), row({ pod: 'c', outcome: 'not-recovered' })])
    )
    expect(n.title).toBe('Pod Cleaner: 3 deleted, 1 not recovered — prod')
    expect(n.subtitle).toContain('prod')
    expect(buildNotification(result([])).title).toBe('Pod Cleaner: all pods healthy — prod')
    expect(buildNotification(result([row()], { dryRun: true })).title).toBe(
      'Pod Cleaner: 1 would delete — prod'
    )
  })

  it('links the run from the GitHub environment', () => {
    const ctx = runContextFromEnv({
      GITHUB_SERVER_URL: 'https://github.com',
      GITHUB_REPOSITORY: 'acme/ops',
      GITHUB_RUN_ID: '123'
    })
    expect(ctx.runUrl).toBe('https://github.com/acme/ops/actions/runs/123')
    expect(buildNotification(result([]), ctx).runUrl).toBe(ctx.runUrl)
    expect(runContextFromEnv({}).runUrl).toBeUndefined()
  })
})

describe('truncateLines', () => {
  const lines = Array.from({ length: 10 }, (_, i) => `line ${i}`)
  it('keeps everything that fits', () => {
    expect(truncateLines(lines, () => true)).toEqual(lines)
  })
  it('keeps whole lines and counts the rest', () => {
    const kept = truncateLines(lines, k => k.join('\n').length <= 40)
    expect(kept.at(-1)).toBe(`+${10 - (kept.length - 1)} more`)
    expect(kept.slice(0, -1)).toEqual(lines.slice(0, kept.length - 1))
    expect(kept.join('\n').length).toBeLessThanOrEqual(40)
  })
})
