#!/usr/bin/env node
// The README's inputs and outputs tables, generated from action.yml (the one place they are
// described) between marker comments:
//   <!-- inputs:start --> … <!-- inputs:end -->   <!-- outputs:start --> … <!-- outputs:end -->
//   npm run docs            rewrite README.md's tables
//   npm run docs -- --check exit 1 if README.md's tables differ from action.yml (no writing)
// __tests__/unit/docs.test.ts runs the same check, so a drift fails `npm test`.
// It also regenerates .github/workflows/pod-cleaner-keyless.yml (scripts/keyless-workflow.mjs).
import { readFileSync, writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { parse } from 'yaml'
import { renderKeyless, SOURCE, TARGET } from './keyless-workflow.mjs'

export const MARKERS = ['inputs', 'outputs']

/** One table cell: one line, pipes escaped. */
const cell = text =>
  String(text ?? '')
    .replace(/\s*\n\s*/g, ' ')
    .replace(/\|/g, '\\|')
    .trim()

/** `| \`name\` | \`default\` | description |`; an empty default is an empty cell, `| |`. */
export function inputsTable(action) {
  const rows = Object.entries(action.inputs ?? {}).map(([name, input]) => {
    const def = String(input.default ?? '')
    const required = input.required === true && input.default === undefined ? ' **Required.**' : ''
    const defCell = def === '' ? '| |' : `| \`${cell(def)}\` |`
    return `| \`${name}\` ${defCell} ${cell(input.description)}${required} |`
  })
  return ['| Input | Default | Description |', '| --- | --- | --- |', ...rows].join('\n')
}

export function outputsTable(action) {
  const rows = Object.entries(action.outputs ?? {}).map(
    ([name, output]) => `| \`${name}\` | ${cell(output.description)} |`
  )
  return ['| Output | Description |', '| --- | --- |', ...rows].join('\n')
}

/** README text with every marked region replaced by its table from action.yml (text). */
export function renderReadme(readme, actionYml) {
  const action = parse(actionYml)
  const tables = { inputs: inputsTable(action), outputs: outputsTable(action) }
  let text = readme
  for (const name of MARKERS) {
    const start = `<!-- ${name}:start -->`
    const end = `<!-- ${name}:end -->`
    const from = text.indexOf(start)
    const to = text.indexOf(end)
    if (from === -1 || to === -1 || to < from)
      throw new Error(`README.md needs the markers ${start} and ${end} (in that order)`)
    // Blank lines around the table: a comment line right before a table can hide it in Markdown.
    text = `${text.slice(0, from + start.length)}\n\n${tables[name]}\n\n${text.slice(to)}`
  }
  return text
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const check = process.argv.includes('--check')
  const readme = readFileSync('README.md', 'utf8')
  const rendered = renderReadme(readme, readFileSync('action.yml', 'utf8'))
  if (rendered === readme) console.log('README.md: inputs and outputs tables match action.yml')
  else if (check) {
    console.error('README.md: the inputs/outputs tables differ from action.yml; run `npm run docs`')
    process.exit(1)
  } else {
    writeFileSync('README.md', rendered)
    console.log('README.md: inputs and outputs tables regenerated from action.yml')
  }
  const keyless = renderKeyless(readFileSync(SOURCE, 'utf8'))
  let current = ''
  try {
    current = readFileSync(TARGET, 'utf8')
  } catch {
    // not there yet
  }
  if (keyless === current) console.log(`${TARGET}: matches ${SOURCE}`)
  else if (check) {
    console.error(`${TARGET} differs from what ${SOURCE} generates; run \`npm run docs\``)
    process.exit(1)
  } else {
    writeFileSync(TARGET, keyless)
    console.log(`${TARGET}: regenerated from ${SOURCE}`)
  }
}
