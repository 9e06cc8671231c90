// What the CLI prints for a CycleResult: the table (with the headline, escalations and errors) or
// the JSON report of `--output json`.

import { DECISIONS } from '../domain/decisions.js'
import type { CycleResult } from '../domain/result.js'
import { headline } from '../report/format.js'
import { renderTable } from '../report/table.js'
import { useColor, type CliIo } from './io.js'

export type OutputFormat = 'table' | 'json'

export function printTable(result: CycleResult, io: CliIo): void {
  io.stdout(`${headline(result)}\n`)
  if (result.pods.length > 0) io.stdout(`\n${renderTable(result.pods, { color: useColor() })}\n`)
  for (const e of result.escalations) io.stdout(`escalation: ${e.message}\n`)
  for (const error of result.errors) io.stdout(`error: ${error}\n`)
}

/** `--output json`: one finding per row, in the CLI's decision words (delete, report, skip, failed). */
export function jsonReport(result: CycleResult): string {
  const findings = result.pods.map(row => {
    const decision = DECISIONS[row.decision].json
    return {
      namespace: row.namespace,
      name: row.pod,
      container: row.container,
      reason: row.reason,
      status: row.status,
      exitCode: row.exitCode ?? null,
      restarts: row.restarts,
      decision,
      skipReason: decision === 'delete' ? null : (row.detail ?? null)
    }
  })
  const report = { findings, counts: result.counts, breaker: result.breaker, errors: result.errors }
  return JSON.stringify(report, null, 2)
}

export function printResult(result: CycleResult, format: OutputFormat, io: CliIo): void {
  if (format === 'json') io.stdout(`${jsonReport(result)}\n`)
  else printTable(result, io)
}
