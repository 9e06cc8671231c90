// Reporters: pure functions from a CycleResult to the job summary (Markdown/HTML), step outputs
// and annotations. Nothing here queries the cluster.

import { Outputs } from '../constants.js'
import { DECISIONS } from '../domain/decisions.js'
import type { CycleResult, PodRow } from '../domain/result.js'

/** GitHub refuses job summaries over 1 MiB; stay well under it. */
export const SUMMARY_MAX_ROWS = 500
/** Step outputs are capped by the runner; keep `result` under this many bytes. */
export const RESULT_MAX_BYTES = 900_000

/** Text from the cluster, safe inside HTML (and Markdown, which passes HTML through). */
export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;')
}

/** The same, for one cell of a Markdown table: no pipes, no line breaks. */
export function escapeCell(text: string): string {
  return escapeHtml(text).replace(/\|/g, '&#124;').replace(/\r?\n/g, ' ')
}

export function formatAge(seconds: number): string {
  if (seconds < 60) return `${seconds}s`
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m`
  if (seconds < 86400) {
    const m = Math.floor((seconds % 3600) / 60)
    return `${Math.floor(seconds / 3600)}h${m ? `${m}m` : ''}`
  }
  const h = Math.floor((seconds % 86400) / 3600)
  return `${Math.floor(seconds / 86400)}d${h ? `${h}h` : ''}`
}

export function formatDuration(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`
}

/** The verification column: "recovered in 3.2 s", "not recovered: …", or "—". */
export function outcomeText(row: PodRow): string {
  switch (row.outcome) {
    case 'recovered':
      return `recovered in ${formatDuration(row.recoveredInMs ?? 0)}`
    case 'not-recovered':
      return `not recovered: ${row.outcomeDetail ?? ''}`
    case 'unknown':
      return `unknown${row.outcomeDetail ? `: ${row.outcomeDetail}` : ''}`
    default:
      return '—'
  }
}

/** "3h" for an ISO time 3 hours before `startedAt`. */
export function sinceText(iso: string | undefined, startedAt: string): string {
  if (!iso) return '—'
  const ms = Date.parse(startedAt) - Date.parse(iso)
  return Number.isNaN(ms) ? '—' : formatAge(Math.max(0, Math.floor(ms / 1000)))
}

export function decisionText(row: PodRow): string {
  const text = DECISIONS[row.decision].text
  return row.detail ? `${text}: ${row.detail}` : text
}

export function scopeText(result: CycleResult): string {
  const where =
    result.scope.namespaces.length > 0
      ? `namespaces ${result.scope.namespaces.join(', ')}`
      : 'all namespaces'
  const excluded =
    result.scope.excludeNamespaces.length > 0
      ? `, excluding ${result.scope.excludeNamespaces.join(', ')}`
      : ''
  const selector = result.scope.labelSelector ? `, selector ${result.scope.labelSelector}` : ''
  return `${where}${excluded}${selector}`
}

export function headline(result: CycleResult): string {
  const c = result.counts
  const deleted = result.dryRun ? 'would delete' : result.mode === 'evict' ? 'evicted' : 'deleted'
  const verified = result.verification
    ? ` · ${c.recovered} recovered · ${c.unrecovered} not recovered`
    : ''
  return `${c.unhealthy} unhealthy · ${c.deleted} ${deleted} · ${c.reportOnly} report only · ${c.skipped} skipped · ${c.failed} failed${verified}`
}

/** The job summary, Markdown with an HTML-escaped table. */
export function renderSummary(result: CycleResult): string {
  const lines: string[] = []
  const dry = result.dryRun ? ' (dry run)' : ''
  lines.push(`## Pod Cleaner${dry} — ${escapeCell(result.cluster.context)}`, '')
  lines.push(`**${headline(result)}**`, '')
  lines.push(
    `Scanned ${result.podsScanned.toLocaleString('en-US')} pods in ${result.pages} pages (${escapeCell(scopeText(result))}) in ${formatDuration(result.durationMs)}, ${result.apiRequests} API requests.`,
    ''
  )
  if (result.breaker.tripped) {
    lines.push(
      `> [!CAUTION]`,
      `> Circuit breaker tripped: ${result.breaker.unhealthy} of ${result.breaker.podsInScope} pods in scope (${result.breaker.percent}%) are broken, over the ${result.breaker.limitPercent}% limit. Nothing was deleted: this looks like an outage, not a broken pod.`,
      ''
    )
  }
  for (const e of result.escalations) lines.push(`> [!CAUTION]`, `> ${escapeCell(e.message)}`, '')
  for (const error of result.errors) lines.push(`> [!WARNING]`, `> ${escapeCell(error)}`, '')
  for (const warning of result.warnings) lines.push(`> [!NOTE]`, `> ${escapeCell(warning)}`, '')
  if (result.pods.length === 0) {
    lines.push(
      result.errors.length === 0 ? 'All pods in scope are healthy.' : 'No pods were judged.'
    )
    return lines.join('\n') + '\n'
  }
  lines.push(
    '| Namespace | Pod | Owner | Container | Reason | Exit code | Restarts | Age | Broken for | Cause | Decision | Recovery |'
  )
  lines.push('|---|---|---|---|---|---|---|---|---|---|---|---|')
  for (const row of result.pods.slice(0, SUMMARY_MAX_ROWS)) {
    const cells = [
      row.namespace,
      row.pod,
      row.owner ? `${row.owner.kind}/${row.owner.name}` : '—',
      row.init ? `${row.container} (init)` : row.container,
      row.status,
      row.exitCode !== undefined ? String(row.exitCode) : '—',
      String(row.restarts),
      formatAge(row.ageSeconds),
      sinceText(row.brokenSince, result.startedAt),
      row.cause ?? '—',
      decisionText(row),
      outcomeText(row)
    ]
    lines.push(`| ${cells.map(escapeCell).join(' | ')} |`)
  }
  if (result.pods.length > SUMMARY_MAX_ROWS) {
    lines.push(
      '',
      `+${result.pods.length - SUMMARY_MAX_ROWS} more pods: see the \`result\` output.`
    )
  }
  if (result.notifications.length > 0) {
    lines.push(
      '',
      `Notifications: ${result.notifications.map(o => escapeCell(notificationText(o))).join(' · ')}`
    )
  }
  const details = renderDiagnostics(result.pods)
  if (details) lines.push('', details)
  return lines.join('\n') + '\n'
}

/** The `result` output: compact JSON, rows dropped from the end (and counted) to fit the cap. */
export function resultJson(result: CycleResult, maxBytes = RESULT_MAX_BYTES): string {
  let json = JSON.stringify(result)
  if (Buffer.byteLength(json) <= maxBytes) return json
  let keep = result.pods.length
  while (keep > 0) {
    keep = Math.floor(keep * 0.8)
    json = JSON.stringify({
      ...result,
      pods: result.pods.slice(0, keep),
      podsTruncated: result.pods.length - keep
    })
    if (Buffer.byteLength(json) <= maxBytes) return json
  }
  return JSON.stringify({ ...result, pods: [], podsTruncated: result.pods.length })
}

export function outputs(result: CycleResult): Record<string, string> {
  return {
    [Outputs.UnhealthyCount]: String(result.counts.unhealthy),
    [Outputs.DeletedCount]: String(result.counts.deleted),
    [Outputs.SkippedCount]: String(result.counts.skipped),
    [Outputs.FailedCount]: String(result.counts.failed),
    [Outputs.ReportOnlyCount]: String(result.counts.reportOnly),
    [Outputs.RecoveredCount]: String(result.counts.recovered),
    [Outputs.UnrecoveredCount]: String(result.counts.unrecovered),
    [Outputs.Result]: resultJson(result)
  }
}

export interface Annotation {
  level: 'warning' | 'error'
  title: string
  message: string
}

/** A warning per report-only finding, an error per failed action (capped: GitHub shows few). */
export function annotations(result: CycleResult, max = 50): Annotation[] {
  const list: Annotation[] = []
  for (const row of result.pods) {
    if (row.decision === 'report') {
      list.push({
        level: 'warning',
        title: `Pod Cleaner: ${row.namespace}/${row.pod} needs a fix a delete cannot make`,
        message: `${row.status} in container ${row.container}${row.message ? `: ${row.message}` : ''}`
      })
    } else if (row.outcome === 'not-recovered') {
      list.push({
        level: 'error',
        title: `Pod Cleaner: ${row.namespace}/${row.pod} did not recover`,
        message: row.outcomeDetail ?? 'not recovered'
      })
    } else if (row.decision === 'failed') {
      list.push({
        level: 'error',
        title: `Pod Cleaner: could not ${result.mode} ${row.namespace}/${row.pod}`,
        message: row.detail ?? 'failed'
      })
    }
  }
  for (const e of result.escalations) {
    list.unshift({
      level: 'error',
      title: `Pod Cleaner: gave up on ${e.owner.kind}/${e.owner.name}`,
      message: e.message
    })
  }
  if (result.breaker.tripped) {
    list.unshift({
      level: 'error',
      title: 'Pod Cleaner: circuit breaker tripped',
      message: `${result.breaker.percent}% of pods in scope are broken (limit ${result.breaker.limitPercent}%); nothing was deleted.`
    })
  }
  return list.slice(0, max)
}

/** The plain-text table for the CLI (aligned columns; ANSI colours when asked). */
export function renderTable(rows: readonly PodRow[], options: { color?: boolean } = {}): string {
  const header = [
    'NAMESPACE',
    'POD',
    'OWNER',
    'REASON',
    'EXIT',
    'RESTARTS',
    'AGE',
    'CAUSE',
    'DECISION',
    'RECOVERY'
  ]
  const body = rows.map(row => [
    row.namespace,
    row.pod,
    row.owner ? `${row.owner.kind}/${row.owner.name}` : '-',
    row.init ? `${row.status} (${row.container})` : row.status,
    row.exitCode !== undefined ? String(row.exitCode) : '-',
    String(row.restarts),
    formatAge(row.ageSeconds),
    row.cause ?? '-',
    decisionText(row),
    row.outcome ? outcomeText(row) : ''
  ])
  const widths = header.map((h, i) => Math.max(h.length, ...body.map(r => (r[i] ?? '').length)))
  const fmt = (cells: string[]): string =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] as number)))
      .join('  ')
      .trimEnd()
  const lines = [fmt(header), ...body.map(fmt)]
  if (!options.color) return lines.join('\n')
  // Colour by what matters: red = needs a person, yellow = report only, green = fixed, dim = left alone.
  const paint = (row: PodRow, line: string): string => {
    const code =
      row.outcome === 'not-recovered'
        ? '31'
        : row.outcome === 'recovered'
          ? '32'
          : DECISIONS[row.decision].colour
    return `\u001b[${code}m${line}\u001b[0m`
  }
  return [
    `\u001b[1m${lines[0]}\u001b[0m`,
    ...rows.map((row, i) => paint(row, lines[i + 1] as string))
  ].join('\n')
}

type Delivery = CycleResult['notifications'][number]

/** "bark: sent (1 attempt)", "slack: failed: timeout" — never a URL. */
export function notificationText(o: Delivery): string {
  const attempts = `${o.attempts} attempt${o.attempts === 1 ? '' : 's'}`
  return o.status === 'failed' || o.status === 'skipped'
    ? `${o.channel}: ${o.status}${o.detail ? `: ${o.detail}` : ''}`
    : `${o.channel}: sent (${attempts})`
}

/** The job summary of a notify-test run. */
export function renderNotifyTest(outcomes: readonly Delivery[]): string {
  if (outcomes.length === 0)
    return '## Pod Cleaner notify-test\n\nNo notification channel is configured.\n'
  return `## Pod Cleaner notify-test\n\n${outcomes.map(o => `- ${escapeCell(notificationText(o))}`).join('\n')}\n`
}

/** Per-block and total caps keep the summary far below GitHub's 1 MiB limit. */
export const DETAILS_MAX_CHARS = 6_000
export const DETAILS_TOTAL_MAX_CHARS = 400_000

function diagnosticsBlock(
  row: PodRow,
  d: NonNullable<PodRow['diagnosis']>,
  logLines: number
): string {
  const parts = [
    `<details><summary>${escapeCell(`${row.namespace}/${row.pod}`)}${row.cause ? ` — ${escapeCell(row.cause)}` : ''}</summary>`,
    ''
  ]
  const tail = logLines > 0 ? d.logTail.slice(-logLines) : []
  if (tail.length > 0) {
    parts.push(
      `Previous log of container <code>${escapeCell(row.container)}</code> (last ${tail.length} lines):`,
      ''
    )
    parts.push(`<pre>${tail.map(escapeHtml).join('\n')}</pre>`, '')
  }
  if (d.events.length > 0) {
    parts.push('| Event | Count | Last seen | Message |', '|---|---|---|---|')
    for (const e of d.events) {
      parts.push(
        `| ${escapeCell(e.reason)} | ${e.count} | ${escapeCell(e.lastSeen ?? '—')} | ${escapeCell(e.message)} |`
      )
    }
    parts.push('')
  }
  parts.push('</details>')
  return parts.join('\n')
}

/** One collapsible block per diagnosed pod: the previous log tail and the Warning events. */
export function renderDiagnostics(rows: readonly PodRow[]): string {
  const blocks: string[] = []
  let total = 0
  const diagnosed = rows.filter(
    r => r.diagnosis && (r.diagnosis.logTail.length > 0 || r.diagnosis.events.length > 0)
  )
  for (const [i, row] of diagnosed.entries()) {
    const d = row.diagnosis as NonNullable<PodRow['diagnosis']>
    // Drop the oldest log lines until the block fits its cap.
    let block = diagnosticsBlock(row, d, d.logTail.length)
    for (let keep = d.logTail.length - 1; block.length > DETAILS_MAX_CHARS && keep >= 0; keep--) {
      block = diagnosticsBlock(row, d, keep)
    }
    if (total + block.length > DETAILS_TOTAL_MAX_CHARS) {
      blocks.push(`Diagnostics for ${diagnosed.length - i} more pods are in the \`result\` output.`)
      break
    }
    total += block.length
    blocks.push(block)
  }
  return blocks.join('\n\n')
}
