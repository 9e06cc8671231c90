// action.yml, the Config defaults, the constants and the README must agree: every input is
// documented, defaulted identically and parsed by the code; no orphans.
import { describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { parse } from 'yaml'
import { INPUT_DEFAULTS } from '../../src/config/config.js'
import { ActionInputs, Outputs } from '../../src/constants.js'

const action = parse(readFileSync('action.yml', 'utf8')) as {
  inputs: Record<string, { description: string; default?: string; required?: boolean }>
  outputs: Record<string, { description: string }>
  runs: { using: string; main: string }
}
const readme = readFileSync('README.md', 'utf8')

describe('action.yml', () => {
  it('runs on node24 from dist/index.js', () => {
    expect(action.runs).toEqual({ using: 'node24', main: 'dist/index.js' })
  })

  it('declares exactly the inputs the code reads, with the same defaults', () => {
    expect(Object.keys(action.inputs).sort()).toEqual(Object.values(ActionInputs).sort())
    for (const [name, input] of Object.entries(action.inputs)) {
      expect([name, String(input.default ?? '')]).toEqual([
        name,
        INPUT_DEFAULTS[name as keyof typeof INPUT_DEFAULTS]
      ])
      expect(input.description.length).toBeGreaterThan(10)
    }
  })

  it('declares exactly the outputs the code sets', () => {
    expect(Object.keys(action.outputs).sort()).toEqual(Object.values(Outputs).sort())
  })

  it('the README documents every input with its default, and every output', () => {
    for (const name of Object.values(ActionInputs)) {
      const line = readme.split('\n').find(l => l.startsWith(`| \`${name}\` |`))
      expect([name, line]).toEqual([name, expect.any(String)])
      const def = INPUT_DEFAULTS[name]
      expect([name, line?.includes(def === '' ? '| |' : `\`${def}\``)]).toEqual([name, true])
    }
    for (const name of Object.values(Outputs)) expect(readme).toContain(`| \`${name}\` |`)
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
