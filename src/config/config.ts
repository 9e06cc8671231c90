// One typed Config, built and validated once from raw string inputs (Action inputs or CLI flags).
// Validation collects every error; each names the input, the bad value and the expected form.

import { accessSync, constants as fsConstants, statSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { parse as parseYaml, YAMLParseError } from 'yaml'
import { InputError as ConfigError } from '../domain/errors.js'
import { Inputs, type ActionInputName, type InputName } from '../constants.js'
import { DEFAULT_DELETE_REASONS, DEFAULT_REPORT_REASONS, KNOWN_REASONS } from '../domain/reasons.js'

export { parseDuration, parseList } from '../lib/parse.js'
import type { DetectOptions } from '../domain/detect.js'
import { NOTIFY_INPUT_DEFAULTS, parseNotifyConfig, type NotifyConfig } from './notify.js'
import { parseDuration, parseList } from '../lib/parse.js'
import type { PolicyOptions } from '../domain/policy.js'

export type Mode = 'delete' | 'evict'
export type FailOn = 'never' | 'error' | 'unhealthy' | 'unrecovered'
export type LogFormat = 'text' | 'json'

export interface Config {
  /** kubeconfig content (decoded from base64 when needed); '' = KUBECONFIG / ~/.kube/config / in-cluster. */
  kubeconfig: string
  context?: string
  /** Only these namespaces; empty = the whole cluster. */
  namespaces: string[]
  labelSelector?: string
  pageSize: number
  detect: DetectOptions
  policy: PolicyOptions
  mode: Mode
  gracePeriodSeconds: number
  dryRun: boolean
  failOn: FailOn
  logFormat: LogFormat
  /** Whole-run budget; a scheduled run must end before the next one starts. */
  timeoutSeconds: number
  requestTimeoutSeconds: number
  /** 'auto' = by cluster size (180/150/120 s); 0 = no verification. */
  verifyTimeoutSeconds: number | 'auto'
  /** '' = no memory across runs. */
  stateFile: string
  giveUpAfter: number
  realertIntervalSeconds: number
  diagnose: boolean
  diagnosticLogLines: number
  /** Delete even when the diagnosed cause is one a new pod cannot fix. */
  deleteUnfixable: boolean
  /** Notification channels, routing and budget. */
  notify: NotifyConfig
}

/** Defaults, exactly as action.yml declares them (a test keeps the two equal). */
export const CORE_INPUT_DEFAULTS: Record<InputName, string> = {
  [Inputs.Kubeconfig]: '',
  [Inputs.Context]: '',
  [Inputs.Namespaces]: '',
  [Inputs.ExcludeNamespaces]: 'kube-system',
  [Inputs.LabelSelector]: '',
  [Inputs.PageSize]: '500',
  [Inputs.DeleteReasons]: DEFAULT_DELETE_REASONS.join(','),
  [Inputs.ReportReasons]: DEFAULT_REPORT_REASONS.join(','),
  [Inputs.MinRestarts]: '3',
  [Inputs.MinPodAge]: '5m',
  [Inputs.MaxDeletions]: '10',
  [Inputs.MaxUnhealthyPercent]: '30',
  [Inputs.DeleteBarePods]: 'false',
  [Inputs.DeleteDaemonSetPods]: 'false',
  [Inputs.DeleteJobPods]: 'false',
  [Inputs.Mode]: 'delete',
  [Inputs.GracePeriodSeconds]: '0',
  [Inputs.DryRun]: 'false',
  [Inputs.FailOn]: 'error',
  [Inputs.LogFormat]: 'text',
  [Inputs.Timeout]: '8m',
  [Inputs.RequestTimeout]: '30s',
  [Inputs.VerifyTimeout]: 'auto',
  [Inputs.StateFile]: '',
  [Inputs.GiveUpAfter]: '3',
  [Inputs.RealertInterval]: '6h',
  [Inputs.Diagnose]: 'true',
  [Inputs.DiagnosticLogLines]: '20',
  [Inputs.DeleteUnfixable]: 'false'
}

export const INPUT_DEFAULTS: Record<ActionInputName, string> = {
  ...CORE_INPUT_DEFAULTS,
  ...NOTIFY_INPUT_DEFAULTS
}

/** Reads one raw input; returns '' when it is not set. */
export type InputSource = (name: ActionInputName) => string

export { InputError as ConfigError } from '../domain/errors.js'

const show = (value: string): string =>
  JSON.stringify(value.length > 80 ? `${value.slice(0, 77)}...` : value)

/** Levenshtein distance, for "did you mean" hints. */
export function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i)
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0] as number
    row[0] = i
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j] as number
      row[j] = Math.min(
        (row[j] as number) + 1,
        (row[j - 1] as number) + 1,
        prev + (a[i - 1]?.toLowerCase() === b[j - 1]?.toLowerCase() ? 0 : 1)
      )
      prev = cur
    }
  }
  return row[b.length] as number
}

export function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined
  let bestDistance = Infinity
  for (const candidate of candidates) {
    const d = editDistance(word, candidate)
    if (d < bestDistance) {
      best = candidate
      bestDistance = d
    }
  }
  return bestDistance <= Math.max(3, Math.floor(word.length / 3)) ? best : undefined
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/
const LABEL_NAME = /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/

function validLabelKey(key: string): boolean {
  const parts = key.split('/')
  if (parts.length > 2) return false
  const name = parts.pop() as string
  const prefix = parts[0]
  if (prefix !== undefined && (prefix.length > 253 || !DNS_SUBDOMAIN.test(prefix))) return false
  return name.length <= 63 && LABEL_NAME.test(name)
}

function validLabelValue(value: string): boolean {
  return value === '' || (value.length <= 63 && LABEL_NAME.test(value))
}

/** Validates a label selector the way the apiserver parses it; returns a problem or undefined. */
export function labelSelectorProblem(selector: string): string | undefined {
  // Split on commas that are not inside "in (a, b)".
  const requirements: string[] = []
  let depth = 0
  let current = ''
  for (const ch of selector) {
    if (ch === '(') depth++
    if (ch === ')') depth--
    if (depth < 0) return 'unbalanced parentheses'
    if (ch === ',' && depth === 0) {
      requirements.push(current.trim())
      current = ''
    } else current += ch
  }
  if (depth !== 0) return 'unbalanced parentheses'
  requirements.push(current.trim())
  for (const req of requirements) {
    if (req === '') return 'empty requirement'
    let m: RegExpExecArray | null
    if ((m = /^(!?)\s*([^\s=!()]+)$/.exec(req))) {
      if (!validLabelKey(m[2] as string)) return `invalid key ${JSON.stringify(m[2])}`
    } else if ((m = /^([^\s=!()]+)\s*(==|=|!=)\s*([^\s=!(),]*)$/.exec(req))) {
      if (!validLabelKey(m[1] as string)) return `invalid key ${JSON.stringify(m[1])}`
      if (!validLabelValue(m[3] as string)) return `invalid value ${JSON.stringify(m[3])}`
    } else if ((m = /^([^\s=!()]+)\s+(in|notin)\s*\(([^()]*)\)$/.exec(req))) {
      if (!validLabelKey(m[1] as string)) return `invalid key ${JSON.stringify(m[1])}`
      const values = (m[3] as string).split(',').map(v => v.trim())
      const bad = values.find(v => !validLabelValue(v))
      if (bad !== undefined) return `invalid value ${JSON.stringify(bad)}`
    } else {
      return `cannot parse ${JSON.stringify(req)}`
    }
  }
  return undefined
}

/**
 * Why the state file cannot serve as memory, or undefined. Unreadable memory would silently forget
 * the owners given up on — the run must stop before acting instead. A missing file is a first run.
 */
export function stateFileProblem(path: string): string | undefined {
  let target = resolve(path)
  try {
    const stat = statSync(target)
    if (!stat.isFile()) return 'it is not a regular file'
    accessSync(target, fsConstants.R_OK | fsConstants.W_OK)
    return undefined
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code !== 'ENOENT') return code ?? (error as Error).message
  }
  // Missing: the nearest existing ancestor must be a writable directory.
  for (target = dirname(target); ; target = dirname(target)) {
    try {
      if (!statSync(target).isDirectory()) return `${target} is not a directory`
      accessSync(target, fsConstants.W_OK)
      return undefined
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code
      if (code !== 'ENOENT') return `${target}: ${code ?? (error as Error).message}`
      if (dirname(target) === target) return 'no existing parent directory'
    }
  }
}

/**
 * Why a kubeconfig's text cannot be one, or undefined. Says where, never what: the parser's own
 * message quotes the offending line, and a kubeconfig line may hold a secret.
 */
export function kubeconfigShapeProblem(text: string): string | undefined {
  let doc: unknown
  try {
    doc = parseYaml(text)
  } catch (error) {
    const at = error instanceof YAMLParseError ? error.linePos?.[0] : undefined
    return at ? `invalid YAML at line ${at.line}, column ${at.col}` : 'invalid YAML'
  }
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) return 'not a YAML mapping'
  for (const key of ['clusters', 'contexts', 'users']) {
    const value = (doc as Record<string, unknown>)[key]
    if (value !== undefined && value !== null && !Array.isArray(value))
      return `${key} is not a list`
  }
  return undefined
}

/** Accepts kubeconfig YAML/JSON as is, or base64 of it; returns the text or undefined. */
export function decodeKubeconfig(raw: string): string | undefined {
  const text = raw.trim()
  if (text === '') return ''
  if (
    /^(apiVersion|kind|clusters|contexts|users|current-context|preferences)\s*:/m.test(text) ||
    text.startsWith('{')
  ) {
    return raw
  }
  const compact = text.replace(/\s+/g, '')
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(compact)) return undefined
  const decoded = Buffer.from(compact, 'base64').toString('utf8')
  return /^(apiVersion|clusters|contexts|users)\s*:/m.test(decoded) ||
    decoded.trim().startsWith('{')
    ? decoded
    : undefined
}

/** Builds the Config; throws ConfigError listing every problem. */
export function buildConfig(input: InputSource): Config {
  const problems: string[] = []
  const raw = (name: InputName): string => {
    const value = input(name).trim()
    return value === '' ? INPUT_DEFAULTS[name] : value
  }
  const fail = (name: InputName, value: string, expected: string): void => {
    problems.push(`Input '${name}': ${show(value)} is not valid; expected ${expected}.`)
  }

  const integer = (name: InputName, min: number, max: number): number => {
    const value = raw(name)
    if (!/^-?\d+$/.test(value) || Number(value) < min || Number(value) > max) {
      fail(name, value, `a whole number from ${min} to ${max}`)
      return Number(INPUT_DEFAULTS[name])
    }
    return Number(value)
  }
  const percent = (name: InputName): number => {
    const value = raw(name)
    const n = Number(value)
    if (!/^\d+(\.\d+)?$/.test(value) || n > 100) {
      fail(name, value, 'a percentage from 0 to 100')
      return Number(INPUT_DEFAULTS[name])
    }
    return n
  }
  const duration = (name: InputName, minSeconds: number, maxSeconds: number): number => {
    const value = raw(name)
    const seconds = parseDuration(value)
    if (seconds === undefined || seconds < minSeconds || seconds > maxSeconds) {
      fail(
        name,
        value,
        `a duration from ${minSeconds}s to ${maxSeconds}s, as seconds ("300") or with units ("90s", "5m", "1h30m")`
      )
      return parseDuration(INPUT_DEFAULTS[name]) as number
    }
    return seconds
  }
  const boolean = (name: InputName): boolean => {
    const value = raw(name)
    if (['true', 'True', 'TRUE'].includes(value)) return true
    if (['false', 'False', 'FALSE'].includes(value)) return false
    fail(name, value, 'true or false')
    return INPUT_DEFAULTS[name] === 'true'
  }
  const oneOf = <T extends string>(name: InputName, allowed: readonly T[]): T => {
    const value = raw(name)
    if ((allowed as readonly string[]).includes(value)) return value as T
    fail(name, value, `one of ${allowed.join(', ')}`)
    return INPUT_DEFAULTS[name] as T
  }
  const namespaceList = (name: InputName): string[] => {
    // An empty input means the default; '-' says "none" (e.g. exclude no namespace at all).
    if (input(name).trim() === '-') return []
    const list = parseList(input(name).trim() === '' ? INPUT_DEFAULTS[name] : input(name))
    for (const ns of list) {
      if (ns.length > 63 || !DNS_LABEL.test(ns))
        fail(name, ns, 'namespace names (lower-case DNS labels)')
    }
    return list
  }
  const reasons = (name: InputName): string[] => {
    const list = parseList(input(name).trim() === '' ? INPUT_DEFAULTS[name] : input(name))
    for (const reason of list) {
      if (!KNOWN_REASONS.includes(reason)) {
        const hint = closest(reason, KNOWN_REASONS)
        problems.push(
          `Input '${name}': unknown reason ${show(reason)}${hint ? ` (did you mean ${hint}?)` : ''}; expected any of ${KNOWN_REASONS.join(', ')}.`
        )
      }
    }
    return list
  }

  // Cluster access
  const kubeconfigRaw = input(Inputs.Kubeconfig)
  let kubeconfig = decodeKubeconfig(kubeconfigRaw)
  if (kubeconfig === undefined) {
    // Never echo the value: it is a secret.
    problems.push(
      `Input '${Inputs.Kubeconfig}': not a kubeconfig; expected the kubeconfig file's YAML content or base64 of it.`
    )
    kubeconfig = ''
  } else if (kubeconfig !== '') {
    const problem = kubeconfigShapeProblem(kubeconfig)
    if (problem)
      problems.push(
        `Input '${Inputs.Kubeconfig}': not a kubeconfig (${problem}); expected the kubeconfig file's YAML content or base64 of it.`
      )
  }
  const context = input(Inputs.Context).trim() || undefined

  // Scope
  const namespaces = namespaceList(Inputs.Namespaces)
  const excludeNamespaces = namespaceList(Inputs.ExcludeNamespaces)
  for (const ns of namespaces.filter(ns => excludeNamespaces.includes(ns))) {
    problems.push(
      `Inputs '${Inputs.Namespaces}' and '${Inputs.ExcludeNamespaces}' both list ${show(ns)}; expected a namespace in at most one of them.`
    )
  }
  const labelSelector = raw(Inputs.LabelSelector) || undefined
  if (labelSelector) {
    const problem = labelSelectorProblem(labelSelector)
    if (problem)
      fail(
        Inputs.LabelSelector,
        labelSelector,
        `a Kubernetes label selector such as "app=web,tier!=db" (${problem})`
      )
  }
  const pageSize = integer(Inputs.PageSize, 1, 10000)

  // Detection: a reason listed for deletion is removed from the report-only list ("moved").
  const deleteReasons = new Set(reasons(Inputs.DeleteReasons))
  const reportReasons = new Set(reasons(Inputs.ReportReasons).filter(r => !deleteReasons.has(r)))
  const minRestarts = integer(Inputs.MinRestarts, 0, 1_000_000)
  const minPodAgeSeconds = duration(Inputs.MinPodAge, 0, 30 * 24 * 3600)

  // Safety
  const maxDeletions = integer(Inputs.MaxDeletions, 0, 10_000)
  const maxUnhealthyPercent = percent(Inputs.MaxUnhealthyPercent)
  const deleteBarePods = boolean(Inputs.DeleteBarePods)
  const deleteDaemonSetPods = boolean(Inputs.DeleteDaemonSetPods)
  const deleteJobPods = boolean(Inputs.DeleteJobPods)

  // Action
  const mode = oneOf<Mode>(Inputs.Mode, ['delete', 'evict'])
  const gracePeriodSeconds = integer(Inputs.GracePeriodSeconds, 0, 3600)
  const dryRun = boolean(Inputs.DryRun)
  const failOn = oneOf<FailOn>(Inputs.FailOn, ['never', 'error', 'unhealthy', 'unrecovered'])
  const logFormat = oneOf<LogFormat>(Inputs.LogFormat, ['text', 'json'])
  const timeoutSeconds = duration(Inputs.Timeout, 10, 6 * 3600)
  const requestTimeoutSeconds = duration(Inputs.RequestTimeout, 1, 600)
  if (requestTimeoutSeconds > timeoutSeconds) {
    problems.push(
      `Input '${Inputs.RequestTimeout}' (${requestTimeoutSeconds}s) is longer than '${Inputs.Timeout}' (${timeoutSeconds}s); expected a request timeout within the run's timeout.`
    )
  }

  const verifyTimeoutSeconds =
    raw(Inputs.VerifyTimeout) === 'auto'
      ? ('auto' as const)
      : duration(Inputs.VerifyTimeout, 0, 6 * 3600)
  if (typeof verifyTimeoutSeconds === 'number' && verifyTimeoutSeconds >= timeoutSeconds) {
    problems.push(
      `Input '${Inputs.VerifyTimeout}' (${verifyTimeoutSeconds}s) is not shorter than '${Inputs.Timeout}' (${timeoutSeconds}s); expected a verification budget within the run's timeout, or auto.`
    )
  }
  const stateFile = raw(Inputs.StateFile)
  const stateProblem = stateFile ? stateFileProblem(stateFile) : undefined
  if (stateProblem)
    fail(
      Inputs.StateFile,
      stateFile,
      `a readable and writable JSON file, or a path where one can be created (${stateProblem})`
    )
  const giveUpAfter = integer(Inputs.GiveUpAfter, 1, 1000)
  const realertIntervalSeconds = duration(Inputs.RealertInterval, 0, 30 * 24 * 3600)

  const diagnose = boolean(Inputs.Diagnose)
  const diagnosticLogLines = integer(Inputs.DiagnosticLogLines, 0, 500)
  const deleteUnfixable = boolean(Inputs.DeleteUnfixable)

  const notifyParsed = parseNotifyConfig(input)
  problems.push(...notifyParsed.problems)

  if (problems.length > 0) throw new ConfigError(problems)
  return {
    kubeconfig,
    context,
    namespaces,
    labelSelector,
    pageSize,
    detect: { deleteReasons, reportReasons },
    policy: {
      excludeNamespaces: new Set(excludeNamespaces),
      minRestarts,
      minPodAgeSeconds,
      maxDeletions,
      maxUnhealthyPercent,
      deleteBarePods,
      deleteDaemonSetPods,
      deleteJobPods
    },
    mode,
    gracePeriodSeconds,
    dryRun,
    failOn,
    logFormat,
    timeoutSeconds,
    requestTimeoutSeconds,
    verifyTimeoutSeconds,
    stateFile,
    giveUpAfter,
    realertIntervalSeconds,
    diagnose,
    diagnosticLogLines,
    deleteUnfixable,
    notify: notifyParsed.config
  }
}
