// Memory across runs: per owner, how many cleanups in a row did not heal it. After
// `give-up-after` of them the owner is left alone (given up) and escalated, at most once per
// `realert-interval`. And the incidents (domain/incidents.ts): what people were told, and when.
// A missing, empty or corrupt file is a fresh start, never a crash; a version-1 file (owners
// only) migrates. Reading and writing the file is store/state-file.ts's job; this module is the
// rules and the schema (documented in docs/how-it-works.md, "The state file").

import * as z from 'zod/mini'
import { incidentSchema } from './incidents.js'

const ownerStateSchema = z.object({
  namespace: z.string(),
  kind: z.string(),
  name: z.string(),
  /** Consecutive cleanups that did not recover. */
  unrecovered: z.number(),
  /** When we first saw this owner broken (ISO). */
  firstSeenBroken: z.string(),
  lastAction: z.optional(z.string()),
  lastActionAt: z.optional(z.string()),
  givenUp: z.optional(z.boolean()),
  /** When the give-up escalation was last sent (ISO). */
  lastAlertAt: z.optional(z.string())
})

/** Version 1 (before incidents): per owner uid, what the runs so far remember. */
const stateFileV1Schema = z.object({
  version: z.literal(1),
  owners: z.record(z.string(), ownerStateSchema)
})

/** The state file (version 2): the owners as in version 1, and the incidents by fingerprint. */
export const stateFileSchema = z.object({
  version: z.literal(2),
  owners: z.record(z.string(), ownerStateSchema),
  incidents: z.record(z.string(), incidentSchema)
})

export const STATE_VERSION = 2

export type OwnerState = z.output<typeof ownerStateSchema>
export type StateFile = z.output<typeof stateFileSchema>

export const emptyState = (): StateFile => ({ version: 2, owners: {}, incidents: {} })

/** The state in a file's text (a version-1 file migrated), or why it is not one. */
export function parseState(text: string): { state: StateFile } | { problem: string } {
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch (error) {
    return { problem: (error as Error).message }
  }
  const parsed = stateFileSchema.safeParse(json)
  if (parsed.success) return { state: parsed.data }
  // Version 1 kept no incidents: its owners carry over, and the first run opens what it sees.
  const v1 = stateFileV1Schema.safeParse(json)
  if (v1.success) return { state: { version: 2, owners: v1.data.owners, incidents: {} } }
  return { problem: 'unknown format' }
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

export interface RunMemory {
  now: Date
  cleanups: CleanupRecord[]
  /** Owner uids with a broken pod in this run. */
  brokenOwners: Map<string, OwnerRef>
  /** Namespaces the run looked at ('*' = all). */
  scanned: Set<string> | '*'
  giveUpAfter: number
  realertIntervalSeconds: number
}

const freshOwner = (owner: OwnerRef, now: string): OwnerState => ({
  namespace: owner.namespace,
  kind: owner.kind,
  name: owner.name,
  unrecovered: 0,
  firstSeenBroken: now
})

/** Owners still broken, or outside this run's scope, are kept; healthy ones in scope forgotten. */
function stillBroken(previous: StateFile, run: RunMemory, now: string): Record<string, OwnerState> {
  const owners: Record<string, OwnerState> = {}
  for (const [uid, s] of Object.entries(previous.owners)) {
    const inScope = run.scanned === '*' || run.scanned.has(s.namespace)
    if (!inScope || run.brokenOwners.has(uid)) owners[uid] = { ...s }
  }
  for (const [uid, owner] of run.brokenOwners) owners[uid] ??= freshOwner(owner, now)
  return owners
}

/** A recovered cleanup forgets its owner; an unrecovered one counts up. */
function countCleanups(owners: Record<string, OwnerState>, run: RunMemory, now: string): void {
  for (const c of run.cleanups) {
    const s = (owners[c.owner.uid] ??= freshOwner(c.owner, now))
    s.lastAction = c.action
    s.lastActionAt = now
    if (c.recovered === true) delete owners[c.owner.uid]
    else if (c.recovered === false) s.unrecovered++
  }
}

/** Owners at the give-up limit are given up; escalated at most once per realert-interval. */
function giveUp(owners: Record<string, OwnerState>, run: RunMemory, now: string): Escalation[] {
  const escalations: Escalation[] = []
  for (const [uid, s] of Object.entries(owners)) {
    if (s.unrecovered < run.giveUpAfter) continue
    s.givenUp = true
    const last = s.lastAlertAt ? Date.parse(s.lastAlertAt) : 0
    if (run.now.getTime() - last < run.realertIntervalSeconds * 1000) continue
    s.lastAlertAt = now
    escalations.push({
      owner: { namespace: s.namespace, kind: s.kind, name: s.name, uid },
      unrecovered: s.unrecovered,
      firstSeenBroken: s.firstSeenBroken
    })
  }
  return escalations
}

/**
 * Folds one run into the state: recovered owners are forgotten, unrecovered ones count up and
 * give up at the limit; owners seen healthy in the scanned namespaces are forgotten too.
 */
export function updateState(previous: StateFile, run: RunMemory): StateUpdate {
  const now = run.now.toISOString()
  const owners = stillBroken(previous, run, now)
  countCleanups(owners, run, now)
  const escalations = giveUp(owners, run, now)
  return { state: { ...previous, version: 2, owners }, escalations }
}
