// Inputs: when the step fails, its budgets, memory across runs and diagnosis.

import { stateFileProblem } from '../checks.js'
import {
  duration,
  durationOrAuto,
  flag,
  input,
  oneOf,
  wholeNumber,
  type FieldType
} from '../field.js'

/** '' = no memory; else a file that can be read and written (or created). */
const stateFile: FieldType<string> = {
  parse: f => {
    const problem = f.value ? stateFileProblem(f.value) : undefined
    if (problem)
      f.invalid(
        f.value,
        `a readable and writable JSON file, or a path where one can be created (${problem})`
      )
    return f.value
  }
}

/** '' = not written; else a file that can be written (or created). */
const resultFile: FieldType<string> = {
  parse: f => {
    const problem = f.value ? stateFileProblem(f.value) : undefined
    if (problem)
      f.invalid(f.value, `a writable file, or a path where one can be created (${problem})`)
    return f.value
  }
}

export const RUN_INPUTS = {
  FailOn: input(
    {
      name: 'fail-on',
      default: 'error',
      description:
        'When the step fails. never; error (a deletion failed, the cluster could not be read, the circuit breaker tripped, or an owner was given up on); unrecovered (also when a deleted pod did not recover); unhealthy (also when any broken pod is found).',
      help: 'when the exit code is 1'
    },
    oneOf(['never', 'error', 'unhealthy', 'unrecovered'])
  ),
  LogFormat: input(
    {
      name: 'log-format',
      default: 'text',
      description: 'text or json (one JSON object per log line).',
      help: 'log lines as text, or one JSON object per line'
    },
    oneOf(['text', 'json'])
  ),
  Timeout: input(
    {
      name: 'timeout',
      default: '8m',
      description: 'Budget for the whole run, so a scheduled run never overlaps the next one.',
      help: 'budget for the whole run'
    },
    duration(10, 6 * 3600)
  ),
  RequestTimeout: input(
    {
      name: 'request-timeout',
      default: '30s',
      description: 'Timeout of one API request (retried with backoff when safe).',
      help: 'timeout of one API request'
    },
    duration(1, 600)
  ),
  VerifyTimeout: input(
    {
      name: 'verify-timeout',
      default: 'auto',
      description:
        "How long to wait for each deleted pod's owner to bring up a new Ready pod. auto = by cluster size (≤ 50 namespaces 180s, ≤ 200 150s, more 120s); 0 = no check.",
      help: 'wait this long for replacements to be Ready (auto = by cluster size; 0 = off)'
    },
    durationOrAuto(duration(0, 6 * 3600))
  ),
  StateFile: input(
    {
      name: 'state-file',
      default: '',
      description:
        'A JSON file that remembers incidents and, per owner, cleanups that did not heal it (keep it with actions/cache; the reusable workflow does). Empty = no memory: every run alerts anew.',
      help: 'JSON file that remembers owners across runs (empty = no memory)'
    },
    stateFile
  ),
  GiveUpAfter: input(
    {
      name: 'give-up-after',
      default: '3',
      description:
        'After this many cleanups in a row that did not heal an owner, stop deleting its pods and escalate.',
      help: 'stop deleting an owner’s pods after this many unrecovered cleanups'
    },
    wholeNumber(1, 1000)
  ),
  RealertInterval: input(
    {
      name: 'realert-interval',
      default: '4h',
      description:
        'Remind of an incident that stays open (any kind) at most this often; 0 = every run. Needs state-file (without it every run alerts anew).',
      help: 'remind of an open incident at most this often'
    },
    duration(0, 30 * 24 * 3600)
  ),
  Diagnose: input(
    {
      name: 'diagnose',
      default: 'true',
      description:
        'Before acting, keep the evidence a delete destroys (previous container log tail, Warning events) and name the cause; causes a new pod cannot fix make the pod report-only.',
      help: 'collect previous logs and events before acting, and name the cause'
    },
    flag
  ),
  DiagnosticLogLines: input(
    {
      name: 'diagnostic-log-lines',
      default: '20',
      description: 'Lines of the previous container log kept per pod (0 = no logs).',
      help: 'lines of the previous container log to keep per pod'
    },
    wholeNumber(0, 500)
  ),
  DeleteUnfixable: input(
    {
      name: 'delete-unfixable',
      default: 'false',
      description:
        'Delete even when the diagnosed cause is one a new pod cannot fix (missing image/Secret/ConfigMap, invalid spec).',
      help: 'delete even when the cause is one a new pod cannot fix'
    },
    flag
  ),
  ResultFile: input(
    {
      name: 'result-file',
      default: '',
      description:
        'Also write the whole result (JSON, never cut, unlike the result output) to this file, e.g. for an artifact; the fleet workflow aggregates these. Empty = not written.',
      help: 'also write the whole result as JSON to this file'
    },
    resultFile
  )
}
