// The state store on disk (the StateStore port): a JSON file, read leniently — a missing, empty,
// unreadable or corrupt file is a fresh start with a warning, never a crash — and written
// atomically, so a cancelled run never leaves half a file.

import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'
import type { StateStore } from '../cycle/ports.js'
import { emptyState, parseState, type StateFile } from '../domain/state.js'

/** Reads the state; problems come back as a warning and a fresh state. */
export function readState(path: string): { state: StateFile; warning?: string } {
  if (!existsSync(path)) return { state: emptyState() }
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (error) {
    return {
      state: emptyState(),
      warning: `state-file ${path} cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}); starting fresh`
    }
  }
  if (text.trim() === '') return { state: emptyState() }
  const parsed = parseState(text)
  if ('state' in parsed) return parsed
  return {
    state: emptyState(),
    warning: `state-file ${path} is corrupt (${parsed.problem}); starting fresh`
  }
}

/** Writes atomically (temp file + rename). */
export function writeState(path: string, state: StateFile): void {
  mkdirSync(dirname(path), { recursive: true })
  const tmp = `${path}.${process.pid}.tmp`
  writeFileSync(tmp, `${JSON.stringify(state, null, 2)}\n`)
  renameSync(tmp, path)
}

/** The state file at `path` as the cycle's memory across runs. */
export const fileStateStore = (path: string): StateStore => ({
  read: () => readState(path),
  write: state => writeState(path, state)
})
