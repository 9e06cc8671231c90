// A stack trace of a minified bundle (dist/*.js), told in terms of src/: every location in the
// bundle ("file:///…/dist/index.js:2:48213") becomes the source file and line it was built from
// ("src/action/run.ts:97:11"), through the bundle's source map. Used only when a stack is shown
// (an unexpected error), so the map is read and parsed then, never on the normal path.

import { SourceMap, type SourceMapPayload } from 'node:module'
import { fileURLToPath } from 'node:url'

/** What a map needs here (esbuild writes no `file`, `sourceRoot` or, by choice, `sourcesContent`). */
export type MapPayload = Pick<SourceMapPayload, 'version' | 'sources' | 'names' | 'mappings'>

const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

/**
 * A source as the map names it, relative to the map's directory ("../src/x.ts" for a map in
 * dist/), without the leading "../": the path from the repository's root.
 */
const fromRoot = (source: string): string => source.replace(/^(\.\.\/)+/, '')

/**
 * `stack` with each location inside `bundle` (the bundle's file:// URL; its path form is matched
 * too) replaced by the original `source:line:column` from `map`. Locations the map does not
 * cover, and every other frame (node:internal, other files), stay as they are.
 */
export function mapStack(stack: string, bundle: string, map: MapPayload): string {
  const sourceMap = new SourceMap(map as SourceMapPayload)
  const names = [bundle]
  if (bundle.startsWith('file:')) names.push(fileURLToPath(bundle))
  const location = new RegExp(`(?:${names.map(escape).join('|')}):(\\d+):(\\d+)`, 'g')
  return stack.replace(location, (whole, line: string, column: string) => {
    const entry = sourceMap.findEntry(Number(line) - 1, Number(column) - 1)
    if (!('originalSource' in entry)) return whole
    return `${fromRoot(entry.originalSource)}:${entry.originalLine + 1}:${entry.originalColumn + 1}`
  })
}
