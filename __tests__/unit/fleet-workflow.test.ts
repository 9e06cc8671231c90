// The fleet workflow (.github/workflows/fleet.yml) mirrors action.yml as pod-cleaner.yml does:
// every input of the Action is an input with the same default and type, overridable per cluster
// by the same key; credentials are secrets looked up by name (secrets: inherit); each cluster's
// result and outcome go to an artifact and its state to its own cache key; per-cluster
// notifications are off by default; the last job always runs the aggregate sub-action with the
// aggregate's inputs and exposes its outputs. (actionlint runs on it with every workflow:
// __tests__/integration/workflows.test.ts; with the two local actions: fleet-lint.test.ts.)
import { describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { parse } from 'yaml'
import {
  AGGREGATE_NOTIFY_INPUTS,
  AGGREGATE_SPECS,
  FleetOutputs
} from '../../src/config/aggregate.js'

interface Step {
  id?: string
  name?: string
  uses?: string
  run?: string
  if?: string
  with?: Record<string, unknown>
  env?: Record<string, unknown>
}
interface Job {
  name?: string
  needs?: string
  if?: string
  'runs-on'?: string
  strategy?: { 'fail-fast'?: boolean; 'max-parallel'?: string; matrix?: Record<string, unknown> }
  outputs?: Record<string, string>
  steps: Step[]
}
interface WorkflowInput {
  type: string
  default?: unknown
  required?: boolean
  description?: string
}
interface Workflow {
  on: {
    workflow_call: {
      inputs: Record<string, WorkflowInput>
      secrets?: Record<string, unknown>
      outputs: Record<string, { value: string }>
    }
  }
  permissions: unknown
  jobs: { clean: Job; aggregate: Job }
}

const fleet = parse(readFileSync('.github/workflows/fleet.yml', 'utf8')) as Workflow
const single = parse(readFileSync('.github/workflows/pod-cleaner.yml', 'utf8')) as Workflow
// Read at test time: inputs are added to action.yml over time (login, channels …).
const action = parse(readFileSync('action.yml', 'utf8')) as {
  inputs: Record<string, { default?: string }>
}
const actionInputs = Object.keys(action.inputs)
const call = fleet.on.workflow_call
const inputs = call.inputs

/** Inputs whose values are credentials (the same rule as the single-cluster workflow's test). */
const isSecretLike = (name: string): boolean =>
  name === 'kubeconfig' ||
  (/url|key|secret|webhook|token/.test(name) && !/-min-severity$/.test(name))
/** Set by the workflow itself, with why. */
const SET_BY_WORKFLOW: Record<string, string> = {
  kubeconfig: '${{ secrets[matrix.cluster.kubeconfig-secret] }}',
  'result-file': '${{ runner.temp }}/pod-cleaner-result/${{ matrix.cluster.name }}.json',
  // One state path for every cluster: each job has its own workspace and cache key.
  'state-file': '${{ inputs.state-file }}',
  // Metrics are per cluster whatever cluster-notifications says.
  'pushgateway-url': '${{ secrets[inputs.pushgateway-url-secret] }}',
  // Incident records are per cluster whatever cluster-notifications says.
  'github-token': '${{ secrets[inputs.github-token-secret] }}'
}
const FLEET_ONLY_INPUTS = [
  'clusters',
  'fleet-name',
  'cluster-notifications',
  'max-parallel',
  'runs-on',
  'timeout-minutes',
  'action-repository',
  'action-ref'
]

const clean = fleet.jobs.clean
const step = clean.steps.find(s => s.uses === './.pod-cleaner-action') as Step
const aggregateJob = fleet.jobs.aggregate
const aggregateStep = aggregateJob.steps.find(
  s => s.uses === './.pod-cleaner-action/aggregate'
) as Step

/** What the cluster step passes for an input of the Action. */
function expectedWith(name: string): string {
  if (name in SET_BY_WORKFLOW) return SET_BY_WORKFLOW[name] as string
  if (isSecretLike(name))
    return `\${{ inputs.cluster-notifications && secrets[inputs.${name}-secret] || '' }}`
  // A cluster's own value wins (false and 0 included); else the fleet's.
  const fleetValue =
    inputs[name]?.type === 'boolean' ? `format('{0}', inputs.${name})` : `inputs.${name}`
  return `\${{ toJSON(matrix.cluster.${name}) == 'null' && ${fleetValue} || matrix.cluster.${name} }}`
}

describe('fleet.yml mirrors action.yml', () => {
  it('every non-secret input of the Action is an input, as in pod-cleaner.yml', () => {
    const problems: string[] = []
    const singleInputs = single.on.workflow_call.inputs
    for (const name of actionInputs) {
      if (isSecretLike(name) || name === 'result-file') continue
      const mine = inputs[name]
      const theirs = singleInputs[name]
      if (!mine) problems.push(`missing input "${name}"`)
      else if (mine.type !== theirs?.type || String(mine.default) !== String(theirs?.default))
        problems.push(
          `"${name}": ${mine.type} '${mine.default}', pod-cleaner.yml: ${theirs?.type} '${theirs?.default}'`
        )
    }
    expect(problems).toEqual([])
  })

  it('every credential is the name of a secret (secrets: inherit), never a value', () => {
    expect(call.secrets).toBeUndefined()
    for (const name of actionInputs.filter(n => isSecretLike(n) && n !== 'kubeconfig')) {
      expect([name, inputs[`${name}-secret`]]).toEqual([
        name,
        expect.objectContaining({ type: 'string', default: '' })
      ])
      expect([name, name in inputs]).toEqual([name, false])
    }
  })

  it('passes every input of the Action on, overridable per cluster', () => {
    expect(step.with).toEqual(
      Object.fromEntries(actionInputs.map(name => [name, expectedWith(name)]))
    )
  })

  it('has no orphans', () => {
    const known = (name: string) =>
      actionInputs.includes(name) ||
      FLEET_ONLY_INPUTS.includes(name) ||
      (name.endsWith('-secret') && isSecretLike(name.slice(0, -'-secret'.length)))
    expect(Object.keys(inputs).filter(name => !known(name))).toEqual([])
  })

  it('per-cluster notifications are off by default; the clusters are required', () => {
    expect(inputs['cluster-notifications']).toMatchObject({ type: 'boolean', default: false })
    expect(inputs.clusters).toMatchObject({ type: 'string', required: true })
  })
})

describe('one job per cluster', () => {
  it('a matrix over the clusters that never cancels the others, max-parallel as given', () => {
    expect(clean.strategy).toEqual({
      'fail-fast': false,
      'max-parallel': '${{ inputs.max-parallel }}',
      matrix: { cluster: '${{ fromJSON(inputs.clusters) }}' }
    })
    expect(fleet.permissions).toEqual({ contents: 'read' })
  })

  it('keeps each cluster’s state under its own cache key, saved even when the run failed', () => {
    const key =
      'pod-cleaner-state-${{ matrix.cluster.name }}-${{ github.run_id }}-${{ github.run_attempt }}'
    const restore = clean.steps.find(s => s.uses?.startsWith('actions/cache/restore@'))
    const save = clean.steps.find(s => s.uses?.startsWith('actions/cache/save@'))
    expect(restore?.with).toEqual({
      path: '${{ inputs.state-file }}',
      key,
      'restore-keys': 'pod-cleaner-state-${{ matrix.cluster.name }}-'
    })
    expect(save?.with).toEqual({ path: '${{ inputs.state-file }}', key })
    expect(save?.if).toBe("always() && inputs.state-file != ''")
    expect(clean.steps.indexOf(restore as Step)).toBeLessThan(clean.steps.indexOf(step))
  })

  it('uploads the result and the step’s outcome, whatever happened, per cluster', () => {
    const record = clean.steps.find(s => s.name === 'Record the outcome') as Step
    const upload = clean.steps.find(s => s.uses?.startsWith('actions/upload-artifact@')) as Step
    for (const s of [record, upload]) {
      expect(s.if).toBe("always() && steps.name.outcome == 'success'")
      expect(clean.steps.indexOf(s)).toBeGreaterThan(clean.steps.indexOf(step))
    }
    expect(record.env).toEqual({
      CLUSTER: '${{ matrix.cluster.name }}',
      OUTCOME: `\${{ steps.${step.id}.outcome }}`,
      RESULT_DIR: '${{ runner.temp }}/pod-cleaner-result'
    })
    expect(upload.with).toMatchObject({
      name: 'pod-cleaner-result-${{ matrix.cluster.name }}',
      path: '${{ runner.temp }}/pod-cleaner-result/',
      overwrite: true
    })
    // The result file is written where the upload takes it from.
    expect(SET_BY_WORKFLOW['result-file']).toContain(String(record.env?.RESULT_DIR))
  })
})

describe('the aggregate job', () => {
  it('always runs after the clusters, downloads every result and runs the sub-action', () => {
    expect(aggregateJob.needs).toBe('clean')
    expect(aggregateJob.if).toBe('always()')
    const download = aggregateJob.steps.find(s =>
      s.uses?.startsWith('actions/download-artifact@')
    ) as Step
    expect(download.with).toEqual({
      pattern: 'pod-cleaner-result-*',
      'merge-multiple': true,
      path: '${{ runner.temp }}/pod-cleaner-results'
    })
    expect(aggregateStep.with?.results).toBe(download.with?.path)
  })

  it('gives the sub-action its inputs: the clusters, the fleet, fail-on and the channels', () => {
    const expected: Record<string, string> = {
      results: '${{ runner.temp }}/pod-cleaner-results',
      clusters: '${{ inputs.clusters }}',
      'fleet-name': '${{ inputs.fleet-name }}',
      'fail-on': '${{ inputs.fail-on }}'
    }
    expect(Object.keys(expected)).toEqual(AGGREGATE_SPECS.map(spec => spec.name))
    for (const name of AGGREGATE_NOTIFY_INPUTS)
      expected[name] = isSecretLike(name)
        ? `\${{ secrets[inputs.${name}-secret] }}`
        : `\${{ inputs.${name} }}`
    expect(aggregateStep.with).toEqual(expected)
  })

  it('exposes every fleet output', () => {
    const names = Object.values(FleetOutputs).sort()
    expect(Object.keys(call.outputs).sort()).toEqual(names)
    for (const name of names) {
      expect(call.outputs[name]?.value).toBe(`\${{ jobs.aggregate.outputs.${name} }}`)
      expect(aggregateJob.outputs?.[name]).toBe(`\${{ steps.${aggregateStep.id}.outputs.${name} }}`)
    }
  })
})
