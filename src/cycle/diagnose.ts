// Diagnosis before deleting: a delete destroys the evidence (previous logs, events), so collect
// it first, bounded in size and time, and name the cause (domain/causes.ts). Requests that are
// abandoned at the budget are aborted, not left running.

import { classifyCause, cut, type Cause } from '../domain/causes.js'
import type { Finding } from '../domain/detect.js'
import type { DiagnoseApi, PodEventSummary } from './ports.js'

export interface Diagnosis extends Cause {
  logTail: string[]
  events: PodEventSummary[]
  /** What could not be collected (403 on pods/log, …). */
  notes: string[]
}

export const MAX_LOG_BYTES = 8192
export const MAX_EVENTS = 8

/** True for the answers that mean "you may not" rather than "it failed". */
const isForbidden = (error: unknown): boolean => (error as { code?: number })?.code === 403

const note = (what: string, error: unknown): string =>
  isForbidden(error) ? `${what}: forbidden (RBAC)` : `${what}: ${(error as Error).message}`

/** Collects evidence for one finding; never throws. */
export async function diagnoseFinding(
  finding: Finding,
  api: DiagnoseApi,
  options: { logLines: number; signal?: AbortSignal }
): Promise<Diagnosis> {
  const notes: string[] = []
  const p = finding.primary
  // Only a container that ran and failed has a previous log worth reading.
  const hasPrevious = p.restarts > 0 || p.exitCode !== undefined
  const logRequest = { namespace: finding.namespace, pod: finding.name, container: p.container }
  const [logResult, eventsResult] = await Promise.allSettled([
    hasPrevious && options.logLines > 0
      ? (async () =>
          api.previousLog(
            { ...logRequest, tailLines: options.logLines, limitBytes: MAX_LOG_BYTES },
            options.signal
          ))()
      : Promise.resolve(''),
    (async () => api.warningEvents(finding.namespace, finding.uid, options.signal))()
  ])
  let logTail: string[] = []
  if (logResult.status === 'fulfilled') {
    logTail = logResult.value
      .split('\n')
      .filter((line, i, all) => line !== '' || i < all.length - 1)
      .slice(-options.logLines)
      .map(line => cut(line))
  } else notes.push(note('pods/log', logResult.reason))
  let events: PodEventSummary[] = []
  if (eventsResult.status === 'fulfilled') events = eventsResult.value.slice(0, MAX_EVENTS)
  else notes.push(note('events', eventsResult.reason))
  return { ...classifyCause(finding, { logTail, events }), logTail, events, notes }
}

/**
 * Diagnoses findings with a small parallelism, within a time budget; a finding not diagnosed in
 * time has no entry. At the budget every request still open is aborted.
 */
export async function diagnoseAll(
  findings: Finding[],
  api: DiagnoseApi,
  options: { logLines: number; parallel: number; budgetMs: number }
): Promise<Map<string, Diagnosis>> {
  const results = new Map<string, Diagnosis>()
  const queue = [...findings]
  const controller = new AbortController()
  let timer: NodeJS.Timeout | undefined
  const expired = new Promise<undefined>(resolve => {
    timer = setTimeout(
      () => {
        controller.abort(new Error('diagnosis budget exhausted'))
        resolve(undefined)
      },
      Math.max(0, options.budgetMs)
    )
  })
  const worker = async (): Promise<void> => {
    for (let f = queue.shift(); f && !controller.signal.aborted; f = queue.shift()) {
      const diagnosis = await Promise.race([
        diagnoseFinding(f, api, { logLines: options.logLines, signal: controller.signal }),
        expired
      ])
      if (diagnosis && !controller.signal.aborted) results.set(f.uid, diagnosis)
    }
  }
  try {
    await Promise.all(Array.from({ length: Math.max(1, options.parallel) }, worker))
  } finally {
    clearTimeout(timer)
  }
  return results
}
