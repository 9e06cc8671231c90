// Formatting shared by every reporter: escaping for Markdown/HTML, ages, durations, and the words
// for decisions and outcomes (from the decisions table).

import { DECISIONS } from '../domain/decisions.js'
import type { CycleResult, PodRow } from '../domain/result.js'

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

/** "45 s", "12 m", "4 h 10 m", "2 d 3 h". */
export function spanText(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000))
  if (s < 60) return `${s} s`
  const m = Math.floor(s / 60)
  if (m < 60) return `${m} m`
  const h = Math.floor(m / 60)
  if (h < 24) return m % 60 ? `${h} h ${m % 60} m` : `${h} h`
  return h % 24 ? `${Math.floor(h / 24)} d ${h % 24} h` : `${Math.floor(h / 24)} d`
}

/** 1st, 2nd, 3rd, 4th … 11th, 12th, 13th, 21st. */
export function ordinal(n: number): string {
  const teen = n % 100 >= 11 && n % 100 <= 13
  const suffix = teen ? 'th' : (['th', 'st', 'nd', 'rd'][n % 10] ?? 'th')
  return `${n}${suffix}`
}
