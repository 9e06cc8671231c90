#!/usr/bin/env node
// Prints one version's CHANGELOG.md section: the release notes of its GitHub release.
//   node scripts/changelog-section.mjs 1.2.3 [CHANGELOG.md]
// Exits 1 (with the reason on stderr) when the section is missing or empty, so the release
// workflow never publishes a release without notes.
import { readFileSync } from 'node:fs'
import { extractSection } from './lib/changelog.mjs'

const [version, file = 'CHANGELOG.md'] = process.argv.slice(2)
try {
  if (!version) throw new Error('usage: node scripts/changelog-section.mjs X.Y.Z [CHANGELOG.md]')
  process.stdout.write(extractSection(readFileSync(file, 'utf8'), version))
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error))
  process.exit(1)
}
