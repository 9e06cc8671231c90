// The checks of `npm run release -- X.Y.Z`, pure: given what the repository holds, every reason
// not to release (all of them at once), so the script changes nothing until all are fixed.
import { parse } from 'yaml'
import { UNRELEASED, compareVersions, parseVersion, sections } from './changelog.mjs'

/**
 * @param {object} repo
 * @param {string} repo.version    the version asked for (X.Y.Z, a leading v is allowed)
 * @param {string} repo.packageVersion  package.json's version
 * @param {string[]} repo.tags     the repository's tags (any; only vX.Y.Z ones count)
 * @param {string} repo.changelog  CHANGELOG.md
 * @param {string} repo.reusableWorkflow  .github/workflows/pod-cleaner.yml
 * @param {string[]} repo.dirty    tracked files with uncommitted changes (git status)
 * @returns {string[]} problems; empty = go
 */
export function releaseProblems({ version, packageVersion, tags, changelog, reusableWorkflow, dirty }) {
  const problems = []
  let wanted
  try {
    wanted = parseVersion(version)
  } catch (error) {
    return [error.message]
  }
  const v = wanted.version
  if (dirty.length) problems.push(`uncommitted changes in tracked files: ${dirty.join(', ')} (commit or stash them first)`)

  const released = tags.filter(t => /^v\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/.test(t)).map(t => t.slice(1))
  if (released.includes(v)) problems.push(`the tag v${v} exists already`)
  const newest = [...released].sort(compareVersions).pop()
  if (newest && compareVersions(v, newest) <= 0) problems.push(`${v} is not newer than the newest release, v${newest}`)
  if (!newest && compareVersions(v, packageVersion) < 0)
    problems.push(`${v} is older than package.json's version ${packageVersion}`)

  const unreleased = sections(changelog).find(s => s.name === UNRELEASED)
  if (!unreleased) problems.push(`CHANGELOG.md has no "## [${UNRELEASED}]" section`)
  else if (!unreleased.body) problems.push(`CHANGELOG.md's "${UNRELEASED}" section is empty: say what changed`)
  if (sections(changelog).some(s => s.name === v)) problems.push(`CHANGELOG.md already has a section for ${v}`)

  // The reusable workflow checks the Action out at action-ref: it has to be this major's tag,
  // or v2's workflow would run v1's code (docs/workflows.md, "Versioning and releases").
  const ref = parse(reusableWorkflow)?.on?.workflow_call?.inputs?.['action-ref']?.default
  if (!wanted.pre && ref !== `v${wanted.major}`)
    problems.push(
      `.github/workflows/pod-cleaner.yml: action-ref defaults to '${ref}', a v${wanted.major} release needs 'v${wanted.major}'`
    )
  return problems
}

/** package.json or package-lock.json text with its own version set to `version`. */
export function withVersion(jsonText, version) {
  const json = JSON.parse(jsonText)
  json.version = version
  if (json.packages?.['']) json.packages[''].version = version
  const indent = /^\{\n( +)"/.exec(jsonText)?.[1] ?? '  '
  return `${JSON.stringify(json, null, indent)}\n`
}
