// Memory across runs: per owner, how many cleanups in a row did not heal it. After
// `give-up-after` of them the owner is left alone (given up) and escalated, at most once per
// `realert-interval`. A missing, empty or corrupt file is a fresh start, never a crash.

import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'

export interface OwnerState {
  namespace: string
  kind: string
  name: string
  /** Consecutive cleanups that did not recover. */
  unrecovered: number
  /** When we first saw this owner broken (ISO). */
  firstSeenBroken: string
  lastAction?: string
  lastActionAt?: string
  givenUp?: boolean
  /** When the give-up escalation was last sent (ISO). */
  lastAlertAt?: string
}

export interface StateFile {
  version: 1
  owners: Record<string, OwnerState>
}

export const emptyState = (): StateFile => ({ version: 1, owners: {} })

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
  try {
    const parsed = JSON.parse(text) as StateFile
    if (parsed?.version !== 1 || typeof parsed.owners !== 'object' || parsed.owners === null)
      throw new Error('unknown format')
    return { state: parsed }
  } catch (error) {
    return {
      state: emptyState(),
      warning: `state-file ${path} is corrupt (${(error as Error).message}); starting fresh`
    }
  }
}

/** Writes atomically (temp file + rename), so a cancelled run never leaves half a file. */
export function writeState(path: string, state: StateFile): void {
  mkdirSync(dirname(path), { recursive: true })
  const tmp = `${path}.${process.pid}.tmp`
  writeFileSync(tmp, `${JSON.stringify(state, null, 2)}\n`)
  renameSync(tmp, path)
}

export interface OwnerRef {
  namespace: string
  kind: string
  name: string
  uid: string
}

export interface CleanupRecord {
  owner: OwnerRef
  action: string
  /** undefined when verification did not run (dry run, disabled): does not count either way. */
  recovered?: boolean
}

export interface Escalation {
  owner: OwnerRef
  unrecovered: number
  firstSeenBroken: string
}

export interface StateUpdate {
  state: StateFile
  escalations: Escalation[]
}

/**
 * Folds one run into the state: recovered owners are forgotten, unrecovered ones count up and
 * give up at the limit; owners seen healthy in the scanned namespaces are forgotten too.
 */
export function updateState(
  previous: StateFile,
  run: {
    now: Date
    cleanups: CleanupRecord[]
    /** Owner uids with a broken pod in this run. */
    brokenOwners: Map<string, OwnerRef>
    /** Namespaces the run looked at ('*' = all). */
    scanned: Set<string> | '*'
    giveUpAfter: number
    realertIntervalSeconds: number
  }
): StateUpdate {
  const owners: Record<string, OwnerState> = {}
  const now = run.now.toISOString()
  // Forget owners that were in scope and are healthy now; keep the rest.
  for (const [uid, s] of Object.entries(previous.owners)) {
    const inScope = run.scanned === '*' || run.scanned.has(s.namespace)
    if (!inScope || run.brokenOwners.has(uid)) owners[uid] = { ...s }
  }
  for (const [uid, owner] of run.brokenOwners) {
    owners[uid] ??= {
      namespace: owner.namespace,
      kind: owner.kind,
      name: owner.name,
      unrecovered: 0,
      firstSeenBroken: now
    }
  }
  const escalations: Escalation[] = []
  for (const c of run.cleanups) {
    const s = (owners[c.owner.uid] ??= {
      namespace: c.owner.namespace,
      kind: c.owner.kind,
      name: c.owner.name,
      unrecovered: 0,
      firstSeenBroken: now
    })
    s.lastAction = c.action
    s.lastActionAt = now
    if (c.recovered === true) {
      delete owners[c.owner.uid]
      continue
    }
    if (c.recovered === false) s.unrecovered++
  }
  for (const [uid, s] of Object.entries(owners)) {
    if (s.unrecovered < run.giveUpAfter) continue
    s.givenUp = true
    const last = s.lastAlertAt ? Date.parse(s.lastAlertAt) : 0
    if (run.now.getTime() - last >= run.realertIntervalSeconds * 1000) {
      s.lastAlertAt = now
      escalations.push({
        owner: { namespace: s.namespace, kind: s.kind, name: s.name, uid },
        unrecovered: s.unrecovered,
        firstSeenBroken: s.firstSeenBroken
      })
    }
  }
  return { state: { version: 1, owners }, escalations }
}
