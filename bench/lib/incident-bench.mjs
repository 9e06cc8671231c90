// Bench scenario "incidents" (issue 15): the scripted day (incident-day.mjs) played twice on the
// real control plane — as before incidents (no state file: every run judged alone, a push for
// every run that found something) and with them (state file, GitHub issues) — and the pushes
// counted. Writes its part of RESULTS.md.

import { incidentDay } from './incident-day.mjs'

const count = (runs, kind) => runs.reduce((n, r) => n + r.changes.filter(c => c.startsWith(`${kind} `)).length, 0)

/**
 * @param {{ cluster: any, action: string, log: (line: string) => void, realertSeconds?: number }} options
 */
export async function incidentScenario({ cluster, action, log, realertSeconds = 25 }) {
  log(`scenario incidents — the scripted day, 40 runs, as before (no state file) and with incidents (realert-interval ${realertSeconds}s)`)
  const before = await incidentDay({ cluster, action, remembered: false, log: line => log(`  before: ${line}`) })
  const after = await incidentDay({ cluster, action, realertSeconds, log: line => log(`  after: ${line}`) })
  return {
    runs: after.runs.length,
    realertSeconds,
    before: { pushes: before.totals.barkMessages, wallSeconds: Math.round(before.wallMs / 1000) },
    after: {
      pushes: after.totals.barkMessages,
      wallSeconds: Math.round(after.wallMs / 1000),
      changes: Object.fromEntries(['opened', 'escalated', 'changed', 'cleanup', 'reminder', 'resolved'].map(k => [k, count(after.runs, k)])),
      issues: { opened: after.totals.issuesOpened, comments: after.totals.issueComments, closed: after.totals.issuesClosed },
      tooSlow: after.runs.filter(r => r.tooSlow).map(r => r.n)
    },
    perRun: after.runs.map((r, i) => ({
      n: r.n,
      name: r.name,
      before: before.runs[i]?.bark.length ?? 0,
      after: r.bark.length,
      changes: r.changes,
      github: r.github
    }))
  }
}

/** The goals table's rows. */
export function incidentGoals(s) {
  if (!s) return []
  const healthyQuiet = s.perRun.filter(r => r.changes.length === 0).every(r => r.after === 0)
  return [
    `| Scripted day: fewer pushes than one per non-healthy run | ${s.after.pushes} with incidents, ${s.before.pushes} before (${s.runs} runs) | ${s.after.pushes < s.before.pushes ? '**met**' : '**missed**'} |`,
    `| Runs without an incident change send nothing | ${s.perRun.filter(r => r.changes.length === 0).length} such runs, ${s.perRun.filter(r => r.changes.length === 0 && r.after > 0).length} pushes | ${healthyQuiet ? '**met**' : '**missed**'} |`
  ]
}

/** Its section of RESULTS.md. */
export function renderIncidents(s) {
  if (!s) return []
  const L = ['## Scenario: incidents — notifications of a scripted day (issue 15)', '']
  L.push(
    `The real Action bundle, ${s.runs} runs in a row against one namespace, while a script breaks and fixes workloads: a crash loop one delete heals, a missing image open for many runs, a Deployment that never recovers (cleanups, give-up, reminders, fixed), an outage (circuit breaker), long healthy stretches, and the state file deleted mid-day (bench/lib/incident-day.mjs; the same day is asserted run by run in __tests__/integration/incident-day.test.ts). ` +
      `**Before**: no state file — every run judged alone, as the Action did before incidents: a push for every run that found something. **After**: a state file, \`realert-interval: ${s.realertSeconds}s\` (4h by default; short so the day fits in a minute), GitHub issues on. Pushes are what the local Bark endpoint received.`
  )
  L.push('')
  L.push('| | Before | After |')
  L.push('|---|---:|---:|')
  L.push(`| Bark pushes in ${s.runs} runs | ${s.before.pushes} | ${s.after.pushes} |`)
  L.push(`| Wall time of the day | ${s.before.wallSeconds} s | ${s.after.wallSeconds} s (reminders wait for real time) |`)
  L.push('')
  const c = s.after.changes
  L.push(
    `After: ${c.opened} opened, ${c.escalated} escalated, ${c.changed} cause changes, ${c.cleanup} further cleanups, ${c.reminder} reminders, ${c.resolved} resolved; GitHub issues: ${s.after.issues.opened} opened, ${s.after.issues.comments} comments, ${s.after.issues.closed} closed — none duplicated after the state file was lost.` +
      (s.after.tooSlow.length ? ` ⚠ The machine fell behind the script before runs ${s.after.tooSlow.join(', ')} (a reminder came early).` : '')
  )
  L.push('')
  L.push('| Run | What the script did | Pushes before | Pushes after | Incident changes | GitHub requests |')
  L.push('|---:|---|---:|---:|---|---|')
  for (const r of s.perRun) {
    if (r.before === 0 && r.after === 0 && r.changes.length === 0 && r.github.length === 0 && r.name === 'healthy') continue
    L.push(`| ${r.n} | ${r.name} | ${r.before} | ${r.after} | ${r.changes.join('; ') || '—'} | ${r.github.join(', ') || '—'} |`)
  }
  const quiet = s.perRun.filter(r => r.name === 'healthy' && r.before === 0 && r.after === 0 && r.changes.length === 0)
  L.push('')
  L.push(`The ${quiet.length} healthy runs not listed sent nothing, before or after.`)
  L.push(
    'In a real day the gap grows with time: a problem a delete cannot fix that stays open for 6 hours is 36 runs — 36 pushes before, and after one when it opens, one reminder at 4 h and one quiet "resolved".'
  )
  L.push('')
  return L
}
