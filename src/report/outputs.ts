// The step outputs: counts, and the whole result as capped JSON.

import { Outputs } from '../config/outputs.js'
import type { CycleResult } from '../domain/result.js'

/** Step outputs are capped by the runner; keep `result` under this many bytes. */
export const RESULT_MAX_BYTES = 900_000

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
