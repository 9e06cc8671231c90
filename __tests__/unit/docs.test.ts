// The repository as a user meets it: a Marketplace-ready action.yml, LICENSE, SECURITY.md and
// CONTRIBUTING.md; a README under 300 lines whose inputs/outputs tables are generated from
// action.yml (scripts/docs.mjs) and in sync; one owner/name for the Action everywhere; relative
// links that lead somewhere; the copyable example workflow calling what exists.
import { describe, expect, it } from '@jest/globals'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { dirname, join, normalize } from 'node:path'
import { parse } from 'yaml'
import { inputsTable, outputsTable, renderReadme } from '../../scripts/docs.mjs'
import { ACTION_REPO } from '../../scripts/repo.mjs'

const read = (file: string): string => readFileSync(file, 'utf8')
const readme = read('README.md')
const actionYml = read('action.yml')
const action = parse(actionYml) as {
  name: string
  description: string
  branding?: { icon?: string; color?: string }
  inputs: Record<string, { description: string; default?: string }>
  outputs: Record<string, { description: string }>
}
const filesIn = (dir: string, pattern: RegExp): string[] =>
  readdirSync(dir, { withFileTypes: true })
    .filter(f => f.isFile() && pattern.test(f.name))
    .map(f => join(dir, f.name))

describe('Marketplace listing', () => {
  it('action.yml has a name, a description under 125 characters and branding', () => {
    expect(action.name).toMatch(/\S/)
    expect(action.description.length).toBeGreaterThan(20)
    expect(action.description.length).toBeLessThan(125)
    expect(action.branding?.icon).toMatch(/\S/)
    expect(action.branding?.color).toMatch(/\S/)
  })

  it('has an MIT LICENSE matching package.json', () => {
    const pkg = JSON.parse(read('package.json')) as { license: string }
    expect(pkg.license).toBe('MIT')
    expect(read('LICENSE')).toMatch(
      /^MIT License\n\nCopyright \(c\) \d{4} Pod Cleaner Action contributors\n/
    )
  })

  it('SECURITY.md says how to report privately and what is in scope', () => {
    const security = read('SECURITY.md')
    expect(security).toContain(`https://github.com/${ACTION_REPO}/security/advisories/new`)
    expect(security).toMatch(/Credentials handling/)
    expect(security).toMatch(/Deletion safety/)
  })

  it('CONTRIBUTING.md holds the development material: control plane, tests, demo, layout, releases', () => {
    const contributing = read('CONTRIBUTING.md')
    for (const heading of [
      '## Set-up',
      '## The test control plane (`hack/`)',
      '## The demo (`npm start`)',
      '## Benchmarks (`npm run bench`)',
      '## Layout',
      '## Releasing'
    ])
      expect(contributing).toContain(heading)
    for (const dir of [
      'action',
      'cli',
      'config',
      'domain',
      'cycle',
      'kube',
      'notify',
      'report',
      'lib'
    ])
      expect(contributing).toContain(`src/${dir}/`)
    expect(contributing).toMatch(/\*\*Dependency rule\*\*/)
  })
})

describe('README', () => {
  it('is for users: at most 300 lines', () => {
    expect(readme.split('\n').length).toBeLessThanOrEqual(300)
  })

  it('its inputs and outputs tables equal what `npm run docs` generates from action.yml', () => {
    // On failure: run `npm run docs` and commit README.md.
    expect(renderReadme(readme, actionYml)).toBe(readme)
  })

  it('the check notices a drift: a changed description or a new input changes the tables', () => {
    const changed = actionYml.replace(
      /(\n {2}min-restarts:\n {4}description: )[^\n]+/,
      '$1Restarts before acting (edited).'
    )
    expect(changed).not.toBe(actionYml)
    expect(renderReadme(readme, changed)).not.toBe(readme)
    expect(renderReadme(readme, changed)).toContain(
      '| `min-restarts` | `3` | Restarts before acting (edited). |'
    )
  })

  it('generates one row per input and output, empty defaults as empty cells, pipes escaped', () => {
    const table = inputsTable({
      inputs: {
        a: { description: 'first\nline', default: '' },
        b: { description: 'x | y', default: '5m' },
        c: { description: 'needed', required: true }
      }
    })
    expect(table.split('\n')).toEqual([
      '| Input | Default | Description |',
      '| --- | --- | --- |',
      '| `a` | | first line |',
      '| `b` | `5m` | x \\| y |',
      '| `c` | | needed **Required.** |'
    ])
    expect(outputsTable({ outputs: { n: { description: 'count' } } })).toContain('| `n` | count |')
    expect(readme.match(/^\| `[a-z-]+` \|/gm)).toHaveLength(
      Object.keys(action.inputs).length + Object.keys(action.outputs).length
    )
  })

  it('refuses a README without the markers', () => {
    expect(() => renderReadme('# no markers\n', actionYml)).toThrow(/<!-- inputs:start -->/)
  })

  it('keeps the "Try it / Develop" commands that .ci/run runs', () => {
    const section = readme.slice(readme.indexOf('## Try it / Develop'))
    expect(section).toContain('npm ci && npm start')
    expect(section).toMatch(/^npm ci {2,}#/m)
    expect(section).toMatch(/^npm test {2,}#/m)
    const ci = read('.ci/run')
      .split('\n')
      .filter(line => /^npm /.test(line))
    expect(ci.slice(0, 2)).toEqual(['npm ci', 'npm test'])
  })

  it('shows a minimal `uses:` step of the Action, dry run first, and the schedule cost', () => {
    expect(readme).toContain(`- uses: ${ACTION_REPO}@v1`)
    expect(readme).toContain(`uses: ${ACTION_REPO}/.github/workflows/pod-cleaner.yml@v1`)
    expect(readme).toMatch(/dry-run: true/)
    expect(readme).toMatch(/## What the schedule costs/)
    expect(readme).toMatch(/4,320/)
  })
})

describe('one owner/name for the Action', () => {
  const files = [
    'README.md',
    'CONTRIBUTING.md',
    'SECURITY.md',
    'CHANGELOG.md',
    'action.yml',
    ...filesIn('docs', /\.md$/),
    ...filesIn('examples', /\.ya?ml$/),
    ...filesIn('deploy', /./),
    ...filesIn('deploy/github-oidc', /./),
    ...filesIn('.github/workflows', /\.ya?ml$/)
  ]
  // Actions of others that the docs and workflows may name (docs/cloud.md: the cloud logins).
  const THIRD_PARTY = /^(actions|github|helm|aws-actions|google-github-actions|azure)\//

  it.each(files)('%s', file => {
    const problems: string[] = []
    read(file)
      .split('\n')
      .forEach((line, i) => {
        for (const m of line.matchAll(
          /(?<![\w./-])([A-Za-z0-9][\w.-]*\/[\w.-]*pod-cleaner[\w.-]*)/g
        )) {
          const name = m[1] as string
          // Paths inside this repository (deploy/…, .github/workflows/pod-cleaner.yml) are fine.
          if (!/-action$/.test(name) || name === ACTION_REPO) continue
          problems.push(`${file}:${i + 1}: ${name} (want ${ACTION_REPO})`)
        }
        const uses = /^\s*(?:-\s+)?uses:\s*([^\s#@]+)@/.exec(line)
        if (
          uses &&
          !THIRD_PARTY.test(uses[1] as string) &&
          !(uses[1] as string).startsWith(ACTION_REPO)
        )
          problems.push(`${file}:${i + 1}: uses ${uses[1]} (want ${ACTION_REPO})`)
        if (/\bacme\//.test(line)) problems.push(`${file}:${i + 1}: acme/`)
      })
    expect(problems).toEqual([])
  })
})

describe('relative links lead to files', () => {
  const files = [
    'README.md',
    'CONTRIBUTING.md',
    'SECURITY.md',
    'CHANGELOG.md',
    ...filesIn('docs', /\.md$/)
  ]
  it.each(files)('%s', file => {
    const missing: string[] = []
    for (const m of read(file).matchAll(/\]\(([^)\s]+)\)/g)) {
      const target = (m[1] as string).split('#')[0] as string
      if (!target || /^[a-z]+:/.test(target)) continue
      const path = normalize(join(dirname(file), target))
      if (!existsSync(path)) missing.push(`${m[1]} (${path})`)
    }
    expect(missing).toEqual([])
  })
})

describe('examples/pod-cleaner.yml (the copyable workflow)', () => {
  interface Example {
    on: { schedule: Array<{ cron: string }>; workflow_dispatch?: unknown }
    concurrency: { 'cancel-in-progress': boolean }
    permissions: unknown
    jobs: Record<
      string,
      { uses: string; with: Record<string, unknown>; secrets: Record<string, unknown> }
    >
  }
  const example = parse(read('examples/pod-cleaner.yml')) as Example
  const reusable = parse(read('.github/workflows/pod-cleaner.yml')) as {
    on: { workflow_call: { inputs: Record<string, unknown>; secrets: Record<string, unknown> } }
  }

  it('runs every 10 minutes off the top of the hour, and on demand', () => {
    expect(example.on.schedule).toEqual([{ cron: '7-59/10 * * * *' }])
    expect(example.on).toHaveProperty('workflow_dispatch')
  })

  it('never overlaps itself and only reads the repository', () => {
    expect(example.concurrency['cancel-in-progress']).toBe(false)
    expect(example.permissions).toEqual({ contents: 'read' })
  })

  it('calls the published reusable workflow with inputs and secrets it has', () => {
    const job = Object.values(example.jobs)[0]
    expect(job?.uses).toBe(`${ACTION_REPO}/.github/workflows/pod-cleaner.yml@v1`)
    for (const key of Object.keys(job?.with ?? {}))
      expect([key, key in reusable.on.workflow_call.inputs]).toEqual([key, true])
    for (const key of Object.keys(job?.secrets ?? {}))
      expect([key, key in reusable.on.workflow_call.secrets]).toEqual([key, true])
  })
})
