// mapStack: a minified bundle's stack trace told in src/ files and lines, through the bundle's
// source map (sources relative to dist/, no sourcesContent — as scripts/bundle.mjs writes them).
import { describe, expect, it } from '@jest/globals'
import { mapStack } from '../../src/lib/stack-map.js'

// Generated once by esbuild (bundle, minify, ESM, a one-line banner, sourcemap: 'linked',
// sourcesContent: false) from src/lib/check.ts, which calls a package's `call(fn, value)`:
//
//   1 import { call } from 'pkg'
//   2
//   3 export function check(count: number): number {
//   4   if (count > 1) throw new TypeError(`count ${count}`)
//   5   return count
//   6 }
//   7
//   8 export const run = (count: number): number => call(check, count)
//
// dist/index.js, line 2:
//   function e(r,n){return r(n)}function o(r){if(r>1)throw new TypeError(`count ${r}`);return r}var c=r=>e(o,r);…
const map = {
  version: 3,
  sources: ['../node_modules/pkg/index.js', '../src/lib/check.ts'],
  mappings:
    ';AAAO,SAASA,EAAKC,EAAIC,EAAO,CAC9B,OAAOD,EAAGC,CAAK,CACjB,CCAO,SAASC,EAAMC,EAAuB,CAC3C,GAAIA,EAAQ,EAAG,MAAM,IAAI,UAAU,SAASA,CAAK,EAAE,EACnD,OAAOA,CACT,CAEO,IAAMC,EAAOD,GAA0BE,EAAKH,EAAOC,CAAK',
  names: ['call', 'fn', 'value', 'check', 'count', 'run', 'call']
}
const bundle = 'file:///work/repo/dist/index.js'

// What Node printed for run(5) from that bundle.
const stack = [
  'TypeError: count 5',
  '    at o (file:///work/repo/dist/index.js:2:56)',
  '    at e (file:///work/repo/dist/index.js:2:24)',
  '    at c (file:///work/repo/dist/index.js:2:102)',
  '    at file:///work/repo/t.mjs:2:7',
  '    at ModuleJob.run (node:internal/modules/esm/module_job:561:25)'
].join('\n')

describe('mapStack', () => {
  it('names the src/ file and line of every frame inside the bundle', () => {
    expect(mapStack(stack, bundle, map).split('\n')).toEqual([
      'TypeError: count 5',
      '    at o (src/lib/check.ts:4:24)',
      '    at e (node_modules/pkg/index.js:2:10)',
      '    at c (src/lib/check.ts:8:47)',
      '    at file:///work/repo/t.mjs:2:7',
      '    at ModuleJob.run (node:internal/modules/esm/module_job:561:25)'
    ])
  })

  it('also matches the bundle by its path (CommonJS-style frames)', () => {
    expect(mapStack('    at o (/work/repo/dist/index.js:2:56)', bundle, map)).toBe(
      '    at o (src/lib/check.ts:4:24)'
    )
  })

  it('leaves other files, and locations the map does not cover, as they are', () => {
    const other =
      '    at x (file:///work/repo/dist/cli.js:2:56)\n    at y (file:///work/repo/dist/index.js:1:3)'
    expect(mapStack(other, bundle, map)).toBe(other)
  })

  it('does not take a longer file name for the bundle', () => {
    const longer = '    at o (file:///work/repo/dist/index.js.bak:2:56)'
    expect(mapStack(longer, bundle, map)).toBe(longer)
  })
})
