// Diagnosis before deleting: a delete destroys the evidence (previous logs, events), so collect
// it first, bounded in size and time, and name the cause in words. Causes a new pod cannot fix
// (missing image/Secret/ConfigMap, invalid spec) turn a finding report-only.

import type { ContainerProblem, Finding } from '../domain/detect.js'

export interface PodEventSummary {
  reason: string
  message: string
  count: number
  lastSeen?: string
}

export interface Diagnosis {
  /** Short and human: "OOMKilled (limit 128Mi)", "missing Secret db-creds", "exits 1 after 3 s: …". */
  cause: string
  /** A delete cannot fix it: the pod is reported, not deleted (unless delete-unfixable). */
  unfixable: boolean
  logTail: string[]
  events: PodEventSummary[]
  /** What could not be collected (403 on pods/log, …). */
  notes: string[]
}

/** What diagnosis needs from the cluster (real: kube/cluster.ts). */
export interface DiagnoseApi {
  previousLog(
    namespace: string,
    pod: string,
    container: string,
    tailLines: number,
    limitBytes: number
  ): Promise<string>
  warningEvents(namespace: string, podUid: string): Promise<PodEventSummary[]>
}

export const MAX_LOG_LINE = 300
export const MAX_LOG_BYTES = 8192
export const MAX_EVENTS = 8

const cut = (text: string, max = MAX_LOG_LINE): string =>
  text.length > max ? `${text.slice(0, max - 1)}…` : text

function seconds(from?: string, to?: string): number | undefined {
  if (!from || !to) return undefined
  const ms = Date.parse(to) - Date.parse(from)
  return Number.isNaN(ms) || ms < 0 ? undefined : Math.round(ms / 1000)
}

const MISSING_OBJECT = /(secret|configmap)s? "([^"]+)" not found/i
const IMAGE_NOT_FOUND =
  /(not found|manifest unknown|404|repository does not exist|pull access denied|name unknown)/i
const BAD_COMMAND = /(executable file not found|no such file or directory|permission denied)/i

/** Names the cause from the kubelet's words, the termination record, events and the log tail. */
export function classifyCause(
  finding: Finding,
  evidence: { logTail: string[]; events: PodEventSummary[] }
): { cause: string; unfixable: boolean } {
  const p: ContainerProblem = finding.primary
  const texts = [p.message ?? '', ...evidence.events.map(e => `${e.reason}: ${e.message}`)]

  // Missing Secret/ConfigMap: from the waiting message or a FailedMount event.
  for (const text of texts) {
    const m = MISSING_OBJECT.exec(text)
    if (m)
      return {
        cause: `missing ${m[1]?.toLowerCase() === 'secret' ? 'Secret' : 'ConfigMap'} ${m[2]}`,
        unfixable: true
      }
  }
  if (p.reason === 'InvalidImageName')
    return {
      cause: `invalid image name${p.message ? `: ${cut(p.message, 120)}` : ''}`,
      unfixable: true
    }
  if (
    p.reason === 'ErrImagePull' ||
    p.reason === 'ImagePullBackOff' ||
    p.reason === 'ErrImageNeverPull'
  ) {
    const failed =
      evidence.events.find(e => e.reason === 'Failed' && /pull/i.test(e.message))?.message ??
      p.message ??
      ''
    const image =
      /image "([^"]+)"/.exec(failed)?.[1] ?? /image "([^"]+)"/.exec(p.message ?? '')?.[1]
    if (IMAGE_NOT_FOUND.test(failed)) {
      return {
        cause: `image not found: ${image ?? 'the registry has no such image'}${/404/.test(failed) ? ' (registry answered 404)' : ''}`,
        unfixable: true
      }
    }
    return {
      cause: `image cannot be pulled${image ? `: ${image}` : ''}${failed ? ` (${cut(failed, 120)})` : ''}`,
      unfixable: false
    }
  }
  if (
    (p.reason === 'RunContainerError' ||
      p.reason === 'StartError' ||
      p.reason === 'ContainerCannotRun' ||
      p.reason === 'CreateContainerError') &&
    BAD_COMMAND.test(p.message ?? '')
  ) {
    return { cause: `invalid container spec: ${cut(p.message ?? '', 160)}`, unfixable: true }
  }
  if (p.reason === 'CreateContainerConfigError')
    return {
      cause: `invalid container configuration${p.message ? `: ${cut(p.message, 160)}` : ''}`,
      unfixable: true
    }
  if (p.terminationReason === 'OOMKilled') {
    return {
      cause: `OOMKilled${finding.memoryLimit ? ` (limit ${finding.memoryLimit})` : ''}`,
      unfixable: false
    }
  }
  const probe = evidence.events.find(e => e.reason === 'Unhealthy' && /liveness/i.test(e.message))
  if (probe)
    return { cause: `liveness probe failing: ${cut(probe.message, 160)}`, unfixable: false }
  if (p.exitCode !== undefined && p.exitCode !== 0) {
    const ran = seconds(p.startedAt, p.finishedAt)
    const last = [...evidence.logTail].reverse().find(line => line.trim() !== '')
    const signal = p.exitCode > 128 ? ` (signal ${p.exitCode - 128})` : ''
    return {
      cause: `exits ${p.exitCode}${signal}${ran !== undefined ? ` after ${ran} s` : ''}${last ? `: ${cut(last.trim(), 160)}` : ''}`,
      unfixable: false
    }
  }
  return { cause: p.message ? `${p.reason}: ${cut(p.message, 160)}` : p.reason, unfixable: false }
}

/** True for the answers that mean "you may not" rather than "it failed". */
const isForbidden = (error: unknown): boolean => (error as { code?: number })?.code === 403

/** Collects evidence for one finding; never throws. */
export async function diagnoseFinding(
  finding: Finding,
  api: DiagnoseApi,
  options: { logLines: number }
): Promise<Diagnosis> {
  const notes: string[] = []
  const p = finding.primary
  // Only a container that ran and failed has a previous log worth reading.
  const hasPrevious = p.restarts > 0 || p.exitCode !== undefined
  const [logResult, eventsResult] = await Promise.allSettled([
    hasPrevious && options.logLines > 0
      ? (async () =>
          api.previousLog(
            finding.namespace,
            finding.name,
            p.container,
            options.logLines,
            MAX_LOG_BYTES
          ))()
      : Promise.resolve(''),
    (async () => api.warningEvents(finding.namespace, finding.uid))()
  ])
  let logTail: string[] = []
  if (logResult.status === 'fulfilled') {
    logTail = logResult.value
      .split('\n')
      .filter((line, i, all) => line !== '' || i < all.length - 1)
      .slice(-options.logLines)
      .map(line => cut(line))
  } else
    notes.push(
      isForbidden(logResult.reason)
        ? 'pods/log: forbidden (RBAC)'
        : `pods/log: ${(logResult.reason as Error).message}`
    )
  let events: PodEventSummary[] = []
  if (eventsResult.status === 'fulfilled') events = eventsResult.value.slice(0, MAX_EVENTS)
  else
    notes.push(
      isForbidden(eventsResult.reason)
        ? 'events: forbidden (RBAC)'
        : `events: ${(eventsResult.reason as Error).message}`
    )
  const { cause, unfixable } = classifyCause(finding, { logTail, events })
  return { cause, unfixable, logTail, events, notes }
}

/** Diagnoses findings with a small parallelism, within a time budget; missing ones stay undefined. */
export async function diagnoseAll(
  findings: Finding[],
  api: DiagnoseApi,
  options: { logLines: number; parallel: number; budgetMs: number }
): Promise<Map<string, Diagnosis>> {
  const results = new Map<string, Diagnosis>()
  const queue = [...findings]
  const deadline = Date.now() + options.budgetMs
  const worker = async (): Promise<void> => {
    for (let f = queue.shift(); f; f = queue.shift()) {
      if (Date.now() >= deadline) return
      const remaining = deadline - Date.now()
      const diagnosis = await Promise.race([
        diagnoseFinding(f, api, options),
        new Promise<undefined>(resolve => setTimeout(() => resolve(undefined), remaining).unref())
      ])
      if (diagnosis) results.set(f.uid, diagnosis)
    }
  }
  await Promise.all(Array.from({ length: Math.max(1, options.parallel) }, worker))
  return results
}
