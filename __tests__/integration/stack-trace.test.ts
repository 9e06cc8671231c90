// Unexpected errors from the committed bundles (issue 17): the stack trace names src/ files and
// lines, through the source map committed next to each bundle (dist/*.js.map), while a worded
// failure (bad input) stays one line without a trace. Real failure paths, no test switches: the
// CLI's --summary and the runner's GITHUB_OUTPUT given a directory (EISDIR, which nothing
// translates for the user).
import { describe, expect, it } from '@jest/globals'
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { runAction, runCli } from '../fixtures/bundle.js'
import { baseInputs, uniqueName } from '../fixtures/cluster.js'

/** A trace frame in a source file of this repository, e.g. "(src/cli/commands/cycle.ts:56:20)". */
const SRC_FRAME = /^\s+at .*\(?src\/[\w/-]+\.ts:\d+:\d+\)?$/m
/** A frame still pointing into a minified bundle. */
const DIST_FRAME = /dist\/(index|cli|aggregate)\.js:\d+:\d+/

describe('stack traces of unexpected errors name src/ files', () => {
  it('the CLI: --summary is a directory', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pod-cleaner-trace-'))
    writeFileSync(join(dir, 'pods.json'), '{"kind":"List","items":[]}')
    mkdirSync(join(dir, 'summary'))
    const run = await runCli([
      'scan',
      '--file',
      join(dir, 'pods.json'),
      '--summary',
      join(dir, 'summary')
    ])
    expect(run.code).toBe(1)
    expect(run.stderr).toContain('pod-cleaner: EISDIR: illegal operation on a directory')
    expect(run.stderr).toContain('Unexpected error (please report it with these lines):')
    expect(run.stderr).toMatch(/\(src\/cli\/commands\/cycle\.ts:\d+:\d+\)/)
    expect(run.stderr).toMatch(SRC_FRAME)
    expect(run.stderr).not.toMatch(DIST_FRAME)
  })

  it('the Action: GITHUB_OUTPUT is a directory', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pod-cleaner-trace-'))
    const run = await runAction(
      // A dry run over nothing: the cycle completes, writing the outputs fails.
      baseInputs({ 'label-selector': `${uniqueName('trace')}=none`, 'dry-run': 'true' }),
      { env: { GITHUB_OUTPUT: dir } }
    )
    expect(run.code).toBe(1)
    expect(run.stdout).toMatch(/^::error::EISDIR: illegal operation on a directory/m)
    expect(run.stdout).toContain('Unexpected error (please report it with these lines):')
    expect(run.stdout).toMatch(SRC_FRAME)
    expect(run.stdout).toMatch(/\(src\/action\/run\.ts:\d+:\d+\)/)
    expect(run.stdout).not.toMatch(DIST_FRAME)
  })

  it('a worded failure (bad input) stays one line, with no trace', async () => {
    const run = await runCli(['scan', '--output', 'yaml'])
    expect(run.code).toBe(2)
    expect(run.stderr).not.toContain('Unexpected error')
    expect(run.stderr).not.toMatch(/^\s+at /m)
  })
})
