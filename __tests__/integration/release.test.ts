// `npm run release -- X.Y.Z` (scripts/release.mjs) on a throw-away git repository: it refuses
// with every reason and changes nothing, or bumps, moves the changelog, rebuilds dist/ (a
// stand-in command here), commits and tags. Also the two small CLIs the release workflow and
// developers run: scripts/changelog-section.mjs and `npm run docs -- --check`.
import { describe, expect, it } from '@jest/globals'
import { execFileSync, spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { scrub } from '../fixtures/scrub.js'

const ROOT = resolve('.')
const script = (name: string) => join(ROOT, 'scripts', name)
// A repository of its own: no global git configuration, a fixed identity.
const env = {
  ...process.env,
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_AUTHOR_NAME: 'Release Test',
  GIT_AUTHOR_EMAIL: 'release@example.invalid',
  GIT_COMMITTER_NAME: 'Release Test',
  GIT_COMMITTER_EMAIL: 'release@example.invalid',
  RELEASE_BUNDLE_COMMAND:
    'mkdir -p dist && echo "bundle of $(node -p \'require(`./package.json`).version\')" > dist/index.js'
}

function repository(): { dir: string; git: (...args: string[]) => string } {
  const dir = mkdtempSync(join(tmpdir(), 'pod-cleaner-release-'))
  const git = (...args: string[]) =>
    execFileSync('git', args, { cwd: dir, env, encoding: 'utf8' }).trim()
  writeFileSync(
    join(dir, 'package.json'),
    '{\n  "name": "pod-cleaner-action",\n  "version": "1.0.0"\n}\n'
  )
  writeFileSync(
    join(dir, 'package-lock.json'),
    '{\n  "name": "pod-cleaner-action",\n  "version": "1.0.0",\n  "lockfileVersion": 3,\n  "packages": {\n    "": {\n      "name": "pod-cleaner-action",\n      "version": "1.0.0"\n    }\n  }\n}\n'
  )
  writeFileSync(
    join(dir, 'CHANGELOG.md'),
    '# Changelog\n\n## [Unreleased]\n\n### Added\n\n- Everything.\n\n[Unreleased]: https://github.com/pod-cleaner/pod-cleaner-action/commits/main\n'
  )
  mkdirSync(join(dir, '.github/workflows'), { recursive: true })
  writeFileSync(
    join(dir, '.github/workflows/pod-cleaner.yml'),
    'on:\n  workflow_call:\n    inputs:\n      action-ref: { type: string, default: v1 }\njobs: {}\n'
  )
  mkdirSync(join(dir, 'dist'))
  writeFileSync(join(dir, 'dist/index.js'), 'old bundle\n')
  git('init', '--quiet', '--initial-branch=main')
  git('add', '--all')
  git('commit', '--quiet', '-m', 'Initial')
  return { dir, git }
}

const release = (dir: string, ...args: string[]) =>
  spawnSync(process.execPath, [script('release.mjs'), ...args], { cwd: dir, env, encoding: 'utf8' })

describe('npm run release -- X.Y.Z', () => {
  it('commits the release (version, changelog, dist/) and tags it, pushing nothing', () => {
    const { dir, git } = repository()
    const run = release(dir, '1.0.0')
    expect(run.stderr).toBe('')
    expect(run.status).toBe(0)
    expect(scrub(run.stdout)).toMatch(/git push origin HEAD v1\.0\.0/)

    expect(git('log', '--format=%s')).toBe('Release v1.0.0\nInitial')
    expect(git('tag', '--list')).toBe('v1.0.0')
    expect(git('cat-file', '-t', 'v1.0.0')).toBe('tag') // annotated
    expect(git('rev-parse', 'v1.0.0^{commit}')).toBe(git('rev-parse', 'HEAD'))
    expect(git('status', '--porcelain')).toBe('')
    expect(git('show', '--name-only', '--format=', 'HEAD').split('\n').sort()).toEqual([
      'CHANGELOG.md',
      'dist/index.js'
    ])

    const today = new Date().toISOString().slice(0, 10)
    const changelog = readFileSync(join(dir, 'CHANGELOG.md'), 'utf8')
    expect(changelog).toContain(
      `## [Unreleased]\n\n## [1.0.0] - ${today}\n\n### Added\n\n- Everything.`
    )
    expect(readFileSync(join(dir, 'dist/index.js'), 'utf8')).toBe('bundle of 1.0.0\n')

    // The release workflow's notes for that tag.
    const notes = spawnSync(process.execPath, [script('changelog-section.mjs'), '1.0.0'], {
      cwd: dir,
      encoding: 'utf8'
    })
    expect([notes.status, notes.stdout]).toEqual([0, '### Added\n\n- Everything.\n'])
  })

  it('bumps package.json and package-lock.json for the next version', () => {
    const { dir, git } = repository()
    git('tag', 'v1.0.0')
    const changelog = readFileSync(join(dir, 'CHANGELOG.md'), 'utf8')
    writeFileSync(join(dir, 'CHANGELOG.md'), changelog.replace('- Everything.', '- More.'))
    git('commit', '--quiet', '-am', 'More')
    const run = release(dir, '1.1.0')
    expect(run.status).toBe(0)
    expect(JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).version).toBe('1.1.0')
    const lock = JSON.parse(readFileSync(join(dir, 'package-lock.json'), 'utf8'))
    expect([lock.version, lock.packages[''].version]).toEqual(['1.1.0', '1.1.0'])
    expect(git('describe', '--tags')).toBe('v1.1.0')
  })

  it('refuses with every reason and changes nothing', () => {
    const { dir, git } = repository()
    git('tag', 'v1.0.0')
    writeFileSync(join(dir, 'package.json'), '{ "name": "edited", "version": "1.0.0" }\n')
    const run = release(dir, '1.0.0')
    expect(run.status).toBe(1)
    expect(scrub(run.stderr)).toMatch(/^Cannot release 1\.0\.0:/)
    expect(scrub(run.stderr)).toMatch(/uncommitted changes in tracked files: package\.json/)
    expect(scrub(run.stderr)).toMatch(/the tag v1\.0\.0 exists already/)
    expect(git('log', '--format=%s')).toBe('Initial')
    expect(git('status', '--porcelain')).toBe('M package.json')
    expect(readFileSync(join(dir, 'dist/index.js'), 'utf8')).toBe('old bundle\n')
  })

  it('without a version, says how to use it', () => {
    const { dir } = repository()
    const run = release(dir)
    expect(run.status).toBe(2)
    expect(scrub(run.stderr)).toMatch(/usage: npm run release -- X\.Y\.Z/)
  })
})

describe('small CLIs', () => {
  it('changelog-section.mjs fails without the section', () => {
    const { dir } = repository()
    const run = spawnSync(process.execPath, [script('changelog-section.mjs'), '3.0.0'], {
      cwd: dir,
      encoding: 'utf8'
    })
    expect([run.status, run.stdout]).toEqual([1, ''])
    expect(scrub(run.stderr)).toMatch(/no "## \[3\.0\.0\]" section/)
  })

  it('`npm run docs -- --check` passes on the repository and fails on a stale README', () => {
    const ok = spawnSync(process.execPath, [script('docs.mjs'), '--check'], { encoding: 'utf8' })
    expect([ok.status, ok.stdout.trim().split('\n')]).toEqual([
      0,
      [
        'README.md: inputs and outputs tables match action.yml',
        '.github/workflows/pod-cleaner-keyless.yml: matches .github/workflows/pod-cleaner.yml'
      ]
    ])
    const dir = mkdtempSync(join(tmpdir(), 'pod-cleaner-docs-'))
    writeFileSync(join(dir, 'action.yml'), readFileSync('action.yml'))
    // docs.mjs also generates the keyless workflow from the reusable one.
    mkdirSync(join(dir, '.github', 'workflows'), { recursive: true })
    for (const name of ['pod-cleaner.yml', 'pod-cleaner-keyless.yml'])
      writeFileSync(
        join(dir, '.github', 'workflows', name),
        readFileSync(join('.github', 'workflows', name))
      )
    writeFileSync(
      join(dir, 'README.md'),
      '<!-- inputs:start -->\n| old |\n<!-- inputs:end -->\n<!-- outputs:start -->\n<!-- outputs:end -->\n'
    )
    const stale = spawnSync(process.execPath, [script('docs.mjs'), '--check'], {
      cwd: dir,
      encoding: 'utf8'
    })
    expect(stale.status).toBe(1)
    expect(scrub(stale.stderr)).toMatch(/run `npm run docs`/)
    const fix = spawnSync(process.execPath, [script('docs.mjs')], { cwd: dir, encoding: 'utf8' })
    expect(fix.status).toBe(0)
    expect(readFileSync(join(dir, 'README.md'), 'utf8')).toMatch(/\| `kubeconfig` \| \| /)
  })
})
