// Summarizes a V8 .cpuprofile: total sampled time, self time by function and by category
// (JSON.parse, GC, TLS/crypto, undici, our code, idle waiting for the apiserver).

export function summarizeProfile(profile) {
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
    const { functionName, url, lineNumber } = byId.get(id).callFrame
    total += ms
    const file = url.split('/').slice(-1)[0] || ''
    const key = `${functionName || '(anonymous)'} ${file}${lineNumber >= 0 ? `:${lineNumber + 1}` : ''}`
    fns.set(key, (fns.get(key) ?? 0) + ms)
    const cat =
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
  return { sampledMs: Math.round(total), categories, top }
}
