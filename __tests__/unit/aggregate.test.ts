// `pod-cleaner aggregate` in-process (files in a temporary directory, no channel): every expected
// cluster's result read through the schema, or a "no result" row saying why; its inputs and
// problems; and aggregate/action.yml agreeing with the code (its own inputs from the specs, the
// notification inputs word for word as action.yml, the outputs the code sets, the bundle).
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parse } from 'yaml'
import { main } from '../../src/cli/main.js'
import {
  AGGREGATE_NOTIFY_INPUTS,
  AGGREGATE_SPECS,
  FleetOutputs,
  parseAggregateConfig
} from '../../src/config/aggregate.js'
import { NotifyInputs } from '../../src/config/inputs.js'
import { cycleResultSchema } from '../../src/domain/result-schema.js'
import {
  readFleetResults,
  resultFileSchema,
  unexpectedResults
} from '../../src/store/result-files.js'
import { result, row } from '../fixtures/result.js'

const dir = mkdtempSync(join(tmpdir(), 'pod-cleaner-aggregate-unit-'))
const results = join(dir, 'results')
mkdirSync(results)
const put = (name: string, content: unknown) =>
  writeFileSync(
    join(results, name),
    typeof content === 'string' ? content : JSON.stringify(content)
  )

put('alpha.json', result([row()], { cluster: { context: 'a', server: 'https://a' } }))
put('beta.json', result([], { cluster: { context: 'b', server: 'https://b' } }))
put('broken.json', '{"version": 1, "oops": true}')
put('cut.outcome', 'failure\n')
put('gone.outcome', 'cancelled\n')
put('stray.json', result([]))

async function cli(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = ''
  let stderr = ''
  const code = await main(argv, { stdout: t => (stdout += t), stderr: t => (stderr += t) })
  return { code, stdout, stderr }
}

// The aggregate's log lines go to stderr through console.error; keep the test output quiet.
beforeAll(() => {
  jest.spyOn(console, 'error').mockImplementation(() => undefined)
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('reading the results', () => {
  it('each expected cluster: its result, or why there is none', () => {
    const reports = readFleetResults(results, ['alpha', 'beta', 'broken', 'cut', 'gone', 'never'])
    expect(reports.map(r => [r.name, r.result ? 'result' : r.missing])).toEqual([
      ['alpha', 'result'],
      ['beta', 'result'],
      [
        'broken',
        'no result: broken.json is unusable (not a Pod Cleaner result (version 1): startedAt is not valid)'
      ],
      ['cut', 'no result: the run failed before it had a result (see the job log)'],
      ['gone', 'no result: the run was cancelled (or timed out)'],
      ['never', 'no result: the job failed, timed out or was cancelled']
    ])
    expect(unexpectedResults(results, ['alpha', 'beta', 'broken'])).toEqual(['stray'])
  })
})

describe('the fast result schema (JIT-compiled rows) says what the result schema says', () => {
  const full = result([
    row(),
    row({
      pod: 'diag',
      owner: undefined,
      exitCode: undefined,
      decision: 'report',
      detail: 'x',
      cause: 'missing Secret s',
      diagnosis: {
        logTail: ['a', 'b'],
        events: [{ reason: 'BackOff', message: 'm', count: 2, lastSeen: 'now' }],
        notes: []
      },
      outcome: 'not-recovered',
      outcomeDetail: 'd',
      replacement: 'r',
      brokenSince: 't'
    })
  ])
  const older: Record<string, unknown> = { ...result([row()]) }
  delete older.warnings
  delete older.incidents
  const variants: Array<[string, unknown]> = [
    ['a full result', full],
    ['a result written before warnings and incidents existed', older],
    ['a row with an unknown key (stripped)', result([{ ...row(), surprise: 1 } as never])],
    ['an unknown decision', { ...result([]), pods: [row({ decision: 'vanished' as never })] }],
    ['a row of the wrong types', result([row({ restarts: 'many' as never, init: 1 as never })])],
    ['a row without its pod', result([{ ...row(), pod: undefined } as never])],
    ['pods that are not a list', { ...result([]), pods: {} }],
    ['not a result', { hello: 1 }]
  ]
  it.each(variants)('%s', (_, input) => {
    const slow = cycleResultSchema.safeParse(structuredClone(input))
    const fast = resultFileSchema().safeParse(structuredClone(input))
    expect(fast.success).toBe(slow.success)
    expect(fast.data).toEqual(slow.data)
    const issues = (r: typeof slow | typeof fast) =>
      (r.error?.issues ?? []).map(i => [i.path.join('.'), i.code, i.message])
    expect(issues(fast)).toEqual(issues(slow))
  })
})

describe('pod-cleaner aggregate', () => {
  it('--output json: the fleet outputs; exit 1 under fail-on error for the missing cluster', async () => {
    const run = await cli(
      'aggregate',
      '--results',
      results,
      '--clusters',
      '[{"name":"alpha","kubeconfig-secret":"K_A"},{"name":"beta"},{"name":"never"}]',
      '--output',
      'json'
    )
    expect(run.code).toBe(1)
    expect(run.stderr).toContain(
      'pod-cleaner: never: no result: the job failed, timed out or was cancelled (fail-on: error)'
    )
    const outputs = JSON.parse(run.stdout) as Record<string, string>
    expect(Object.keys(outputs).sort()).toEqual(Object.values(FleetOutputs).sort())
    expect(outputs).toMatchObject({
      'cluster-count': '3',
      'reported-count': '2',
      'missing-clusters': 'never',
      'unhealthy-count': '1'
    })
  })

  it('the summary on stdout and in --summary; fail-on never passes', async () => {
    const summary = join(dir, 'summary.md')
    const run = await cli(
      'aggregate',
      '--results',
      results,
      '--clusters',
      'alpha,beta,never',
      '--fleet-name',
      'prod',
      '--fail-on',
      'never',
      '--summary',
      summary
    )
    expect(run.code).toBe(0)
    expect(run.stdout.split('\n')[0]).toBe('## Pod Cleaner fleet — prod: 3 clusters')
    expect(readFileSync(summary, 'utf8')).toBe(run.stdout)
    expect(run.stdout).toContain(
      '| **never** | — | — | — | — | — | — | **no result: the job failed, timed out or was cancelled** |'
    )
    expect(run.stdout).toContain('Results for clusters that are not in the list were left out')
  })

  it('every problem with its inputs at once, exit 2', async () => {
    const run = await cli('aggregate', '--clusters', '[{"name":"a b"}]', '--fail-on', 'sometimes')
    expect(run.code).toBe(2)
    expect(run.stderr.trim().split('\n')).toEqual([
      "pod-cleaner: Input 'results' is empty; expected the directory that holds one <cluster>.json result per cluster.",
      `Input 'clusters': entry 1: name "a b" is not valid; expected letters, digits, '.', '_' or '-' (at most 63, starting with a letter or digit).`,
      `Input 'fail-on': "sometimes" is not valid; expected one of never, error, unhealthy, unrecovered.`
    ])
  })

  it('notification inputs are the Action’s; Pushgateway stays with each cluster', () => {
    const parsed = parseAggregateConfig(
      name =>
        ({
          results: results,
          clusters: 'a',
          'bark-url': 'https://api.day.app/abcdefghijklmnopqrstuv',
          'pushgateway-url': 'http://127.0.0.1:9091'
        })[name] ?? ''
    )
    expect('config' in parsed && parsed.config.notify.bark?.deviceKeys).toEqual([
      'abcdefghijklmnopqrstuv'
    ])
    expect('config' in parsed && parsed.config.notify.pushgateway).toBeUndefined()
  })
})

describe('aggregate/action.yml', () => {
  interface ActionYml {
    inputs: Record<string, { description: string; default?: string; required?: boolean }>
    outputs: Record<string, { description: string }>
    runs: { using: string; main: string }
  }
  const sub = parse(readFileSync('aggregate/action.yml', 'utf8')) as ActionYml
  const action = parse(readFileSync('action.yml', 'utf8')) as ActionYml

  it('runs the aggregate bundle on node24', () => {
    expect(sub.runs).toEqual({ using: 'node24', main: '../dist/aggregate.js' })
  })

  it('its own inputs from the specs, then the Action’s notification inputs but Pushgateway’s', () => {
    expect(Object.keys(sub.inputs)).toEqual([
      ...AGGREGATE_SPECS.map(spec => spec.name),
      ...AGGREGATE_NOTIFY_INPUTS
    ])
    expect(AGGREGATE_NOTIFY_INPUTS).not.toContain(NotifyInputs.PushgatewayUrl)
    for (const spec of AGGREGATE_SPECS)
      expect([spec.name, sub.inputs[spec.name]]).toEqual([
        spec.name,
        { description: spec.description, required: false, default: spec.default }
      ])
    for (const name of AGGREGATE_NOTIFY_INPUTS)
      expect([name, sub.inputs[name]]).toEqual([name, action.inputs[name]])
  })

  it('declares exactly the outputs the code sets', () => {
    expect(Object.keys(sub.outputs).sort()).toEqual(Object.values(FleetOutputs).sort())
  })
})
