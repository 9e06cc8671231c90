// Naming the cause of a failure in words, from the kubelet's message, the termination record, the
// pod's Warning events and the previous log tail. Pure. Each rule returns a cause or nothing; the
// first that answers wins (most specific first). Causes a new pod cannot fix are `unfixable`.

import type { ContainerProblem, Finding } from './detect.js'
import type { PodEventSummary } from './pod.js'

export interface Cause {
  /** Short and human: "OOMKilled (limit 128Mi)", "missing Secret db-creds", "exits 1 after 3 s: …". */
  cause: string
  /** A delete cannot fix it: the pod is reported, not deleted (unless delete-unfixable). */
  unfixable: boolean
}

export interface Evidence {
  logTail: string[]
  events: PodEventSummary[]
}

export const MAX_LOG_LINE = 300

export const cut = (text: string, max = MAX_LOG_LINE): string =>
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
const PULL_REASONS = new Set(['ErrImagePull', 'ImagePullBackOff', 'ErrImageNeverPull'])
const START_REASONS = new Set([
  'RunContainerError',
  'StartError',
  'ContainerCannotRun',
  'CreateContainerError'
])
/** Log lines that say why a program stopped, most telling first. */
const TELLING_LINES = [
  /\b(panic|fatal|FATAL|Fatal)\b[:!]?/,
  /\b(Error|ERROR|Exception|Traceback|error)\b[:!]?/
]

/** The most telling line of a log tail: a panic/fatal line, else an error line, else the last. */
export function tellingLine(logTail: readonly string[]): string | undefined {
  const lines = logTail.map(line => line.trim()).filter(line => line !== '')
  for (const pattern of TELLING_LINES) {
    const found = lines.find(line => pattern.test(line))
    if (found) return found
  }
  return lines.at(-1)
}

type Rule = (p: ContainerProblem, finding: Finding, evidence: Evidence) => Cause | undefined

function missingObject(p: ContainerProblem, _f: Finding, evidence: Evidence): Cause | undefined {
  for (const text of [p.message ?? '', ...evidence.events.map(e => `${e.reason}: ${e.message}`)]) {
    const m = MISSING_OBJECT.exec(text)
    if (m) {
      const kind = m[1]?.toLowerCase() === 'secret' ? 'Secret' : 'ConfigMap'
      return { cause: `missing ${kind} ${m[2]}`, unfixable: true }
    }
  }
  return undefined
}

function imagePull(p: ContainerProblem, _f: Finding, evidence: Evidence): Cause | undefined {
  if (!PULL_REASONS.has(p.reason)) return undefined
  const failed =
    evidence.events.find(e => e.reason === 'Failed' && /pull/i.test(e.message))?.message ??
    p.message ??
    ''
  const image = /image "([^"]+)"/.exec(failed)?.[1] ?? /image "([^"]+)"/.exec(p.message ?? '')?.[1]
  if (IMAGE_NOT_FOUND.test(failed)) {
    const registry404 = /404/.test(failed) ? ' (registry answered 404)' : ''
    return {
      cause: `image not found: ${image ?? 'the registry has no such image'}${registry404}`,
      unfixable: true
    }
  }
  const detail = `${image ? `: ${image}` : ''}${failed ? ` (${cut(failed, 120)})` : ''}`
  return { cause: `image cannot be pulled${detail}`, unfixable: false }
}

/** The rules, most specific first. */
const RULES: readonly Rule[] = [
  missingObject,
  p =>
    p.reason === 'InvalidImageName'
      ? {
          cause: `invalid image name${p.message ? `: ${cut(p.message, 120)}` : ''}`,
          unfixable: true
        }
      : undefined,
  imagePull,
  p =>
    START_REASONS.has(p.reason) && BAD_COMMAND.test(p.message ?? '')
      ? { cause: `invalid container spec: ${cut(p.message ?? '', 160)}`, unfixable: true }
      : undefined,
  p =>
    p.reason === 'CreateContainerConfigError'
      ? {
          cause: `invalid container configuration${p.message ? `: ${cut(p.message, 160)}` : ''}`,
          unfixable: true
        }
      : undefined,
  (p, finding) =>
    p.terminationReason === 'OOMKilled'
      ? {
          cause: `OOMKilled${finding.memoryLimit ? ` (limit ${finding.memoryLimit})` : ''}`,
          unfixable: false
        }
      : undefined,
  (_p, _f, evidence) => {
    const probe = evidence.events.find(e => e.reason === 'Unhealthy' && /liveness/i.test(e.message))
    return probe
      ? { cause: `liveness probe failing: ${cut(probe.message, 160)}`, unfixable: false }
      : undefined
  },
  (p, _f, evidence) => {
    if (p.exitCode === undefined || p.exitCode === 0) return undefined
    const ran = seconds(p.startedAt, p.finishedAt)
    const line = tellingLine(evidence.logTail)
    const signal = p.exitCode > 128 ? ` (signal ${p.exitCode - 128})` : ''
    const after = ran !== undefined ? ` after ${ran} s` : ''
    return {
      cause: `exits ${p.exitCode}${signal}${after}${line ? `: ${cut(line, 160)}` : ''}`,
      unfixable: false
    }
  }
]

/** Names the cause of the finding's primary problem. */
export function classifyCause(finding: Finding, evidence: Evidence): Cause {
  const p = finding.primary
  for (const rule of RULES) {
    const cause = rule(p, finding, evidence)
    if (cause) return cause
  }
  return { cause: p.message ? `${p.reason}: ${cut(p.message, 160)}` : p.reason, unfixable: false }
}
