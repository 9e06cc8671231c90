// Start-up tuning of V8's heap on the pinned runtime: the flags we set are ones it knows and
// obeys after start-up (a child node process each; heapFlagsToSet itself is unit-tested).
import { describe, expect, it } from '@jest/globals'
import { spawnSync } from 'node:child_process'
import { HEAP_FLAGS } from '../../src/lib/runtime.js'

const ALL = HEAP_FLAGS.map(f => f.flag)

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
