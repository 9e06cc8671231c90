// The input specs (src/config/specs) are the source of truth; action.yml and the reusable
// workflow must agree with them: the same inputs in the same order, the same defaults, action.yml's
// descriptions word for word, credentials as workflow secrets and flags as workflow booleans.
// (README's tables are generated from action.yml by `npm run docs`, and checked by its own test.)
import { describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { parse } from 'yaml'
import { INPUT_DEFAULTS, INPUT_SPECS, SECRET_INPUTS } from '../../src/config/inputs.js'
import { Outputs } from '../../src/config/outputs.js'

interface ActionYml {
  inputs: Record<string, { description: string; default?: string; required?: boolean }>
  outputs: Record<string, { description: string }>
  runs: { using: string; main: string }
}
interface WorkflowInput {
  type: string
  default?: string | boolean | number
  description?: string
}
interface WorkflowCall {
  inputs: Record<string, WorkflowInput>
  secrets: Record<string, { required?: boolean; description?: string }>
}

const action = parse(readFileSync('action.yml', 'utf8')) as ActionYml
const reusable = parse(readFileSync('.github/workflows/pod-cleaner.yml', 'utf8')) as {
  on: { workflow_call: WorkflowCall }
}
const call = reusable.on.workflow_call

/** The workflow's own inputs, and the one intended difference (memory across runs is on). */
const WORKFLOW_ONLY = ['cluster', 'runs-on', 'timeout-minutes', 'action-repository', 'action-ref']
const WORKFLOW_DEFAULTS: Record<string, string> = { 'state-file': '.pod-cleaner/state.json' }

describe('action.yml and the input specs', () => {
  it('runs on node24 from dist/index.js', () => {
    expect(action.runs).toEqual({ using: 'node24', main: 'dist/index.js' })
  })

  it('declares exactly the specs, in their order', () => {
    expect(Object.keys(action.inputs)).toEqual(INPUT_SPECS.map(spec => spec.name))
  })

  it.each(INPUT_SPECS.map(spec => [spec.name, spec] as const))(
    '%s: same default and description, optional',
    (name, spec) => {
      const input = action.inputs[name]
      expect(input?.required).toBe(false)
      expect(String(input?.default ?? '')).toBe(spec.default)
      // YAML folds `>-` descriptions into one line; the spec holds that line.
      expect(input?.description).toBe(spec.description)
    }
  )

  it('declares exactly the outputs the code sets', () => {
    expect(Object.keys(action.outputs).sort()).toEqual(Object.values(Outputs).sort())
  })
})

describe('the reusable workflow and the input specs', () => {
  it('passes every input on: credentials as secrets, the rest as inputs', () => {
    expect(Object.keys(call.secrets).sort()).toEqual([...SECRET_INPUTS].sort())
    const inputs = Object.keys(call.inputs).filter(name => !WORKFLOW_ONLY.includes(name))
    expect(inputs.sort()).toEqual(
      INPUT_SPECS.filter(spec => !spec.secret)
        .map(spec => spec.name)
        .sort()
    )
  })

  it.each(INPUT_SPECS.filter(spec => !spec.secret).map(spec => [spec.name, spec] as const))(
    '%s: same default, a boolean exactly when a flag, described',
    (name, spec) => {
      const input = call.inputs[name] as WorkflowInput
      expect(String(input.default)).toBe(WORKFLOW_DEFAULTS[name] ?? spec.default)
      expect(input.type).toBe(spec.boolean ? 'boolean' : 'string')
      expect(input.description?.length).toBeGreaterThan(5)
    }
  )

  it('secrets have no default (but the workflow token) and are never required', () => {
    for (const secret of Object.values(call.secrets)) expect(secret.required).toBe(false)
    for (const name of SECRET_INPUTS)
      expect([name, INPUT_DEFAULTS[name]]).toEqual([
        name,
        name === 'github-token' ? '${{ github.token }}' : ''
      ])
  })
})

describe('package.json', () => {
  const pkg = JSON.parse(readFileSync('package.json', 'utf8'))
  it('pins Node 24 and says so in engines', () => {
    expect(pkg.engines.node).toBe('>=24')
    expect(pkg.devDependencies.node).toMatch(/^24\./)
    expect(pkg.type).toBe('module')
  })
})
