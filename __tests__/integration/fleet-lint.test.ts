// actionlint on fleet.yml with the two local actions it runs checked out where the workflow puts
// them (.pod-cleaner-action and .pod-cleaner-action/aggregate): every `with:` key and every
// `steps.*.outputs.*` it reads is checked against action.yml and aggregate/action.yml, which
// the repository-wide lint (workflows.test.ts) cannot do for an Action checked out at run time.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { execFileSync, spawnSync } from 'node:child_process'
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

const skip = process.env.POD_CLEANER_SKIP_ACTIONLINT === '1'
const maybe = skip ? it.skip : it

const made: string[] = []
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true })
})

/** A throwaway project: the workflow, and the Action checked out as the workflow does. */
function project(workflow: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'pod-cleaner-fleet-lint-'))
  made.push(dir)
  for (const sub of [
    '.git',
    '.github/workflows',
    '.pod-cleaner-action/aggregate',
    '.pod-cleaner-action/dist'
  ])
    mkdirSync(join(dir, sub), { recursive: true })
  writeFileSync(join(dir, '.github/workflows/fleet.yml'), workflow)
  copyFileSync('action.yml', join(dir, '.pod-cleaner-action/action.yml'))
  copyFileSync('aggregate/action.yml', join(dir, '.pod-cleaner-action/aggregate/action.yml'))
  // actionlint checks that each action's `main` exists.
  for (const file of ['index.js', 'aggregate.js'])
    writeFileSync(join(dir, '.pod-cleaner-action/dist', file), '')
  return dir
}

describe('fleet.yml against the actions it runs', () => {
  let actionlint = ''
  let shellcheck = ''
  beforeAll(() => {
    if (skip) return
    const tool = (name: string) =>
      execFileSync('bash', ['hack/tools.sh', name], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'inherit'],
        timeout: 15 * 60_000
      }).trim()
    actionlint = tool('actionlint')
    shellcheck = tool('shellcheck')
  }, 20 * 60_000)

  const lint = (dir: string) =>
    spawnSync(actionlint, ['-shellcheck', shellcheck, '-no-color', '.github/workflows/fleet.yml'], {
      cwd: dir,
      encoding: 'utf8'
    })
  const fleet = readFileSync('.github/workflows/fleet.yml', 'utf8')

  maybe('passes, inputs and outputs of both actions included', () => {
    const run = lint(project(fleet))
    expect(run.stdout).toBe('')
    expect(run.status).toBe(0)
  })

  maybe('would catch a wrong input of the aggregate sub-action (the check is not vacuous)', () => {
    const wrong = fleet.replace('fleet-name: ${{ inputs.fleet-name }}', 'fleet-names: x')
    expect(wrong).not.toBe(fleet)
    const run = lint(project(wrong))
    expect(run.status).toBe(1)
    expect(run.stdout).toContain(
      'input "fleet-names" is not defined in action "Pod Cleaner fleet aggregate"'
    )
  })
})
