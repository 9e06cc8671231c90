#!/usr/bin/env node
// Prepares a release, like `npm version`:  npm run release -- 1.2.3
//   1. checks (all reported together): a valid, newer version; a clean tree; a non-empty
//      "Unreleased" section in CHANGELOG.md; the reusable workflow's action-ref is this major's tag
//   2. sets the version in package.json and package-lock.json
//   3. moves CHANGELOG.md's "Unreleased" entries under "## [1.2.3] - <today, UTC>"
//   4. rebuilds dist/ (npm run bundle)
//   5. commits these files ("Release v1.2.3") and makes the annotated tag v1.2.3
// Nothing is pushed: `git push origin HEAD v1.2.3` starts .github/workflows/release.yml, which
// checks dist/ again, runs the tests, publishes the GitHub release and moves v1 and v1.2.
// RELEASE_BUNDLE_COMMAND replaces `npm run bundle` (the integration test uses a stand-in).
import { execFileSync } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { releaseChangelog, parseVersion } from './lib/changelog.mjs'
import { releaseProblems, withVersion } from './lib/release.mjs'
import { ACTION_REPO } from './repo.mjs'

const git = (...args) => execFileSync('git', args, { encoding: 'utf8' }).trim()
const read = file => readFileSync(file, 'utf8')

const arg = process.argv[2]
if (!arg || arg === '--help' || arg === '-h') {
  console.error('usage: npm run release -- X.Y.Z   (see CONTRIBUTING.md, "Releasing")')
  process.exit(arg ? 0 : 2)
}

const problems = (() => {
  try {
    return releaseProblems({
      version: arg,
      packageVersion: JSON.parse(read('package.json')).version,
      tags: git('tag', '--list').split('\n').filter(Boolean),
      changelog: read('CHANGELOG.md'),
      reusableWorkflow: read('.github/workflows/pod-cleaner.yml'),
      // Not trimmed: each line is "XY path", and X may be a space.
      dirty: execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], { encoding: 'utf8' })
        .split('\n')
        .filter(Boolean)
        .map(line => line.slice(3))
    })
  } catch (error) {
    return [error instanceof Error ? error.message : String(error)]
  }
})()
if (problems.length) {
  console.error(`Cannot release ${arg}:\n${problems.map(p => `  - ${p}`).join('\n')}`)
  process.exit(1)
}

const { version } = parseVersion(arg)
const tag = `v${version}`
const date = new Date().toISOString().slice(0, 10)
writeFileSync('package.json', withVersion(read('package.json'), version))
writeFileSync('package-lock.json', withVersion(read('package-lock.json'), version))
writeFileSync('CHANGELOG.md', releaseChangelog(read('CHANGELOG.md'), { version, date, repo: ACTION_REPO }))
console.log(`package.json, package-lock.json and CHANGELOG.md say ${version} (${date}); rebuilding dist/ ...`)

execFileSync(process.env.RELEASE_BUNDLE_COMMAND ?? 'npm run bundle', { stdio: 'inherit', shell: true })
const files = ['package.json', 'package-lock.json', 'CHANGELOG.md', 'dist']
git('add', '--all', '--', ...files)
git('commit', '--quiet', '-m', `Release ${tag}`, '--', ...files)
git('tag', '--annotate', tag, '-m', tag)
console.log(`Committed "Release ${tag}" and tagged ${tag}. To publish:\n  git push origin HEAD ${tag}`)
