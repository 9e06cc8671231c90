// The aggregate sub-action's bundle reads a large fleet's results on worker threads (each one
// running dist/aggregate.js) when cores are idle (on a busy machine, on one); the CLI's
// `aggregate` reads them on one thread. Both must give the same fleet: the same outputs, the
// same summary, every cluster in its listed order.
import { describe, expect, it } from '@jest/globals'
import { spawn } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { parseOutputFile, runCli } from '../fixtures/bundle.js'
import { result, row } from '../fixtures/result.js'

describe('dist/aggregate.js on threads', () => {
  it('gives what one thread gives, for 48 clusters (some without a result)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pod-cleaner-aggregate-threads-'))
    const results = join(dir, 'results')
    mkdirSync(results)
    const names = Array.from({ length: 48 }, (_, i) => `c${String(i).padStart(2, '0')}`)
    names.forEach((name, i) => {
      if (i % 11 === 5) return // no result
      const pods = Array.from({ length: 1 + (i % 7) * 40 }, (_, k) =>
        row({ pod: `web-${k}`, uid: `${name}-${k}`, decision: k % 3 ? 'skipped' : 'deleted' })
      )
      const r = result(pods, { cluster: { context: `${name}-ctx`, server: 'https://x' } })
      writeFileSync(join(results, `${name}.json`), JSON.stringify(r))
    })
    const clusters = names.join(',')
    const output = join(dir, 'output')
    const summary = join(dir, 'summary')
    writeFileSync(output, '')
    writeFileSync(summary, '')
    const code = await new Promise<number | null>((res, rej) => {
      const child = spawn(process.execPath, [resolve('dist/aggregate.js')], {
        stdio: 'ignore',
        env: {
          PATH: process.env.PATH,
          GITHUB_OUTPUT: output,
          GITHUB_STEP_SUMMARY: summary,
          INPUT_RESULTS: results,
          INPUT_CLUSTERS: clusters,
          'INPUT_FAIL-ON': 'never'
        }
      })
      child.on('error', rej)
      child.on('close', res)
    })
    expect(code).toBe(0)
    const cliSummary = join(dir, 'cli-summary.md')
    const cli = await runCli([
      'aggregate',
      '--results',
      results,
      '--clusters',
      clusters,
      '--fail-on',
      'never',
      '--output',
      'json',
      '--summary',
      cliSummary
    ])
    expect(cli.code).toBe(0)
    const outputs = parseOutputFile(readFileSync(output, 'utf8'))
    expect(outputs).toEqual(JSON.parse(cli.stdout))
    expect(outputs['missing-clusters']).toBe('c05,c16,c27,c38')
    expect(readFileSync(summary, 'utf8')).toBe(readFileSync(cliSummary, 'utf8'))
    rmSync(dir, { recursive: true, force: true })
  })
})
