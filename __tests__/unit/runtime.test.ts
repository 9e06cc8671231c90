// Start-up tuning of V8's heap: flags node was given win (pure; that the pinned runtime knows and
// obeys the flags is checked by spawning it, in integration/runtime-heap.test.ts).
import { describe, expect, it } from '@jest/globals'
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
