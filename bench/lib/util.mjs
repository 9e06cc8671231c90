// Small helpers: child processes with wall-clock timing, statistics, logging.

import { spawn } from 'node:child_process'
import { openSync, closeSync } from 'node:fs'
import { performance } from 'node:perf_hooks'

const started = performance.now()
export const log = message => {
  const t = ((performance.now() - started) / 1000).toFixed(1).padStart(6)
  process.stderr.write(`[bench ${t}s] ${message}\n`)
}

/** Children we started, so an interrupt can stop them (by pid, nothing broader). */
export const children = new Set()

/**
 * Runs a command; resolves with wall time (spawn → exit), exit code, stdout/stderr text.
 * stdout: 'pipe' (collected) or 'null' (/dev/null). onLine(line, t) sees stdout lines as they
 * arrive (t = performance.now()).
 */
export function runProc(cmd, args, { env, stdout = 'pipe', onLine, timeoutMs = 15 * 60_000, cwd } = {}) {
  return new Promise((resolve, reject) => {
    const devnull = stdout === 'null' ? openSync('/dev/null', 'w') : undefined
    const t0 = performance.now()
    const child = spawn(cmd, args, {
      env: env ?? process.env,
      cwd,
      stdio: ['ignore', devnull ?? 'pipe', 'pipe']
    })
    children.add(child)
    let out = ''
    let err = ''
    let pending = ''
    child.stdout?.on('data', chunk => {
      const text = chunk.toString()
      out += text
      if (onLine) {
        const now = performance.now()
        pending += text
        let i
        while ((i = pending.indexOf('\n')) >= 0) {
          onLine(pending.slice(0, i), now)
          pending = pending.slice(i + 1)
        }
      }
    })
    child.stderr.on('data', chunk => {
      err += chunk.toString()
      if (err.length > 4_000_000) err = err.slice(-2_000_000)
    })
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs)
    child.on('error', error => {
      clearTimeout(timer)
      children.delete(child)
      if (devnull !== undefined) closeSync(devnull)
      reject(error)
    })
    child.on('close', (code, signal) => {
      const ms = performance.now() - t0
      clearTimeout(timer)
      children.delete(child)
      if (devnull !== undefined) closeSync(devnull)
      resolve({ ms, code, signal, stdout: out, stderr: err, t0 })
    })
  })
}

export function stats(values) {
  const v = values.filter(x => typeof x === 'number' && Number.isFinite(x)).sort((a, b) => a - b)
  if (v.length === 0) return { n: 0 }
  const q = p => v[Math.min(v.length - 1, Math.max(0, Math.ceil(p * v.length) - 1))]
  const median = v.length % 2 ? v[(v.length - 1) / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2
  return { n: v.length, min: v[0], median, p95: q(0.95), max: v[v.length - 1] }
}

export const round = (x, d = 0) => (typeof x === 'number' ? Number(x.toFixed(d)) : x)
export const ratio = (a, b) => (a && b ? Number((a / b).toFixed(2)) : null)
export const sleep = ms => new Promise(r => setTimeout(r, ms))

/** Fisher–Yates, so the tools' order changes from one repetition to the next. */
export function shuffled(items) {
  const a = [...items]
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1))
    ;[a[i], a[j]] = [a[j], a[i]]
  }
  return a
}

/** Reads name<<delim … delim and name=value entries of a GITHUB_OUTPUT file. */
export function parseGithubOutput(text) {
  const out = {}
  const lines = text.split('\n')
  for (let i = 0; i < lines.length; i++) {
    const m = /^([^=<]+)<<(.+)$/.exec(lines[i])
    if (m) {
      const body = []
      for (i++; i < lines.length && lines[i] !== m[2]; i++) body.push(lines[i])
      out[m[1]] = body.join('\n')
    } else {
      const e = lines[i].indexOf('=')
      if (e > 0) out[lines[i].slice(0, e)] = lines[i].slice(e + 1)
    }
  }
  return out
}

/** Peak heap from --trace-gc lines: "Scavenge 5.2 (6.0) -> 4.8 (7.0) MB". */
export function traceGcPeak(text) {
  let used = 0
  let committed = 0
  let live = 0
  for (const m of text.matchAll(/([\d.]+) \(([\d.]+)\) -> ([\d.]+) \(([\d.]+)\) MB/g)) {
    used = Math.max(used, Number(m[1]))
    committed = Math.max(committed, Number(m[2]), Number(m[4]))
  }
  // Live heap: the largest size left after a full (Mark-Compact) collection.
  for (const m of text.matchAll(/Mark-Compact[^\n]*?[\d.]+ \([\d.]+\) -> ([\d.]+) \(/g)) live = Math.max(live, Number(m[1]))
  return { heapUsedMB: used || null, heapCommittedMB: committed || null, liveAfterMarkCompactMB: live || null }
}
