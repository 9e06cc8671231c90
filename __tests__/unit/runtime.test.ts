// Start-up tuning: node's own flags win, and the flag we set is one the pinned runtime knows and
// obeys after start-up (a young generation that stays at its start-up size).
import { describe, expect, it } from '@jest/globals'
import { spawnSync } from 'node:child_process'
import { YOUNG_GENERATION_FLAG, youngGenerationChosen } from '../../src/runtime.js'

describe('youngGenerationChosen', () => {
  it.each([
    [['--max-semi-space-size=64'], undefined],
    [['--max_semi_space_size=64'], undefined],
    [[], '--enable-source-maps --semi-space-growth-factor=2'],
    [[], '--min-semi-space-size=4'],
    [['--semi-space-growth-factor', '2'], undefined]
  ])('node was told %j / NODE_OPTIONS=%j: left alone', (execArgv, nodeOptions) => {
    expect(youngGenerationChosen(execArgv, nodeOptions)).toBe(true)
  })

  it.each([
    [[], undefined],
    [['--enable-source-maps'], '--max-old-space-size=4096'],
    [[], '']
  ])('node was told %j / NODE_OPTIONS=%j: tuned', (execArgv, nodeOptions) => {
    expect(youngGenerationChosen(execArgv, nodeOptions)).toBe(false)
  })
})

describe(`${YOUNG_GENERATION_FLAG} on the pinned runtime`, () => {
  // Allocates like a scan (short-lived objects, a few survivors), then reports new space's size.
  const probe = (setFlag: boolean) => {
    const script = `
      const v8 = require('node:v8')
      ${setFlag ? `v8.setFlagsFromString(${JSON.stringify(YOUNG_GENERATION_FLAG)})` : ''}
      let kept = []
      for (let i = 0; i < 3e6; i++) {
        const o = { a: i, b: 'x' + i, c: [i, i] }
        if (i % 50 === 0) { kept.push(o); if (kept.length > 2000) kept = [] }
      }
      const space = v8.getHeapSpaceStatistics().find(s => s.space_name === 'new_space')
      console.log(space.space_size)`
    const child = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', env: {} })
    expect(child.stderr).toBe('')
    return Number(child.stdout.trim())
  }

  it('is a known flag (no "unrecognized flag" on stderr) and keeps new space small', () => {
    const tuned = probe(true)
    const untuned = probe(false)
    expect(tuned).toBeLessThanOrEqual(4 * 2 ** 20)
    expect(untuned).toBeGreaterThan(tuned)
  })
})
