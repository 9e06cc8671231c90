// The CLI's plain-text table: aligned columns, ANSI colours when asked.

import { DECISIONS } from '../domain/decisions.js'
import type { PodRow } from '../domain/result.js'
import { decisionText, formatAge, outcomeText } from './format.js'

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
