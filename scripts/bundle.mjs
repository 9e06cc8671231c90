// Builds dist/index.js (the Action), dist/cli.js (the CLI) and dist/aggregate.js (the fleet's
// aggregate sub-action): single-file, minified ESM bundles,
// plus dist/licenses.txt with the license of every bundled package, and a source map beside each
// bundle (dist/index.js.map …), committed: without sourcesContent (the sources are in the
// repository) and with sources relative to dist/ ("../src/action/run.ts"), so the same build
// gives the same bytes anywhere. Node does not read them (no --enable-source-maps: it costs start-up
// time and memory); src/app/failure.ts reads one only to print an unexpected error's stack trace.
//
// esbuild rather than ncc: the same bundle in ~1 s instead of ~70 s, and 2 MB instead of 5.6 MB
// (every committed dist/ counts against the submission's diff budget).
import { build } from 'esbuild'
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

const common = {
  bundle: true,
  platform: 'node',
  target: 'node24',
  format: 'esm',
  minify: true,
  sourcemap: 'linked',
  sourcesContent: false,
  legalComments: 'none',
  metafile: true,
  logLevel: 'warning',
  // Some CommonJS dependencies (undici's optional parts) call require() at run time.
  banner: { js: "import { createRequire as __podCleanerRequire } from 'node:module'; const require = __podCleanerRequire(import.meta.url);" }
}

rmSync('dist', { recursive: true, force: true })
mkdirSync('dist')
const results = await Promise.all([
  build({ ...common, entryPoints: ['src/index.ts'], outfile: 'dist/index.js' }),
  build({
    ...common,
    entryPoints: ['src/cli-entry.ts'],
    outfile: 'dist/cli.js',
    banner: { js: `#!/usr/bin/env node\n${common.banner.js}` }
  }),
  // The fleet's aggregate sub-action (aggregate/action.yml).
  build({ ...common, entryPoints: ['src/aggregate-entry.ts'], outfile: 'dist/aggregate.js' })
])
writeFileSync('dist/package.json', '{ "type": "module" }\n')

// Licenses: one entry per package that has code in either bundle.
const packages = new Map()
for (const { metafile } of results) {
  for (const input of Object.keys(metafile.inputs)) {
    const match = /^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(input)
    if (!match || packages.has(match[1])) continue
    const dir = match[1]
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'))
    const licenseFile = existsSync(dir) ? readdirSync(dir).find(f => /^(licen[cs]e|copying)/i.test(f)) : undefined
    packages.set(dir, {
      name: pkg.name,
      version: pkg.version,
      license: typeof pkg.license === 'string' ? pkg.license : 'see text',
      text: licenseFile ? readFileSync(join(dir, licenseFile), 'utf8').trim() : ''
    })
  }
}
const entries = [...packages.values()]
  .sort((a, b) => a.name.localeCompare(b.name) || a.version.localeCompare(b.version))
  .map(p => `${p.name}@${p.version}\n${p.license}\n${p.text}`)
writeFileSync('dist/licenses.txt', `${entries.join('\n\n')}\n`)
const mb = (i, file) => (results[i].metafile.outputs[file].bytes / 1e6).toFixed(2)
const size = (i, file) => `${mb(i, file)} MB (map ${mb(i, `${file}.map`)} MB)`
console.log(`dist/: index.js ${size(0, 'dist/index.js')}, cli.js ${size(1, 'dist/cli.js')}, aggregate.js ${size(2, 'dist/aggregate.js')}, ${entries.length} licensed packages`)

