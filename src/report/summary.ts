// The job summary: Markdown with HTML-escaped tables, from a CycleResult. Nothing here queries
// the cluster.

import type { CycleResult } from '../domain/result.js'
import { renderDiagnostics } from './diagnostics.js'
import { renderIncidents } from './incidents.js'
import {
  decisionText,
  escapeCell,
  formatAge,
  formatDuration,
  headline,
  outcomeText,
  scopeText,
  sinceText
} from './format.js'

/** GitHub refuses job summaries over 1 MiB; stay well under it. */
export const SUMMARY_MAX_ROWS = 500

/** Run-level events first: breaker, escalations, errors, warnings. */
function callouts(result: CycleResult): string[] {
  const lines: string[] = []
  const b = result.breaker
  if (b.tripped) {
    lines.push(
      `> [!CAUTION]`,
      `> Circuit breaker tripped: ${b.unhealthy} of ${b.podsInScope} pods in scope (${b.percent}%) are broken, over the ${b.limitPercent}% limit. Nothing was deleted: this looks like an outage, not a broken pod.`,
      ''
    )
  }
  for (const e of result.escalations) lines.push(`> [!CAUTION]`, `> ${escapeCell(e.message)}`, '')
  for (const error of result.errors) lines.push(`> [!WARNING]`, `> ${escapeCell(error)}`, '')
  for (const warning of result.warnings) lines.push(`> [!NOTE]`, `> ${escapeCell(warning)}`, '')
  return lines
}

/** One table row per pod, capped to keep the summary under GitHub's limit. */
function podTable(result: CycleResult): string[] {
  const lines = [
    '| Namespace | Pod | Owner | Container | Reason | Exit code | Restarts | Age | Broken for | Cause | Decision | Recovery |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|'
  ]
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
    const more = result.pods.length - SUMMARY_MAX_ROWS
    lines.push('', `+${more} more pods: see the \`result\` output.`)
  }
  return lines
}

/** "Acted as alice (groups: dev) · credentials: exec plugin "aws" from KUBECONFIG (…)". */
export function identityText(cluster: CycleResult['cluster']): string | undefined {
  const { identity, credentials } = cluster
  if (!identity && !credentials) return undefined
  const groups = identity?.groups.filter(g => g !== 'system:authenticated') ?? []
  const who = !identity
    ? 'Acted as an unknown identity'
    : identity.confirmed
      ? `Acted as \`${identity.username}\`${groups.length > 0 ? ` (groups: ${groups.join(', ')})` : ''}`
      : `Acted as kubeconfig user \`${identity.username}\` (not confirmed: the cluster did not answer a SelfSubjectReview)`
  return `${who}${credentials ? ` · credentials: ${credentials}` : ''}.`
}

/** The job summary, Markdown with an HTML-escaped table. */
export function renderSummary(result: CycleResult): string {
  const dry = result.dryRun ? ' (dry run)' : ''
  const who = identityText(result.cluster)
  const scanned = `Scanned ${result.podsScanned.toLocaleString('en-US')} pods in ${result.pages} pages (${escapeCell(scopeText(result))}) in ${formatDuration(result.durationMs)}, ${result.apiRequests} API requests.`
  const lines = [
    `## Pod Cleaner${dry} — ${escapeCell(result.cluster.context)}`,
    '',
    `**${headline(result)}**`,
    '',
    scanned,
    '',
    ...(who ? [escapeCell(who), ''] : []),
    ...callouts(result),
    ...renderIncidents(result)
  ]
  if (result.pods.length === 0)
    lines.push(
      result.errors.length === 0 ? 'All pods in scope are healthy.' : 'No pods were judged.'
    )
  else lines.push(...podTable(result))
  if (result.notifications.length > 0) {
    const sent = result.notifications.map(o => escapeCell(notificationText(o))).join(' · ')
    lines.push('', `Notifications: ${sent}`)
  }
  const details = renderDiagnostics(result.pods)
  if (details) lines.push('', details)
  return lines.join('\n') + '\n'
}

type Delivery = CycleResult['notifications'][number]

/** "bark: sent (1 attempt)", "slack: failed: timeout" — never a URL. */
export function notificationText(o: Delivery): string {
  const attempts = `${o.attempts} attempt${o.attempts === 1 ? '' : 's'}`
  return o.status === 'failed' || o.status === 'skipped'
    ? `${o.channel}: ${o.status}${o.detail ? `: ${o.detail}` : ''}`
    : `${o.channel}: sent (${attempts})${o.detail ? `: ${o.detail}` : ''}`
}

/** The job summary of a notify-test run. */
export function renderNotifyTest(outcomes: readonly Delivery[]): string {
  if (outcomes.length === 0)
    return '## Pod Cleaner notify-test\n\nNo notification channel is configured.\n'
  return `## Pod Cleaner notify-test\n\n${outcomes.map(o => `- ${escapeCell(notificationText(o))}`).join('\n')}\n`
}
