// One collapsible block per diagnosed pod in the job summary: previous log tail and Warning events.

import type { PodRow } from '../domain/result.js'
import { escapeCell, escapeHtml } from './format.js'

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
