// Entry of the local CLI: the same cycle as the Action, with flags named like the inputs.
//   pod-cleaner scan [--kubeconfig F] [--context C] [-n NS …] [--file pods.json] [--output table|json]
//   pod-cleaner run [--dry-run] …

import { readFileSync } from 'node:fs'
import { parseArgs } from 'node:util'
import { failureReason, runNotifyTest, runWithConfig } from '../app/wiring.js'
import { buildConfig, ConfigError, INPUT_DEFAULTS, type Config } from '../config/config.js'
import { ActionInputs, Inputs, NotifyInputs, type ActionInputName } from '../constants.js'
import { runCycle } from '../cycle/run.js'
import { fileCluster, loadPodsFile } from '../kube/file-cluster.js'
import { consoleSink, createLogger } from '../lib/logger.js'
import { headline } from '../report/format.js'
import { notificationText, renderSummary } from '../report/summary.js'
import { renderTable } from '../report/table.js'
import type { CycleResult, PodRow } from '../domain/result.js'

const BOOLEAN_INPUTS = new Set<string>([
  Inputs.DryRun,
  Inputs.DeleteBarePods,
  Inputs.DeleteDaemonSetPods,
  Inputs.DeleteJobPods,
  Inputs.Diagnose,
  Inputs.DeleteUnfixable,
  NotifyInputs.BarkEnabled,
  NotifyInputs.BarkCritical
])

const HELP: Record<ActionInputName, string> = {
  [NotifyInputs.BarkUrl]: 'Bark server + device key (https://api.day.app/KEY) or server only',
  [NotifyInputs.BarkDeviceKeys]: 'Bark device keys (with a server-only bark-url)',
  [NotifyInputs.BarkEnabled]: 'send Bark pushes when bark-url is set',
  [NotifyInputs.BarkEncryptionKey]: 'encrypt Bark pushes (AES key of 16/24/32 characters)',
  [NotifyInputs.BarkCritical]:
    'critical alerts use Bark level critical (rings through silent mode)',
  [NotifyInputs.BarkMinSeverity]: 'info | warning | critical: the least a Bark push needs',
  [NotifyInputs.BarkGroup]: 'Bark group (default: the cluster context)',
  [NotifyInputs.SlackWebhook]: 'Slack incoming webhook URL',
  [NotifyInputs.SlackMinSeverity]: 'the least a Slack message needs',
  [NotifyInputs.DingTalkWebhook]: 'DingTalk robot webhook URL',
  [NotifyInputs.DingTalkSecret]: 'DingTalk signing secret',
  [NotifyInputs.DingTalkMinSeverity]: 'the least a DingTalk message needs',
  [NotifyInputs.WebhookUrl]: 'generic JSON webhook URL (the versioned cycle result)',
  [NotifyInputs.WebhookSecret]: 'HMAC-SHA256 key for the X-Pod-Cleaner-Signature header',
  [NotifyInputs.WebhookMinSeverity]: 'the least a webhook post needs',
  [NotifyInputs.SmtpUrl]: 'SMTP server, smtp(s)://user:pass@host:port',
  [NotifyInputs.EmailFrom]: 'email sender',
  [NotifyInputs.EmailTo]: 'email recipients',
  [NotifyInputs.EmailMinSeverity]: 'the least an email needs',
  [NotifyInputs.PushgatewayUrl]: 'Prometheus Pushgateway for run metrics',
  [NotifyInputs.NotifyTimeout]: 'budget for all notifications, retries included',
  [NotifyInputs.NotifyTest]:
    'send a sample to every channel instead of a cleanup (or: notify-test command)',
  [Inputs.Kubeconfig]: 'kubeconfig FILE (default: KUBECONFIG, ~/.kube/config, in-cluster)',
  [Inputs.Context]: 'kubeconfig context to use (default: current-context)',
  [Inputs.Namespaces]: 'only these namespaces (comma-separated; also -n NS, repeatable)',
  [Inputs.ExcludeNamespaces]: "never act in these namespaces ('-' = none)",
  [Inputs.LabelSelector]: 'only pods matching this label selector',
  [Inputs.PageSize]: 'pods per list request',
  [Inputs.DeleteReasons]: 'reasons a pod is deleted for (NonZeroExit = exit code != 0)',
  [Inputs.ReportReasons]: 'reasons that are reported, never deleted',
  [Inputs.MinRestarts]: 'restarts before a crash-looping pod is acted on',
  [Inputs.MinPodAge]: 'pods younger than this are left alone (e.g. 300, 5m)',
  [Inputs.MaxDeletions]: 'deletions per run at most',
  [Inputs.MaxUnhealthyPercent]: 'circuit breaker: act on nothing above this share of broken pods',
  [Inputs.DeleteBarePods]: 'also delete pods no controller will recreate',
  [Inputs.DeleteDaemonSetPods]: 'also delete DaemonSet pods',
  [Inputs.DeleteJobPods]: 'also delete Job and CronJob pods (the kubelet restarts them in place)',
  [Inputs.Mode]: 'delete | evict (evict honours PodDisruptionBudgets)',
  [Inputs.GracePeriodSeconds]: 'grace period for deletions (StatefulSet pods keep their own)',
  [Inputs.DryRun]: 'server-side dry run: nothing is deleted',
  [Inputs.FailOn]: 'never | error | unhealthy: when the exit code is 1',
  [Inputs.LogFormat]: 'text | json',
  [Inputs.Timeout]: 'budget for the whole run',
  [Inputs.RequestTimeout]: 'timeout of one API request',
  [Inputs.VerifyTimeout]:
    'wait this long for replacements to be Ready (auto = by cluster size; 0 = off)',
  [Inputs.StateFile]: 'JSON file that remembers owners across runs (empty = no memory)',
  [Inputs.GiveUpAfter]: 'stop deleting an owner’s pods after this many unrecovered cleanups',
  [Inputs.RealertInterval]: 'repeat a give-up alert at most this often',
  [Inputs.Diagnose]: 'collect previous logs and events before acting, and name the cause',
  [Inputs.DiagnosticLogLines]: 'lines of the previous container log to keep per pod',
  [Inputs.DeleteUnfixable]: 'delete even when the cause is one a new pod cannot fix'
}

export function usage(): string {
  const lines = [
    'Usage: pod-cleaner <command> [flags]',
    '',
    'Commands:',
    '  scan   list, detect and decide; print what would be done (read-only)',
    '  run    the full cycle: delete the broken pods (add --dry-run for a server-side dry run)',
    '  show   print a saved `result` output (JSON file) as a table',
    '  notify-test  send a sample message to every configured channel (like curl to Bark)',
    '',
    'Flags (same names and defaults as the Action inputs):'
  ]
  for (const name of Object.values(ActionInputs)) {
    const def = INPUT_DEFAULTS[name] ? ` [default: ${INPUT_DEFAULTS[name]}]` : ''
    lines.push(`  --${name.padEnd(24)}${HELP[name]}${def}`)
  }
  lines.push(
    '  -n NS                     same as --namespaces, repeatable',
    '  --file FILE               scan: decide offline from `kubectl get pods -A -o json`',
    '  --output table|json       output format (default: table)',
    '  --summary FILE            also write the Markdown job summary to FILE',
    '  -v, --verbose             debug logs',
    '  -h, --help                this help'
  )
  return lines.join('\n')
}

/** Lets boolean flags stand alone (`--dry-run`) or take a value (`--dry-run=false`). */
function normalizeBooleans(argv: string[]): string[] {
  const out: string[] = []
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string
    out.push(arg)
    if (arg.startsWith('--') && !arg.includes('=') && BOOLEAN_INPUTS.has(arg.slice(2))) {
      const next = argv[i + 1]
      if (next === undefined || next.startsWith('-')) out.push('true')
    }
  }
  return out
}

/** The CLI's JSON vocabulary: delete (done or would be), report, skip, failed. */
function jsonDecision(decision: PodRow['decision']): 'delete' | 'report' | 'skip' | 'failed' {
  if (decision === 'report') return 'report'
  if (decision === 'skipped' || decision === 'blocked') return 'skip'
  if (decision === 'failed') return 'failed'
  return 'delete'
}

/** Colour only for a terminal, and never with NO_COLOR (https://no-color.org). */
export const useColor = (): boolean =>
  process.env.FORCE_COLOR !== undefined
    ? process.env.FORCE_COLOR !== '0'
    : process.stdout.isTTY === true && !process.env.NO_COLOR

/** `show FILE`: prints a saved `result` output (JSON) as the table. */
function show(file: string | undefined, io: CliIo): number {
  if (!file) {
    io.stderr(
      "pod-cleaner: show needs the path of a saved result JSON (the Action's `result` output).\n"
    )
    return 2
  }
  let result: CycleResult
  try {
    result = JSON.parse(readFileSync(file, 'utf8')) as CycleResult
    if (result.version !== 1 || !Array.isArray(result.pods))
      throw new Error('not a Pod Cleaner result (version 1)')
  } catch (error) {
    io.stderr(
      `pod-cleaner: show ${file}: ${(error as Error).message}; expected the Action's \`result\` output.\n`
    )
    return 2
  }
  io.stdout(`${headline(result)}\n`)
  if (result.pods.length > 0) io.stdout(`\n${renderTable(result.pods, { color: useColor() })}\n`)
  for (const e of result.escalations ?? []) io.stdout(`escalation: ${e.message}\n`)
  for (const error of result.errors) io.stdout(`error: ${error}\n`)
  return 0
}

export interface CliIo {
  stdout: (text: string) => void
  stderr: (text: string) => void
}

export async function main(
  argv: string[],
  io: CliIo = { stdout: t => process.stdout.write(t), stderr: t => process.stderr.write(t) }
): Promise<number> {
  const options: Record<
    string,
    { type: 'string' | 'boolean'; short?: string; multiple?: boolean }
  > = {
    file: { type: 'string' },
    output: { type: 'string' },
    summary: { type: 'string' },
    verbose: { type: 'boolean', short: 'v' },
    help: { type: 'boolean', short: 'h' },
    namespace: { type: 'string', short: 'n', multiple: true }
  }
  for (const name of Object.values(ActionInputs)) options[name] = { type: 'string' }
  let parsed
  try {
    parsed = parseArgs({
      args: normalizeBooleans(argv),
      options,
      allowPositionals: true,
      strict: true
    })
  } catch (error) {
    io.stderr(`pod-cleaner: ${(error as Error).message}\n\n${usage()}\n`)
    return 2
  }
  const { values, positionals } = parsed
  const command = positionals[0]
  if (values.help || command === undefined || command === 'help') {
    io.stdout(`${usage()}\n`)
    return command === undefined && !values.help ? 2 : 0
  }
  if (command === 'show') return show(positionals[1], io)
  if (command !== 'scan' && command !== 'run' && command !== 'notify-test') {
    io.stderr(
      `pod-cleaner: unknown command ${JSON.stringify(command)}; expected scan, run, show or notify-test.\n`
    )
    return 2
  }
  const output = (values.output as string | undefined) ?? 'table'
  if (output !== 'table' && output !== 'json') {
    io.stderr(
      `pod-cleaner: --output ${JSON.stringify(output)} is not valid; expected table or json.\n`
    )
    return 2
  }

  let config: Config
  try {
    const file = values[Inputs.Kubeconfig] as string | undefined
    let kubeconfig = ''
    if (file) {
      try {
        kubeconfig = readFileSync(file, 'utf8')
      } catch (error) {
        throw new ConfigError([
          `--kubeconfig ${file}: cannot read the file (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}); expected a readable kubeconfig file.`
        ])
      }
    }
    const ns = [
      ...((values.namespace as string[] | undefined) ?? []),
      (values[Inputs.Namespaces] as string | undefined) ?? ''
    ]
      .filter(Boolean)
      .join(',')
    config = buildConfig(name => {
      if (name === Inputs.Kubeconfig) return kubeconfig
      if (name === Inputs.Namespaces) return ns
      return (values[name] as string | undefined) ?? ''
    })
  } catch (error) {
    io.stderr(`pod-cleaner: ${(error as Error).message}\n`)
    return 2
  }

  const logger = createLogger(consoleSink(values.verbose === true), config.logFormat)
  if (command === 'notify-test' || config.notify.test) {
    const outcomes = await runNotifyTest(config, logger)
    for (const o of outcomes) io.stdout(`${notificationText(o)}\n`)
    return outcomes.length > 0 && outcomes.every(o => o.status !== 'failed') ? 0 : 1
  }
  let result: CycleResult
  try {
    if (values.file) {
      if (command !== 'scan')
        throw new Error('--file works with scan only: a saved pod list cannot be acted on.')
      const path = values.file as string
      result = await runCycle(
        { ...config, diagnose: false },
        // Offline: no logs or events to read.
        { cluster: fileCluster(path, loadPodsFile(path), config.namespaces), logger },
        { scanOnly: true }
      )
    } else {
      result = await runWithConfig(config, logger, () => undefined, {
        scanOnly: command === 'scan'
      })
    }
  } catch (error) {
    io.stderr(`pod-cleaner: ${(error as Error).message}\n`)
    return 2
  }

  if (output === 'json') {
    io.stdout(
      `${JSON.stringify(
        {
          findings: result.pods.map(row => {
            const decision = jsonDecision(row.decision)
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
          }),
          counts: result.counts,
          breaker: result.breaker,
          errors: result.errors
        },
        null,
        2
      )}\n`
    )
  } else {
    io.stdout(`${headline(result)}\n`)
    if (result.pods.length > 0) io.stdout(`\n${renderTable(result.pods, { color: useColor() })}\n`)
    for (const e of result.escalations) io.stdout(`escalation: ${e.message}\n`)
    for (const error of result.errors) io.stdout(`error: ${error}\n`)
  }
  if (values.summary) {
    const { writeFileSync } = await import('node:fs')
    writeFileSync(values.summary as string, renderSummary(result))
  }
  const failure = failureReason(result, config.failOn)
  if (failure) {
    io.stderr(`pod-cleaner: ${failure} (fail-on: ${config.failOn})\n`)
    return 1
  }
  return 0
}
