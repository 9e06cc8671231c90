import { describe, expect, it } from '@jest/globals'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  emptyState,
  parseState,
  updateState,
  type OwnerRef,
  type StateFile
} from '../../src/domain/state.js'
import { fileStateStore, readState, writeState } from '../../src/store/state-file.js'

const owner: OwnerRef = { namespace: 'shop', kind: 'ReplicaSet', name: 'api-5c9', uid: 'rs-1' }
const T0 = new Date('2026-11-28T00:00:00Z')
const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000)
const base = {
  brokenOwners: new Map([[owner.uid, owner]]),
  scanned: '*' as const,
  giveUpAfter: 3,
  realertIntervalSeconds: 6 * 3600
}

function runs(outcomes: Array<boolean | undefined>, start: StateFile = emptyState()) {
  let state = start
  const escalations: number[] = []
  outcomes.forEach((recovered, i) => {
    const update = updateState(state, {
      ...base,
      now: at(i * 10),
      cleanups: [{ owner, action: 'deleted', recovered }]
    })
    state = update.state
    if (update.escalations.length > 0) escalations.push(i + 1)
  })
  return { state, escalations }
}

describe('updateState', () => {
  it('counts unrecovered cleanups and gives up at the limit, escalating once', () => {
    const { state, escalations } = runs([false, false, false])
    expect(state.owners['rs-1']).toMatchObject({
      unrecovered: 3,
      givenUp: true,
      firstSeenBroken: T0.toISOString(),
      lastAction: 'deleted'
    })
    expect(escalations).toEqual([3])
  })

  it('re-alerts only after realert-interval', () => {
    const gaveUp = runs([false, false, false]).state
    const soon = updateState(gaveUp, { ...base, now: at(60), cleanups: [] })
    expect(soon.escalations).toEqual([])
    const later = updateState(soon.state, { ...base, now: at(20 + 6 * 60), cleanups: [] })
    expect(later.escalations).toHaveLength(1)
  })

  it('a recovery resets the owner; unverified cleanups count neither way', () => {
    expect(runs([false, false, true]).state.owners).toEqual({})
    expect(runs([false, undefined, undefined]).state.owners['rs-1']?.unrecovered).toBe(1)
  })

  it('an owner seen healthy in the scanned scope is forgotten; out of scope it is kept', () => {
    const { state } = runs([false])
    const healthy = updateState(state, {
      ...base,
      brokenOwners: new Map(),
      now: at(30),
      cleanups: []
    })
    expect(healthy.state.owners).toEqual({})
    const elsewhere = updateState(state, {
      ...base,
      brokenOwners: new Map(),
      scanned: new Set(['other']),
      now: at(30),
      cleanups: []
    })
    expect(elsewhere.state.owners['rs-1']?.unrecovered).toBe(1)
  })

  it('remembers when an owner was first seen broken', () => {
    const first = updateState(emptyState(), { ...base, now: at(0), cleanups: [] })
    const second = updateState(first.state, { ...base, now: at(10), cleanups: [] })
    expect(second.state.owners['rs-1']?.firstSeenBroken).toBe(T0.toISOString())
  })
})

describe('readState / writeState', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pod-cleaner-state-unit-'))
  it('missing and empty files are a fresh start without a warning', () => {
    expect(readState(join(dir, 'missing.json'))).toEqual({ state: emptyState() })
    writeFileSync(join(dir, 'empty.json'), '')
    expect(readState(join(dir, 'empty.json'))).toEqual({ state: emptyState() })
  })
  it.each([
    ['not JSON', '{oops'],
    ['wrong version', '{"version":2,"owners":{}}'],
    ['no owners', '{"version":1}'],
    ['an owner of the wrong shape', '{"version":1,"owners":{"rs-1":{"namespace":"shop"}}}'],
    [
      'a count that is not a number',
      JSON.stringify({
        version: 1,
        owners: {
          'rs-1': {
            namespace: 'shop',
            kind: 'ReplicaSet',
            name: 'api',
            unrecovered: '2',
            firstSeenBroken: 'x'
          }
        }
      })
    ]
  ])('%s is a warning and a fresh start', (_, text) => {
    const file = join(dir, 'bad.json')
    writeFileSync(file, text)
    const { state, warning } = readState(file)
    expect(state).toEqual(emptyState())
    expect(warning).toMatch(/is corrupt .*starting fresh/)
  })
  it('an unreadable path is a warning', () => {
    expect(readState(dir).warning).toMatch(/cannot be read \(EISDIR\)/)
  })
  it('round-trips, creating folders', () => {
    const file = join(dir, 'nested', 'state.json')
    const { state } = runs([false])
    writeState(file, state)
    expect(readState(file).state).toEqual(state)
  })
  it("is the cycle's StateStore", () => {
    const store = fileStateStore(join(dir, 'store', 'state.json'))
    expect(store.read()).toEqual({ state: emptyState() })
    const { state } = runs([false, false, false])
    store.write(state)
    expect(store.read()).toEqual({ state })
  })
})

describe('parseState', () => {
  it('reads what updateState writes, dropping fields it does not know', () => {
    const { state } = runs([false, false, false])
    expect(parseState(JSON.stringify(state))).toEqual({ state })
    const extra = { ...state, comment: 'hand-edited' }
    expect(parseState(JSON.stringify(extra))).toEqual({ state })
  })
  it('migrates a version-1 file: its owners carry over, incidents start empty', () => {
    const owners = runs([false, false, false]).state.owners
    expect(parseState(JSON.stringify({ version: 1, owners }))).toEqual({
      state: { version: 2, owners, incidents: {} }
    })
  })
  it('says why a text is not a state', () => {
    expect(parseState('{"version":2,"owners":{}}')).toEqual({ problem: 'unknown format' })
    expect(parseState('nope')).toEqual({ problem: expect.stringMatching(/JSON/) })
  })
})
