// The pure parts of releasing: CHANGELOG.md in Keep a Changelog form (the release notes come from
// it), the version order, and the checks `npm run release -- X.Y.Z` makes before it changes
// anything. The script itself runs on a temporary repository in the integration tests.
import { describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import {
  compareVersions,
  extractSection,
  parseVersion,
  releaseChangelog,
  sections
} from '../../scripts/lib/changelog.mjs'
import { releaseProblems, withVersion } from '../../scripts/lib/release.mjs'

const REPO = 'pod-cleaner/pod-cleaner-action'
const FIRST = [
  '# Changelog',
  '',
  'Intro.',
  '',
  '## [Unreleased]',
  '',
  '### Added',
  '',
  '- The Action.',
  '',
  `[Unreleased]: https://github.com/${REPO}/commits/main`,
  ''
].join('\n')

const reusable = (ref: string) =>
  [
    'on:',
    '  workflow_call:',
    '    inputs:',
    `      action-ref: { type: string, default: ${ref} }`,
    'jobs: {}'
  ].join('\n')

describe('versions', () => {
  it('parses X.Y.Z and X.Y.Z-pre, with or without v', () => {
    expect(parseVersion('v1.2.3')).toEqual({
      major: 1,
      minor: 2,
      patch: 3,
      pre: '',
      version: '1.2.3'
    })
    expect(parseVersion('2.0.0-rc.1').pre).toBe('rc.1')
    for (const bad of ['1.2', '01.2.3', '1.2.3.4', 'latest', ''])
      expect(() => parseVersion(bad)).toThrow(/is not a version/)
  })

  it('orders by semantic version, a pre-release before its release', () => {
    const sorted = ['1.10.0', '1.2.0', '2.0.0-rc.1', '1.2.10', '2.0.0', '1.2.9'].sort(
      compareVersions
    )
    expect(sorted).toEqual(['1.2.0', '1.2.9', '1.2.10', '1.10.0', '2.0.0-rc.1', '2.0.0'])
  })
})

describe('CHANGELOG sections', () => {
  it('releases Unreleased as the first version, with a date and links', () => {
    const out = releaseChangelog(FIRST, { version: '1.0.0', date: '2026-11-29', repo: REPO })
    expect(out).toBe(
      [
        '# Changelog',
        '',
        'Intro.',
        '',
        '## [Unreleased]',
        '',
        '## [1.0.0] - 2026-11-29',
        '',
        '### Added',
        '',
        '- The Action.',
        '',
        `[Unreleased]: https://github.com/${REPO}/compare/v1.0.0...HEAD`,
        `[1.0.0]: https://github.com/${REPO}/releases/tag/v1.0.0`,
        ''
      ].join('\n')
    )
    expect(extractSection(out, '1.0.0')).toBe('### Added\n\n- The Action.\n')
  })

  it('releases the next version with a compare link to the previous one, newest first', () => {
    const one = releaseChangelog(FIRST, { version: '1.0.0', date: '2026-11-29', repo: REPO })
    const withFix = one.replace('## [Unreleased]\n', '## [Unreleased]\n\n### Fixed\n\n- A fix.\n')
    const two = releaseChangelog(withFix, { version: 'v1.0.1', date: '2026-12-01', repo: REPO })
    expect(sections(two).map(s => [s.name, s.date])).toEqual([
      ['Unreleased', ''],
      ['1.0.1', '2026-12-01'],
      ['1.0.0', '2026-11-29']
    ])
    expect(two.split('\n').filter(l => l.startsWith('['))).toEqual([
      `[Unreleased]: https://github.com/${REPO}/compare/v1.0.1...HEAD`,
      `[1.0.1]: https://github.com/${REPO}/compare/v1.0.0...v1.0.1`,
      `[1.0.0]: https://github.com/${REPO}/releases/tag/v1.0.0`
    ])
    expect(extractSection(two, '1.0.1')).toBe('### Fixed\n\n- A fix.\n')
    expect(extractSection(two, 'v1.0.0')).toBe('### Added\n\n- The Action.\n')
  })

  it('refuses what would make a bad release', () => {
    const empty = FIRST.replace('### Added\n\n- The Action.\n\n', '')
    const opts = { version: '1.0.0', date: '2026-11-29', repo: REPO }
    expect(() => releaseChangelog(empty, opts)).toThrow(/"Unreleased" section is empty/)
    expect(() => releaseChangelog('# Changelog\n', opts)).toThrow(/no "## \[Unreleased\]"/)
    expect(() => releaseChangelog(FIRST, { ...opts, date: '29.11.2026' })).toThrow(/not a date/)
    const once = releaseChangelog(FIRST, opts)
    expect(() =>
      releaseChangelog(once.replace('## [Unreleased]\n', '## [Unreleased]\n- x\n'), opts)
    ).toThrow(/already has a section for 1.0.0/)
    expect(() => extractSection(FIRST, '9.9.9')).toThrow(/no "## \[9.9.9\]" section/)
    expect(() => extractSection('## [1.0.0] - 2026-01-01\n\n## [0.9.0]\n- x\n', '1.0.0')).toThrow(
      /is empty/
    )
  })

  it('the repository’s CHANGELOG.md is in that form, with entries waiting under Unreleased', () => {
    const changelog = readFileSync('CHANGELOG.md', 'utf8')
    const found = sections(changelog)
    expect(found[0]?.name).toBe('Unreleased')
    expect(found[0]?.body).toMatch(/^### (Added|Changed|Deprecated|Removed|Fixed|Security)$/m)
    for (const s of found.slice(1)) {
      expect(() => parseVersion(s.name)).not.toThrow()
      expect(s.date).toMatch(/^\d{4}-\d{2}-\d{2}$/)
    }
    expect(changelog).toMatch(/^\[Unreleased\]: https:\/\/github\.com\//m)
  })
})

describe('release checks', () => {
  const ok = {
    version: '1.1.0',
    packageVersion: '1.0.0',
    tags: ['v1.0.0', 'v1', 'v1.0'],
    changelog: FIRST,
    reusableWorkflow: reusable('v1'),
    dirty: [] as string[]
  }

  it('lets a valid, newer release through', () => {
    expect(releaseProblems(ok)).toEqual([])
    // The very first release may keep package.json's version.
    expect(releaseProblems({ ...ok, version: '1.0.0', tags: [] })).toEqual([])
  })

  it('reports every problem at once', () => {
    const problems = releaseProblems({
      ...ok,
      version: '1.0.0',
      changelog: FIRST.replace('### Added\n\n- The Action.\n\n', ''),
      reusableWorkflow: reusable('v0'),
      dirty: ['src/a.ts']
    })
    expect(problems).toEqual([
      'uncommitted changes in tracked files: src/a.ts (commit or stash them first)',
      'the tag v1.0.0 exists already',
      '1.0.0 is not newer than the newest release, v1.0.0',
      'CHANGELOG.md\'s "Unreleased" section is empty: say what changed',
      ".github/workflows/pod-cleaner.yml: action-ref defaults to 'v0', a v1 release needs 'v1'"
    ])
  })

  it('a new major needs the reusable workflow to check out that major', () => {
    expect(releaseProblems({ ...ok, version: '2.0.0' })).toEqual([
      ".github/workflows/pod-cleaner.yml: action-ref defaults to 'v1', a v2 release needs 'v2'"
    ])
    expect(releaseProblems({ ...ok, version: '2.0.0', reusableWorkflow: reusable('v2') })).toEqual(
      []
    )
    // Pre-releases move no tag, so they do not need it yet.
    expect(releaseProblems({ ...ok, version: '2.0.0-rc.1' })).toEqual([])
  })

  it('refuses a version that is not one', () => {
    expect(releaseProblems({ ...ok, version: 'next' })).toEqual([
      '"next" is not a version: expected X.Y.Z or X.Y.Z-pre (e.g. 1.2.3)'
    ])
  })

  it('sets the version in package.json and in package-lock.json’s root package, keeping the format', () => {
    const lock =
      '{\n  "name": "x",\n  "version": "1.0.0",\n  "packages": {\n    "": { "version": "1.0.0" },\n    "node_modules/a": { "version": "1.0.0" }\n  }\n}\n'
    const out = JSON.parse(withVersion(lock, '1.1.0'))
    expect(out.version).toBe('1.1.0')
    expect(out.packages[''].version).toBe('1.1.0')
    expect(out.packages['node_modules/a'].version).toBe('1.0.0')
    expect(withVersion('{\n  "version": "1.0.0"\n}\n', '2.0.0')).toBe(
      '{\n  "version": "2.0.0"\n}\n'
    )
  })
})
