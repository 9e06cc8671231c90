// The CLI in-process (no child process, no cluster): help from the input specs (bug 3: every
// allowed value of an enumeration), flags, offline scans, `--output json` words (bug 2), and
// `show` reading a saved result through the result schema.
import { beforeAll, describe, expect, it, jest } from '@jest/globals'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { helpText, parseCommandLine, usage } from '../../src/cli/args.js'
import { main } from '../../src/cli/main.js'
import { jsonReport } from '../../src/cli/output.js'
import { readResultFile } from '../../src/cli/commands/show.js'
import { INPUT_SPECS } from '../../src/config/inputs.js'
import { crashLoop, pod, running, waiting } from '../fixtures/pods.js'
import { result, row } from '../fixtures/result.js'

const dir = mkdtempSync(join(tmpdir(), 'pod-cleaner-cli-unit-'))
const file = (name: string, content: unknown): string => {
  const path = join(dir, name)
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content))
  return path
}

async function cli(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = ''
  let stderr = ''
  const code = await main(argv, { stdout: t => (stdout += t), stderr: t => (stderr += t) })
  return { code, stdout, stderr }
}

const pods = file('pods.json', {
  apiVersion: 'v1',
  kind: 'List',
  items: [
    pod({ name: 'web-1', containers: [crashLoop()] }),
    pod({ name: 'ok', containers: [running()] }),
    pod({ name: 'img', containers: [waiting('ImagePullBackOff')] }),
    pod({ name: 'bare', owner: null, containers: [crashLoop()] })
  ]
})

// The cycle's log lines go to stderr through console.error; keep the test output quiet.
beforeAll(() => {
  jest.spyOn(console, 'error').mockImplementation(() => undefined)
})

describe('--help, from the input specs', () => {
  const help = usage()
  const line = (flag: string) => help.split('\n').find(l => l.startsWith(`  --${flag} `)) ?? ''

  it('lists every input as a flag, with its default', () => {
    for (const spec of INPUT_SPECS) {
      expect([spec.name, line(spec.name)]).toEqual([spec.name, expect.stringContaining(spec.help)])
      if (spec.default) expect(line(spec.name)).toContain(`[default: ${spec.default}]`)
    }
  })

  it('lists every allowed value of every enumeration (fail-on lists unrecovered)', () => {
    expect(line('fail-on')).toContain('never | error | unhealthy | unrecovered')
    const enums = INPUT_SPECS.filter(spec => spec.values)
    expect(enums.map(spec => spec.name)).toEqual(
      expect.arrayContaining(['mode', 'fail-on', 'log-format', 'bark-min-severity'])
    )
    for (const spec of enums) {
      for (const value of spec.values ?? []) expect(line(spec.name)).toContain(value)
      expect(helpText(spec)).toMatch(/^\S+( \| \S+)+/)
    }
  })

  it('-h prints it with exit 0; no command prints it with exit 2', async () => {
    expect(await cli('-h')).toEqual({ code: 0, stdout: `${help}\n`, stderr: '' })
    expect((await cli()).code).toBe(2)
  })
})

describe('flags', () => {
  it('a boolean flag stands alone or takes a value', () => {
    expect(parseCommandLine(['run', '--dry-run']).inputs['dry-run']).toBe('true')
    expect(parseCommandLine(['run', '--dry-run', '--diagnose=false']).inputs).toEqual({
      'dry-run': 'true',
      diagnose: 'false'
    })
    expect(parseCommandLine(['run', '--dry-run', 'false']).inputs['dry-run']).toBe('false')
  })

  it('-n adds to --namespaces', async () => {
    const run = await cli('scan', '--file', pods, '-n', 'a', '-n', 'b', '--namespaces', 'shop')
    expect(run.code).toBe(0)
    expect(parseCommandLine(['scan', '-n', 'a', '-n', 'b']).namespace).toEqual(['a', 'b'])
  })

  it.each([
    [
      ['frobnicate'],
      /unknown command "frobnicate"; expected scan, run, show, notify-test or aggregate/
    ],
    [['scan', '--output', 'xml'], /--output "xml" is not valid; expected table or json/],
    [['scan', '--no-such-flag'], /Unknown option '--no-such-flag'/],
    [['scan', '--max-deletions', 'lots'], /Input 'max-deletions': "lots" is not valid/],
    [['scan', '--kubeconfig', join(dir, 'nope')], /--kubeconfig .*cannot read the file \(ENOENT\)/],
    [['run', '--file', pods], /--file works with scan only/]
  ])('%j: exit 2 and one line naming the problem', async (argv, message) => {
    const run = await cli(...argv)
    expect(run.code).toBe(2)
    expect(run.stderr).toMatch(message)
  })
})

describe('scan --file', () => {
  it('--output json: decisions in the CLI words', async () => {
    const run = await cli('scan', '--file', pods, '--output', 'json', '--min-pod-age', '0')
    expect(run.code).toBe(0)
    const { findings, counts } = JSON.parse(run.stdout)
    expect(findings.map((f: { name: string; decision: string }) => [f.name, f.decision])).toEqual([
      ['bare', 'skip'],
      ['img', 'report'],
      ['web-1', 'delete']
    ])
    expect(counts).toMatchObject({ unhealthy: 3, deleted: 1, reportOnly: 1, skipped: 1 })
  })

  it('a table with the headline', async () => {
    const run = await cli('scan', '--file', pods, '--min-pod-age=0')
    expect(run.stdout).toContain('3 unhealthy · 1 would delete')
  })
})

describe('--output json words', () => {
  it('a given-up row is skipped, with why (bug 2)', () => {
    const report = JSON.parse(
      jsonReport(result([row({ decision: 'given-up', detail: 'given up after 3 cleanups' })]))
    )
    expect(report.findings[0]).toMatchObject({
      decision: 'skip',
      skipReason: 'given up after 3 cleanups'
    })
  })
})

describe('show', () => {
  it('prints a saved result as the table', async () => {
    const saved = file('result.json', result([row({ cause: 'exits 1: boom' })]))
    const run = await cli('show', saved)
    expect(run.code).toBe(0)
    expect(run.stdout).toContain('1 unhealthy · 1 deleted')
    expect(run.stdout).toMatch(/shop\s+web-1\s+ReplicaSet\/web-7d9f8/)
  })

  it('reads results written before escalations, notifications and warnings existed', () => {
    const older: Record<string, unknown> = { ...result([row()]) }
    for (const key of ['escalations', 'notifications', 'warnings', 'verification'])
      delete older[key]
    const read = readResultFile(file('older.json', older))
    expect(read).toEqual({
      result: { ...result([row()]), escalations: [], notifications: [], warnings: [] }
    })
  })

  it.each([
    ['not a result', '{"hello":1}', /not a Pod Cleaner result \(version 1\): version is not valid/],
    [
      'an unknown decision',
      JSON.stringify(result([row()])).replace('"decision":"deleted"', '"decision":"vanished"'),
      /not a Pod Cleaner result \(version 1\): pods\.0\.decision is not valid/
    ],
    ['not JSON', '{oops', /show .*: .*JSON.*; expected the Action's `result` output/]
  ])('refuses %s with exit 2', async (_, text, message) => {
    const run = await cli('show', file('bad.json', text))
    expect(run.code).toBe(2)
    expect(run.stderr).toMatch(message)
  })

  it('needs a file', async () => {
    expect((await cli('show')).stderr).toMatch(/show needs the path of a saved result JSON/)
  })
})
