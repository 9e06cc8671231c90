// Summarizes a V8 .cpuprofile: total sampled time, self time by function and by category
// (JSON.parse, GC, TLS/crypto, undici, our code, idle waiting for the apiserver). With the
// bundle's source map (dist/*.js.map, written by npm run bundle, not committed), minified frames
// are named by their original file and line (and that line's text), and bundle time is split into
// our code (src/) and each dependency.
import { existsSync, readFileSync } from 'node:fs'
import { SourceMap } from 'node:module'
import { fileURLToPath } from 'node:url'

/** The source map of a profiled script, if it has one beside it. */
export function loadSourceMap(scriptPath) {
  const file = `${scriptPath}.map`
  return existsSync(file) ? new SourceMap(JSON.parse(readFileSync(file, 'utf8'))) : undefined
}

function original(map, url, line, column) {
  if (!map || !url.startsWith('file:') || line < 0) return undefined
  const entry = map.findEntry(line, column)
  if (!entry?.originalSource) return undefined
  const source = entry.originalSource.replace(/^(\.\.\/)+/, '')
  const index = map.payload.sources.indexOf(entry.originalSource)
  const text = map.payload.sourcesContent?.[index]?.split('\n')[entry.originalLine]?.trim() ?? ''
  return { source, line: entry.originalLine + 1, text: text.length > 70 ? `${text.slice(0, 69)}…` : text }
}

function origin(source) {
  const dep = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(source)
  return dep ? `dependency ${dep[1]}` : source.startsWith('src/') ? 'our code (src/)' : 'bundle JavaScript'
}

export function summarizeProfile(profile, { map, script } = {}) {
  const byId = new Map(profile.nodes.map(n => [n.id, n]))
  const self = new Map()
  const dt = profile.timeDeltas
  for (let i = 0; i < profile.samples.length; i++) {
    const node = byId.get(profile.samples[i])
    const ms = (dt[i] ?? 0) / 1000
    self.set(node.id, (self.get(node.id) ?? 0) + ms)
  }
  const fns = new Map()
  const cats = new Map()
  let total = 0
  for (const [id, ms] of self) {
    const { functionName, url, lineNumber, columnNumber } = byId.get(id).callFrame
    total += ms
    const file = url.split('/').slice(-1)[0] || ''
    const ofScript = !script || (url.startsWith('file:') && fileURLToPath(url) === script)
    const mapped = ofScript ? original(map, url, lineNumber, columnNumber) : undefined
    const key = mapped
      ? `${mapped.source}:${mapped.line} \`${mapped.text}\``
      : `${functionName || '(anonymous)'} ${file}${lineNumber >= 0 ? `:${lineNumber + 1}` : ''}`
    fns.set(key, (fns.get(key) ?? 0) + ms)
    const cat = mapped ? origin(mapped.source) :
      functionName === '(idle)' ? 'idle (waiting for the apiserver)'
      : functionName === '(garbage collector)' ? 'garbage collector'
      : functionName === '(program)' ? 'program (V8/native, incl. startup)'
      : functionName === 'parse' && !url ? 'JSON.parse'
      : /tls|crypto|_tls_/.test(url) ? 'TLS'
      : /undici|fetch/i.test(url) || /undici/.test(functionName) ? 'http (undici/fetch)'
      : url.startsWith('node:') ? 'node internals'
      : 'bundle JavaScript (ours + deps)'
    cats.set(cat, (cats.get(cat) ?? 0) + ms)
  }
  const top = [...fns].sort((a, b) => b[1] - a[1]).slice(0, 15).map(([fn, ms]) => ({ fn, ms: Math.round(ms) }))
  const categories = Object.fromEntries([...cats].sort((a, b) => b[1] - a[1]).map(([c, ms]) => [c, Math.round(ms)]))
  return { sampledMs: Math.round(total), sourceMapped: Boolean(map), categories, top }
}
