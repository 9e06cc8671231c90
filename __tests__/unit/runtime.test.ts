// Start-up tuning of V8's heap: flags node was given win, and the flags we set are ones the pinned
// runtime knows and obeys after start-up.
import { describe, expect, it } from '@jest/globals'
import { spawnSync } from 'node:child_process'
import { HEAP_FLAGS, heapFlagsToSet } from '../../src/lib/runtime.js'

const ALL = HEAP_FLAGS.map(f => f.flag)

describe('heapFlagsToSet', () => {
  it('sets both when node was given neither', () => {
    expect(heapFlagsToSet([], undefined)).toEqual(ALL)
    expect(heapFlagsToSet(['--enable-source-maps'], '--max-old-space-size=4096')).toEqual(ALL)
    expect(heapFlagsToSet([], '')).toEqual(ALL)
  })

  it.each([
    [['--max-semi-space-size=64'], undefined],
    [['--max_semi_space_size=64'], undefined],
    [[], '--enable-source-maps --semi-space-growth-factor=2'],
    [[], '--min-semi-space-size=4'],
    [['--semi-space-growth-factor', '2'], undefined]
  ])('node was told %j / NODE_OPTIONS=%j: the young generation is left alone', (argv, options) => {
    expect(heapFlagsToSet(argv, options)).toEqual(['--heap-growing-percent=20'])
  })

  it('a growing percent of node’s own is left alone; both given: nothing set', () => {
    expect(heapFlagsToSet([], '--heap-growing-percent=0')).toEqual(['--semi-space-growth-factor=1'])
    expect(heapFlagsToSet(['--heap_growing_percent=50'], '--semi-space-growth-factor=2')).toEqual(
      []
    )
  })
})

describe('the heap flags on the pinned runtime', () => {
  // Allocates like a scan (short-lived objects, and batches that live long enough to be promoted
  // and then die), then reports the young generation's size and the number of full GCs (from
  // V8's own --trace-gc lines).
  const probe = (flags: readonly string[]) => {
    const script = `
      const v8 = require('node:v8')
      for (const flag of ${JSON.stringify(flags)}) v8.setFlagsFromString(flag)
      v8.setFlagsFromString('--trace-gc')
      let kept = []
      for (let i = 0; i < 3e6; i++) {
        const o = { a: i, b: 'x' + i, c: [i, i] }
        if (i % 5 === 0) { kept.push(o); if (kept.length > 20000) kept = [] }
      }
      const space = v8.getHeapSpaceStatistics().find(s => s.space_name === 'new_space')
      console.log('new space', space.space_size)`
    const child = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', env: {} })
    expect(child.stderr).toBe('') // an unknown flag would print "unrecognized flag" here
    return {
      newSpace: Number(/new space (\d+)/.exec(child.stdout)?.[1]),
      fullGcs: child.stdout.split('\n').filter(line => line.includes('Mark-Compact')).length
    }
  }

  it('known to V8; the young generation stays small and full GCs come sooner', () => {
    const tuned = probe(ALL)
    const untuned = probe([])
    expect(tuned.newSpace).toBeLessThanOrEqual(4 * 2 ** 20)
    expect(untuned.newSpace).toBeGreaterThan(tuned.newSpace)
    expect(tuned.fullGcs).toBeGreaterThan(untuned.fullGcs)
  })
})
