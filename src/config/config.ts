// One typed Config, built and validated once from raw string inputs (Action inputs or CLI flags):
// each input's spec parses its value, one refinement checks the rules between inputs, and every
// problem is reported at once, in action.yml's order, naming the input, the value and the
// expected form.

import * as z from 'zod/mini'
import type { DetectOptions } from '../domain/detect.js'
import { InputError as ConfigError } from '../domain/errors.js'
import type { PolicyOptions } from '../domain/policy.js'
import {
  inputOrder,
  inputsSchema,
  readInputs,
  type InputSource,
  type InputValues
} from './inputs.js'
import { toNotifyConfig, type NotifyConfig } from './notify-config.js'
import { crossFieldRules } from './rules.js'

export { InputError as ConfigError } from '../domain/errors.js'
export { parseDuration, parseList } from '../lib/parse.js'
export { labelSelectorProblem } from '../domain/label-selector.js'
export { decodeKubeconfig } from './checks.js'
export {
  CORE_INPUT_DEFAULTS,
  INPUT_DEFAULTS,
  type ActionInputName,
  type InputName,
  type InputSource
} from './inputs.js'

export type Mode = InputValues['Mode']

export type Auth =
  | { kind: 'kubeconfig' }
  | { kind: 'github-oidc'; server: string; certificateAuthority?: string; audience: string }
export type FailOn = InputValues['FailOn']
export type LogFormat = InputValues['LogFormat']

export interface Config {
  /** kubeconfig content (decoded from base64 when needed); '' = KUBECONFIG / ~/.kube/config / in-cluster. */
  kubeconfig: string
  /** The file the kubeconfig was read from, when the input is a path (relative paths in it are relative to it). */
  kubeconfigFile?: string
  /** How to log in: the kubeconfig, or keyless with the job's OIDC token. */
  auth: Auth
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
  /** '' = none; else the whole result is also written here as JSON. */
  resultFile: string
  /** Notification channels, routing and budget. */
  notify: NotifyConfig
}

/** The parsed inputs, shaped for the code that reads them (runs only when there is no problem). */
function toConfig(v: InputValues): Config {
  const deleteReasons = new Set(v.DeleteReasons)
  return {
    kubeconfig: v.Kubeconfig.content,
    kubeconfigFile: v.Kubeconfig.file,
    auth:
      v.Auth === 'github-oidc'
        ? {
            kind: 'github-oidc',
            server: v.Server ?? '',
            certificateAuthority: v.CertificateAuthority,
            audience: v.Audience ?? ''
          }
        : { kind: 'kubeconfig' },
    context: v.Context,
    namespaces: v.Namespaces,
    labelSelector: v.LabelSelector,
    pageSize: v.PageSize,
    // A reason listed for deletion is removed from the report-only list ("moved").
    detect: {
      deleteReasons,
      reportReasons: new Set(v.ReportReasons.filter(r => !deleteReasons.has(r)))
    },
    policy: {
      excludeNamespaces: new Set(v.ExcludeNamespaces),
      minRestarts: v.MinRestarts,
      minPodAgeSeconds: v.MinPodAge,
      maxDeletions: v.MaxDeletions,
      maxUnhealthyPercent: v.MaxUnhealthyPercent,
      deleteBarePods: v.DeleteBarePods,
      deleteDaemonSetPods: v.DeleteDaemonSetPods,
      deleteJobPods: v.DeleteJobPods
    },
    mode: v.Mode,
    gracePeriodSeconds: v.GracePeriodSeconds,
    dryRun: v.DryRun,
    failOn: v.FailOn,
    logFormat: v.LogFormat,
    timeoutSeconds: v.Timeout,
    requestTimeoutSeconds: v.RequestTimeout,
    verifyTimeoutSeconds: v.VerifyTimeout,
    stateFile: v.StateFile,
    giveUpAfter: v.GiveUpAfter,
    realertIntervalSeconds: v.RealertInterval,
    diagnose: v.Diagnose,
    diagnosticLogLines: v.DiagnosticLogLines,
    deleteUnfixable: v.DeleteUnfixable,
    resultFile: v.ResultFile,
    notify: toNotifyConfig(v)
  }
}

/** Raw inputs → Config: per-input schemas, then the cross-field refinement, then the shape. */
export const configSchema = z.pipe(
  inputsSchema.check(z.superRefine(crossFieldRules)),
  z.transform(toConfig)
)

/** The Config, or every problem with the inputs. */
export function parseConfig(input: InputSource): { config: Config } | { problems: string[] } {
  const parsed = configSchema.safeParse(readInputs(input))
  if (parsed.success) return { config: parsed.data }
  const issues = [...parsed.error.issues].sort(
    (a, b) => inputOrder(a.path[0]) - inputOrder(b.path[0])
  )
  return { problems: issues.map(issue => issue.message) }
}

/** Builds the Config; throws ConfigError listing every problem. */
export function buildConfig(input: InputSource): Config {
  const parsed = parseConfig(input)
  if ('problems' in parsed) throw new ConfigError(parsed.problems)
  return parsed.config
}
