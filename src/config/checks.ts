// Pure checks the input specs use: each says why a value cannot be what its input expects (or
// undefined), and how a value may be shown in a message without leaking a secret.

import { accessSync, constants as fsConstants, readFileSync, statSync } from 'node:fs'
import { homedir } from 'node:os'
import { dirname, resolve } from 'node:path'
// js-yaml, the parser client-node itself uses: one YAML parser in the bundle.
import { load as parseYaml, YAMLException } from 'js-yaml'

/** A value as a message shows it: quoted, and cut when long. */
export const show = (value: string): string =>
  JSON.stringify(value.length > 80 ? `${value.slice(0, 77)}...` : value)

/** A secret's value safe to show: a URL keeps only scheme and host (paths and queries hold tokens). */
export function redact(value: string): string {
  let shown: string
  try {
    const url = new URL(value)
    const hidden = url.pathname.replace(/\/+$/, '') !== '' || url.search !== '' || url.username
    shown = `${url.protocol}//${url.host}${hidden ? '/***' : ''}`
  } catch {
    shown = value.length <= 12 ? value : `${value.slice(0, 4)}***`
  }
  return JSON.stringify(shown)
}

/** Levenshtein distance, for "did you mean" hints. */
export function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i)
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0] as number
    row[0] = i
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j] as number
      row[j] = Math.min(
        (row[j] as number) + 1,
        (row[j - 1] as number) + 1,
        prev + (a[i - 1]?.toLowerCase() === b[j - 1]?.toLowerCase() ? 0 : 1)
      )
      prev = cur
    }
  }
  return row[b.length] as number
}

export function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined
  let bestDistance = Infinity
  for (const candidate of candidates) {
    const d = editDistance(word, candidate)
    if (d < bestDistance) {
      best = candidate
      bestDistance = d
    }
  }
  return bestDistance <= Math.max(3, Math.floor(word.length / 3)) ? best : undefined
}

export const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/

const errorCode = (error: unknown): string =>
  (error as NodeJS.ErrnoException).code ?? (error as Error).message

/**
 * Why the state file cannot serve as memory, or undefined. Unreadable memory would silently forget
 * the owners given up on — the run must stop before acting instead. A missing file is a first run.
 */
export function stateFileProblem(path: string): string | undefined {
  let target = resolve(path)
  try {
    const stat = statSync(target)
    if (!stat.isFile()) return 'it is not a regular file'
    accessSync(target, fsConstants.R_OK | fsConstants.W_OK)
    return undefined
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') return errorCode(error)
  }
  // Missing: the nearest existing ancestor must be a writable directory.
  for (target = dirname(target); ; target = dirname(target)) {
    try {
      if (!statSync(target).isDirectory()) return `${target} is not a directory`
      accessSync(target, fsConstants.W_OK)
      return undefined
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT')
        return `${target}: ${errorCode(error)}`
      if (dirname(target) === target) return 'no existing parent directory'
    }
  }
}

/**
 * Why a kubeconfig's text cannot be one, or undefined. Says where, never what: the parser's own
 * message quotes the offending line, and a kubeconfig line may hold a secret.
 */
export function kubeconfigShapeProblem(text: string): string | undefined {
  let doc: unknown
  try {
    doc = parseYaml(text)
  } catch (error) {
    const at = error instanceof YAMLException ? error.mark : undefined
    return at ? `invalid YAML at line ${at.line + 1}, column ${at.column + 1}` : 'invalid YAML'
  }
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) return 'not a YAML mapping'
  for (const key of ['clusters', 'contexts', 'users']) {
    const value = (doc as Record<string, unknown>)[key]
    if (value !== undefined && value !== null && !Array.isArray(value))
      return `${key} is not a list`
  }
  return undefined
}

/** A kubeconfig file named by the input (~/ expanded): its text and absolute path, or why not. */
export function readKubeconfigFile(
  path: string
): { content: string; file: string } | { problem: string } {
  const file = resolve(path.startsWith('~/') ? `${homedir()}/${path.slice(2)}` : path)
  try {
    if (!statSync(file).isFile()) return { problem: 'it is not a regular file' }
    return { content: readFileSync(file, 'utf8'), file }
  } catch (error) {
    return { problem: errorCode(error) }
  }
}

/** Accepts kubeconfig YAML/JSON as is, or base64 of it; returns the text or undefined. */
export function decodeKubeconfig(raw: string): string | undefined {
  const text = raw.trim()
  if (text === '') return ''
  if (
    /^(apiVersion|kind|clusters|contexts|users|current-context|preferences)\s*:/m.test(text) ||
    text.startsWith('{')
  ) {
    return raw
  }
  const compact = text.replace(/\s+/g, '')
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(compact)) return undefined
  const decoded = Buffer.from(compact, 'base64').toString('utf8')
  return /^(apiVersion|clusters|contexts|users)\s*:/m.test(decoded) ||
    decoded.trim().startsWith('{')
    ? decoded
    : undefined
}

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]'])

/** A URL with one of these schemes and a host; plain http only to this machine unless allowed. */
export function parseUrl(
  value: string,
  schemes: readonly string[],
  httpAnywhere = false
): URL | undefined {
  try {
    const url = new URL(value)
    if (!schemes.includes(url.protocol) || url.hostname === '') return undefined
    // Secrets travel in these URLs: plain http only to this machine (tests, a local relay).
    if (url.protocol === 'http:' && !httpAnywhere && !LOOPBACK.has(url.hostname)) return undefined
    return url
  } catch {
    return undefined
  }
}

const EMAIL = /^[^\s@<>]+@[^\s@<>]+\.?[^\s@<>]*$/

/** "ops@example.com" or "Pod Cleaner <ops@example.com>". */
export const isEmailAddress = (value: string): boolean =>
  EMAIL.test(value.replace(/^.*<(.+)>\s*$/, '$1'))
