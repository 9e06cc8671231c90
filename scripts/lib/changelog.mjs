// CHANGELOG.md in Keep a Changelog form (https://keepachangelog.com/en/1.1.0/), pure functions:
// the release script turns "Unreleased" into a version, the release workflow publishes that
// version's section as the GitHub release's notes. No I/O here, so unit tests cover it all.

export const UNRELEASED = 'Unreleased'

const SEMVER = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?$/
// "## [1.2.3] - 2026-11-29" or "## [Unreleased]"
const HEADING = /^## \[([^\]]+)\](?:\s+-\s+(.+?))?\s*$/
// "[1.2.3]: https://…" link definitions at the end of the file
const LINK = /^\[([^\]]+)\]:\s*\S+\s*$/

/** "1.2.3" (or "v1.2.3") → { major, minor, patch, pre, version }; throws on anything else. */
export function parseVersion(input) {
  const version = String(input ?? '').replace(/^v/, '')
  const m = SEMVER.exec(version)
  if (!m) throw new Error(`"${input}" is not a version: expected X.Y.Z or X.Y.Z-pre (e.g. 1.2.3)`)
  return { major: Number(m[1]), minor: Number(m[2]), patch: Number(m[3]), pre: m[4] ?? '', version }
}

/** Semantic-version order: -1, 0 or 1 (a pre-release sorts before its release). */
export function compareVersions(a, b) {
  const x = parseVersion(a)
  const y = parseVersion(b)
  for (const key of ['major', 'minor', 'patch']) if (x[key] !== y[key]) return x[key] < y[key] ? -1 : 1
  if (x.pre === y.pre) return 0
  if (!x.pre) return 1
  if (!y.pre) return -1
  return x.pre < y.pre ? -1 : 1
}

/** The "## [name]" sections, in file order, with their line ranges (end exclusive). */
export function sections(text) {
  const lines = text.split('\n')
  const found = []
  lines.forEach((line, i) => {
    const m = HEADING.exec(line)
    if (m) found.push({ name: m[1], date: m[2] ?? '', start: i, end: lines.length })
    else if (/^## /.test(line) && found.length) found[found.length - 1].end = Math.min(found[found.length - 1].end, i)
  })
  for (let i = 0; i < found.length - 1; i++) found[i].end = Math.min(found[i].end, found[i + 1].start)
  // The link definitions at the bottom belong to no section.
  const last = found[found.length - 1]
  if (last) while (last.end > last.start + 1 && (LINK.test(lines[last.end - 1]) || lines[last.end - 1].trim() === '')) last.end--
  return found.map(s => ({ ...s, body: lines.slice(s.start + 1, s.end).join('\n').trim() }))
}

/** The body of one version's section (the release notes); throws when it is missing or empty. */
export function extractSection(text, version) {
  const { version: wanted } = parseVersion(version)
  const section = sections(text).find(s => s.name === wanted)
  if (!section) throw new Error(`CHANGELOG.md has no "## [${wanted}]" section`)
  if (!section.body) throw new Error(`CHANGELOG.md's section for ${wanted} is empty`)
  return `${section.body}\n`
}

/**
 * The changelog of a release: the "Unreleased" section's entries move under
 * "## [version] - date", an empty "Unreleased" stays on top, and the compare links are updated.
 */
export function releaseChangelog(text, { version, date, repo }) {
  const { version: v } = parseVersion(version)
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) throw new Error(`"${date}" is not a date (YYYY-MM-DD)`)
  const all = sections(text)
  const unreleased = all.find(s => s.name === UNRELEASED)
  if (!unreleased) throw new Error(`CHANGELOG.md has no "## [${UNRELEASED}]" section`)
  if (!unreleased.body) throw new Error(`CHANGELOG.md's "${UNRELEASED}" section is empty: nothing to release`)
  if (all.some(s => s.name === v)) throw new Error(`CHANGELOG.md already has a section for ${v}`)
  const previous = all
    .map(s => s.name)
    .filter(name => name !== UNRELEASED && isVersion(name) && compareVersions(name, v) < 0)
    .sort(compareVersions)
    .pop()

  const lines = text.split('\n')
  lines.splice(unreleased.start, 1, `## [${UNRELEASED}]`, '', `## [${v}] - ${date}`)
  const base = `https://github.com/${repo}`
  const links = {
    [UNRELEASED]: `${base}/compare/v${v}...HEAD`,
    [v]: previous ? `${base}/compare/v${previous}...v${v}` : `${base}/releases/tag/v${v}`
  }
  // Replace existing definitions of these two names; add the missing ones after the last link.
  let lastLink = -1
  for (let i = 0; i < lines.length; i++) {
    const m = LINK.exec(lines[i])
    if (!m) continue
    lastLink = i
    if (m[1] in links) {
      lines[i] = `[${m[1]}]: ${links[m[1]]}`
      delete links[m[1]]
    }
  }
  const added = Object.entries(links).map(([name, url]) => `[${name}]: ${url}`)
  if (added.length) {
    if (lastLink === -1) {
      while (lines.length && lines[lines.length - 1].trim() === '') lines.pop()
      lines.push('', ...added, '')
    } else lines.splice(lastLink + 1, 0, ...added)
  }
  return sortLinks(lines.join('\n'))
}

const isVersion = name => SEMVER.test(name)

/** Link definitions in the order Keep a Changelog uses: Unreleased, then newest version first. */
function sortLinks(text) {
  const lines = text.split('\n')
  const idx = lines.map((l, i) => (LINK.test(l) ? i : -1)).filter(i => i >= 0)
  if (idx.length < 2 || idx[idx.length - 1] - idx[0] !== idx.length - 1) return text
  const defs = idx.map(i => lines[i])
  const key = line => LINK.exec(line)[1]
  defs.sort((a, b) => {
    const [x, y] = [key(a), key(b)]
    if (x === UNRELEASED) return -1
    if (y === UNRELEASED) return 1
    if (isVersion(x) && isVersion(y)) return compareVersions(y, x)
    return 0
  })
  lines.splice(idx[0], defs.length, ...defs)
  return lines.join('\n')
}
