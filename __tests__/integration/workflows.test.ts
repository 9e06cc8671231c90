// The GitHub workflows in .github/workflows: every one passes actionlint (which also checks the
// `with:` keys and `outputs` of `uses: ./` steps against action.yml); the inputs given to the
// Action or to the reusable workflow exist there; the reusable workflow mirrors action.yml; the
// example cleanup workflow is scheduled, serialised and least-privileged; actions are pinned.
import { beforeAll, describe, expect, it } from '@jest/globals'
import { execFileSync, spawnSync } from 'node:child_process'
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  writeFileSync
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parse } from 'yaml'
import { scrub } from '../fixtures/scrub.js'

interface Step {
  id?: string
  uses?: string
  run?: string
  if?: string
  with?: Record<string, unknown>
  env?: Record<string, unknown>
}
interface Job {
  uses?: string
  with?: Record<string, unknown>
  secrets?: Record<string, unknown> | 'inherit'
  steps?: Step[]
  outputs?: Record<string, string>
  concurrency?: unknown
  permissions?: unknown
}
interface WorkflowInput {
  type?: string
  default?: unknown
  required?: boolean
  description?: string
}
interface Workflow {
  name?: string
  on: Record<string, unknown>
  concurrency?: { group?: string; 'cancel-in-progress'?: unknown }
  permissions?: unknown
  jobs: Record<string, Job>
}
interface WorkflowCall {
  inputs?: Record<string, WorkflowInput>
  secrets?: Record<string, { required?: boolean }>
  outputs?: Record<string, { value: string }>
}

const WORKFLOW_DIR = '.github/workflows'
const REUSABLE = `${WORKFLOW_DIR}/pod-cleaner.yml`
const files = readdirSync(WORKFLOW_DIR)
  .filter(f => /\.ya?ml$/.test(f))
  .sort()
  .map(f => join(WORKFLOW_DIR, f))
const workflows = new Map(files.map(f => [f, parse(readFileSync(f, 'utf8')) as Workflow]))
const workflow = (file: string): Workflow => workflows.get(file) as Workflow

// Read at test time: other inputs (notification channels …) are added to action.yml over time.
const action = parse(readFileSync('action.yml', 'utf8')) as {
  inputs: Record<string, { default?: string; required?: boolean }>
  outputs: Record<string, unknown>
}
const actionInputs = Object.keys(action.inputs)

/** Inputs whose values are credentials: secrets in the reusable workflow, never inputs. */
// Routing settings (slack-min-severity …) name a channel but hold no credential.
const isSecretLike = (name: string): boolean =>
  name === 'kubeconfig' ||
  (/url|key|secret|webhook|token/.test(name) && !/-min-severity$/.test(name))

/** The reusable workflow's own inputs (not the Action's). */
const WORKFLOW_ONLY_INPUTS = [
  'cluster',
  'runs-on',
  'timeout-minutes',
  'action-repository',
  'action-ref'
]
/** Deliberate default differences, each with its reason. */
const DIFFERENT_DEFAULTS: Record<string, string> = {
  'state-file': 'the reusable workflow keeps memory across runs (actions/cache) by default'
}
/** Credentials of the notification channels: declared ahead, passed on once action.yml has them. */
const NOTIFICATION_SECRETS = [
  'bark-url',
  'bark-device-keys',
  'bark-encryption-key',
  'slack-webhook',
  'dingtalk-webhook',
  'dingtalk-secret',
  'webhook-url',
  'webhook-secret',
  'smtp-url'
]

const workflowCall = (): WorkflowCall => workflow(REUSABLE).on.workflow_call as WorkflowCall

/** Steps that run the Action: `uses: ./`, or a local path an earlier step checked it out to. */
function actionSteps(job: Job): Step[] {
  const checkedOut = new Set<string>()
  const found: Step[] = []
  for (const step of job.steps ?? []) {
    if (step.uses?.startsWith('actions/checkout@') && typeof step.with?.path === 'string')
      checkedOut.add(`./${String(step.with.path).replace(/^\.\/|\/$/g, '')}`)
    const uses = step.uses?.replace(/\/$/, '')
    if (step.uses === './' || (uses && checkedOut.has(uses))) found.push(step)
  }
  return found
}

/** A workflow with one job made of these step lines. */
const oneJob = (steps: string[]) =>
  ['on: push', 'jobs:', '  clean:', '    runs-on: ubuntu-latest', '    steps:', ...steps, ''].join(
    '\n'
  )

describe('actionlint', () => {
  const skip = process.env.POD_CLEANER_SKIP_ACTIONLINT === '1'
  let actionlint = ''
  let shellcheck = ''

  // First run: `go install` of the pinned actionlint (network, about a minute) and the pinned
  // shellcheck from the Debian archive (a few seconds); then cached.
  // actionlint runs shellcheck on every `run:` script only when it is given one.
  const lint = (args: string[], cwd?: string) =>
    spawnSync(actionlint, ['-shellcheck', shellcheck, ...args], { cwd, encoding: 'utf8' })
  // hack/tools.sh TOOL, or a clear error saying how to get the tool (or skip knowingly).
  const install = (tool: string, timeoutMs: number, hint: string) => {
    try {
      return execFileSync('bash', ['hack/tools.sh', tool], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'inherit'],
        timeout: timeoutMs
      }).trim()
    } catch (error) {
      throw new Error(
        `could not install ${tool} (hack/tools.sh ${tool}): ${hint}, or set ` +
          `POD_CLEANER_SKIP_ACTIONLINT=1 to skip these checks knowingly. ${String(error)}`
      )
    }
  }
  beforeAll(() => {
    if (skip) return
    const hasGo = spawnSync('go', ['version']).status === 0 || existsSync('/usr/local/go/bin/go')
    actionlint = install(
      'actionlint',
      15 * 60_000,
      hasGo ? 'the Go module proxy must be reachable' : 'Go is not installed; install Go >= 1.24'
    )
    shellcheck = install(
      'shellcheck',
      5 * 60_000,
      'the Debian archive must be reachable (or set DEBIAN_MIRROR)'
    )
  }, 20 * 60_000)

  const maybe = skip ? it.skip : it

  maybe('every workflow passes actionlint, shellcheck included', () => {
    const run = lint(['-no-color', '-format', '{{json .}}', ...files])
    expect(run.stderr).toBe('')
    const errors = JSON.parse(run.stdout || '[]') as Array<{
      filepath: string
      line: number
      column: number
      message: string
      kind: string
    }>
    expect(
      errors.map(e => `${e.filepath}:${e.line}:${e.column}: ${e.message} [${e.kind}]`)
    ).toEqual([])
    expect(run.status).toBe(0)
  })

  maybe('actionlint checks `uses: ./` inputs and outputs against action.yml', () => {
    // A throwaway repository with this action.yml and a workflow that misuses it: proves the
    // check above covers every `uses: ./` step (a future actionlint might stop doing it).
    const dir = mkdtempSync(join(tmpdir(), 'pod-cleaner-actionlint-'))
    mkdirSync(join(dir, '.github/workflows'), { recursive: true })
    // actionlint resolves local actions only inside a project (a directory with .git).
    mkdirSync(join(dir, '.git'))
    mkdirSync(join(dir, 'dist'))
    writeFileSync(join(dir, 'dist/index.js'), '')
    writeFileSync(join(dir, 'action.yml'), readFileSync('action.yml'))
    writeFileSync(
      join(dir, '.github/workflows/misuse.yml'),
      oneJob([
        '      - id: clean',
        '        uses: ./',
        '        with: { kubeconfig: x, min-pod-ages: "0" }',
        '      - run: echo "${{ steps.clean.outputs.deleted-pods }}"'
      ])
    )
    const run = lint(['-no-color', '.github/workflows/misuse.yml'], dir)
    expect(run.status).toBe(1)
    expect(scrub(run.stdout)).toMatch(/input "min-pod-ages" is not defined in action "Pod Cleaner"/)
    expect(scrub(run.stdout)).toMatch(/property "deleted-pods" is not defined/)
  })

  maybe('every shell script of the repository passes shellcheck', () => {
    const scripts = [
      ...execFileSync('git', ['ls-files', '*.sh'], { encoding: 'utf8' })
        .split('\n')
        .filter(Boolean),
      '.ci/run'
    ]
    expect(scripts).toEqual(
      expect.arrayContaining(['hack/cluster.sh', 'deploy/mint-kubeconfig.sh'])
    )
    const run = spawnSync(shellcheck, ['-x', '-P', 'SCRIPTDIR', '-f', 'gcc', ...scripts], {
      encoding: 'utf8'
    })
    expect(run.stdout.split('\n').filter(Boolean)).toEqual([])
    expect(run.status).toBe(0)
  })

  maybe('shellcheck runs on `run:` scripts', () => {
    // A script mistake only shellcheck finds: proves the check of every workflow above includes it.
    const dir = mkdtempSync(join(tmpdir(), 'pod-cleaner-shellcheck-'))
    mkdirSync(join(dir, '.github/workflows'), { recursive: true })
    writeFileSync(
      join(dir, '.github/workflows/script.yml'),
      oneJob(['      - run: |', '          files=$(ls *.json)', '          rm $files'])
    )
    const run = lint(['-no-color', '.github/workflows/script.yml'], dir)
    expect(run.status).toBe(1)
    expect(scrub(run.stdout)).toMatch(/shellcheck reported issue in this script: SC2086/)
  })
})

describe('inputs given to the Action and to the reusable workflow exist', () => {
  // actionlint cannot see an Action checked out at run time (the reusable workflow's), so this
  // checks every caller explicitly.
  it.each(files)('%s', file => {
    const problems: string[] = []
    for (const [jobName, job] of Object.entries(workflow(file).jobs)) {
      for (const step of actionSteps(job)) {
        for (const key of Object.keys(step.with ?? {}))
          if (!actionInputs.includes(key))
            problems.push(`${jobName}: input "${key}" is not in action.yml`)
        for (const [name, input] of Object.entries(action.inputs))
          if (input.required && input.default === undefined && !(name in (step.with ?? {})))
            problems.push(`${jobName}: required input "${name}" is missing`)
      }
      if (job.uses?.startsWith('./')) {
        const called = parse(readFileSync(job.uses, 'utf8')) as Workflow
        const call = called.on.workflow_call as WorkflowCall
        for (const key of Object.keys(job.with ?? {}))
          if (!(key in (call.inputs ?? {})))
            problems.push(`${jobName}: input "${key}" is not an input of ${job.uses}`)
        if (job.secrets !== 'inherit')
          for (const key of Object.keys(job.secrets ?? {}))
            if (!(key in (call.secrets ?? {})))
              problems.push(`${jobName}: secret "${key}" is not a secret of ${job.uses}`)
      }
    }
    expect(problems).toEqual([])
  })

  it('the reusable workflow runs the Action (checked out at action-ref)', () => {
    expect(actionSteps(workflow(REUSABLE).jobs.clean as Job)).toHaveLength(1)
  })
})

describe('the reusable workflow mirrors action.yml', () => {
  const call = workflowCall()
  const inputs = call.inputs ?? {}
  const secrets = call.secrets ?? {}
  const job = workflow(REUSABLE).jobs.clean as Job
  const step = actionSteps(job)[0] as Step

  it('every non-secret input of the Action is an input, with the same default and type', () => {
    const problems: string[] = []
    for (const [name, input] of Object.entries(action.inputs)) {
      if (isSecretLike(name)) continue
      const mirrored = inputs[name]
      if (!mirrored) {
        problems.push(`missing input "${name}" (default '${input.default ?? ''}')`)
        continue
      }
      const boolean = input.default === 'true' || input.default === 'false'
      if (mirrored.type !== (boolean ? 'boolean' : 'string'))
        problems.push(`"${name}" has type ${mirrored.type}, want ${boolean ? 'boolean' : 'string'}`)
      const actual = String(mirrored.default ?? '')
      const wanted = input.default ?? ''
      if (name in DIFFERENT_DEFAULTS) {
        if (actual === wanted) problems.push(`"${name}": ${DIFFERENT_DEFAULTS[name]}`)
      } else if (actual !== wanted)
        problems.push(`"${name}" defaults to '${actual}', action.yml to '${wanted}'`)
    }
    expect(problems).toEqual([])
  })

  it('every secret-like input of the Action (kubeconfig, *url*, *key*, *secret*, *webhook*) is a secret', () => {
    const secretLike = actionInputs.filter(isSecretLike)
    expect(secretLike).toContain('kubeconfig')
    for (const name of secretLike) {
      expect([name, name in secrets]).toEqual([name, true])
      expect([name, name in inputs]).toEqual([name, false])
    }
  })

  it('passes every input of the Action on, each from its own input or secret', () => {
    const expected = Object.fromEntries(
      actionInputs.map(name => [
        name,
        `\${{ ${isSecretLike(name) ? 'secrets' : 'inputs'}.${name} }}`
      ])
    )
    expect(step.with).toEqual(expected)
  })

  it('has no orphans: every input is the Action’s or the workflow’s own; every secret is a credential', () => {
    const orphans = Object.keys(inputs).filter(
      name => !actionInputs.includes(name) && !WORKFLOW_ONLY_INPUTS.includes(name)
    )
    expect(orphans).toEqual([])
    expect(Object.keys(secrets).filter(name => !isSecretLike(name))).toEqual([])
    expect(Object.keys(secrets)).toEqual(expect.arrayContaining(NOTIFICATION_SECRETS))
  })

  it('exposes every output of the Action', () => {
    const outputs = call.outputs ?? {}
    expect(Object.keys(outputs).sort()).toEqual(Object.keys(action.outputs).sort())
    for (const name of Object.keys(action.outputs)) {
      expect(outputs[name]?.value).toBe(`\${{ jobs.clean.outputs.${name} }}`)
      expect(job.outputs?.[name]).toBe(`\${{ steps.${step.id}.outputs.${name} }}`)
    }
  })

  it('keeps the state file in the Actions cache, keyed per cluster and run, saved only when changed', () => {
    const steps = job.steps ?? []
    const restore = steps.find(s => s.uses?.startsWith('actions/cache/restore@'))
    const save = steps.find(s => s.uses?.startsWith('actions/cache/save@'))
    const before = steps.find(s => s.id === 'state-before')
    const after = steps.find(s => s.id === 'state-after')
    const key =
      'pod-cleaner-state-${{ inputs.cluster }}-${{ github.run_id }}-${{ github.run_attempt }}'
    expect(restore?.with).toEqual({
      path: '${{ inputs.state-file }}',
      key,
      'restore-keys': 'pod-cleaner-state-${{ inputs.cluster }}-'
    })
    // The key names the state's hash; the restore prefix finds the newest entry.
    expect(save?.with).toEqual({
      path: '${{ inputs.state-file }}',
      key: `${key}-\${{ steps.state-after.outputs.hash }}`
    })
    // Restored and hashed before the Action runs; hashed again and saved after it, even when it
    // failed — and only when the hash changed.
    const at = (s: Step | undefined) => steps.indexOf(s as Step)
    expect([at(restore), at(before), at(step), at(after), at(save)]).toEqual(
      [...[at(restore), at(before), at(step), at(after), at(save)]].sort((a, b) => a - b)
    )
    expect(at(restore)).toBeGreaterThanOrEqual(0)
    expect(after?.if).toBe("always() && inputs.state-file != ''")
    expect(String(save?.if).replace(/\s+/g, ' ').trim()).toBe(
      "always() && inputs.state-file != '' && steps.state-after.outputs.hash != '' && steps.state-after.outputs.hash != steps.state-before.outputs.hash"
    )
    expect(step.with?.['state-file']).toBe('${{ inputs.state-file }}')
  })

  it('hashes the state file the same way before and after (an absent file: no hash)', () => {
    const steps = job.steps ?? []
    const before = steps.find(s => s.id === 'state-before')
    const after = steps.find(s => s.id === 'state-after')
    expect(before?.run).toBe(after?.run)
    const dir = mkdtempSync(join(tmpdir(), 'pc-hash-'))
    const hash = (file: string) => {
      const out = join(dir, 'out')
      writeFileSync(out, '')
      execFileSync(
        'bash',
        ['--noprofile', '--norc', '-eo', 'pipefail', '-c', String(before?.run)],
        {
          env: { PATH: process.env.PATH, STATE_FILE: file, GITHUB_OUTPUT: out }
        }
      )
      return readFileSync(out, 'utf8')
    }
    writeFileSync(join(dir, 'a.json'), '{"version":2}\n')
    writeFileSync(join(dir, 'b.json'), '{"version":2}\n')
    expect(hash(join(dir, 'missing.json'))).toBe('hash=\n')
    expect(hash(join(dir, 'a.json'))).toMatch(/^hash=[0-9a-f]{16}\n$/)
    expect(hash(join(dir, 'a.json'))).toBe(hash(join(dir, 'b.json')))
  })
})

describe('cleanup.yml (the example)', () => {
  const cleanup = workflow(`${WORKFLOW_DIR}/cleanup.yml`)

  it('runs every 10 minutes and on demand with dry-run, namespaces and label-selector', () => {
    expect(cleanup.on.schedule).toEqual([{ cron: '7-59/10 * * * *' }])
    const dispatch = cleanup.on.workflow_dispatch as { inputs: Record<string, WorkflowInput> }
    expect(Object.keys(dispatch.inputs).sort()).toEqual(['dry-run', 'label-selector', 'namespaces'])
    expect(dispatch.inputs['dry-run']?.type).toBe('boolean')
  })

  it('never overlaps itself and never cancels a run half-way', () => {
    expect(cleanup.concurrency?.group).toEqual(expect.stringMatching(/\S/))
    expect(cleanup.concurrency?.['cancel-in-progress']).toBe(false)
  })

  it('has minimal permissions (contents: read), also in the reusable workflow', () => {
    expect(cleanup.permissions).toEqual({ contents: 'read' })
    expect(workflow(REUSABLE).permissions).toEqual({ contents: 'read' })
    for (const job of Object.values(cleanup.jobs)) expect(job.permissions).toBeUndefined()
  })

  it('calls the reusable workflow with the dispatch inputs and the KUBECONFIG secret', () => {
    const job = Object.values(cleanup.jobs)[0] as Job
    expect(job.uses).toBe(`./${REUSABLE}`)
    expect(Object.keys(job.with ?? {})).toEqual(
      expect.arrayContaining(['dry-run', 'namespaces', 'label-selector'])
    )
    expect(job.secrets).toEqual({ kubeconfig: '${{ secrets.KUBECONFIG }}' })
  })
})

describe('pinning', () => {
  it('every third-party action is pinned to a version tag or a commit, with the version in a comment', () => {
    const problems: string[] = []
    for (const file of files)
      readFileSync(file, 'utf8')
        .split('\n')
        .forEach((line, i) => {
          const m = /^\s*(?:-\s+)?uses:\s*([^\s#]+)(.*)$/.exec(line)
          if (!m || (m[1] as string).startsWith('./')) return
          const [, ref] = (m[1] as string).split('@')
          if (!ref || !/^(v\d+(\.\d+){0,2}|[0-9a-f]{40})$/.test(ref))
            problems.push(`${file}:${i + 1}: ${m[1]} is not pinned to a version or commit`)
          else if (!/#\s*v?\d+\.\d+\.\d+|#\s*[0-9a-f]{40}/.test(m[2] as string))
            problems.push(`${file}:${i + 1}: ${m[1]} has no "# vX.Y.Z" comment`)
        })
    expect(problems).toEqual([])
  })

  it('e2e covers Kubernetes 1.32 … 1.36 on digest-pinned kind node images', () => {
    const e2e = workflow(`${WORKFLOW_DIR}/e2e.yml`)
    const job = e2e.jobs.kind as Job & {
      strategy: { matrix: { include: Array<{ k8s: string; kind: string; image: string }> } }
    }
    const include = job.strategy.matrix.include
    expect(include.map(e => e.k8s).sort()).toEqual(['1.32', '1.33', '1.34', '1.35', '1.36'])
    for (const entry of include) {
      expect(entry.image).toMatch(
        new RegExp(`^kindest/node:v${entry.k8s.replace('.', '\\.')}\\.\\d+@sha256:[0-9a-f]{64}$`)
      )
      expect(entry.kind).toMatch(/^v\d+\.\d+\.\d+$/)
    }
    const steps = job.steps ?? []
    expect(steps.filter(s => s.uses === './')).toHaveLength(2)
    expect(steps.filter(s => s.uses === './').map(s => s.with?.['dry-run'])).toEqual([
      undefined,
      'true'
    ])
  })
})
