import { describe, expect, it } from '@jest/globals'
import { DECISIONS } from '../../src/domain/decisions.js'
import { countRows, type RowDecision } from '../../src/domain/result.js'
import { row } from './../fixtures/result.js'

// One table gives every decision its meaning; these are the meanings users read in the README.
describe('the decisions table', () => {
  it.each<[RowDecision, keyof ReturnType<typeof countRows>, string, boolean]>([
    ['deleted', 'deleted', 'delete', true],
    ['evicted', 'deleted', 'delete', true],
    ['would-delete', 'deleted', 'delete', false],
    ['would-evict', 'deleted', 'delete', false],
    ['report', 'reportOnly', 'report', false],
    ['failed', 'failed', 'failed', false],
    ['skipped', 'skipped', 'skip', false],
    ['blocked', 'skipped', 'skip', false],
    // A given-up owner's pod is skipped: counted as skipped, and `scan --output json` says skip.
    ['given-up', 'skipped', 'skip', false]
  ])('%s counts as %s, is "%s" in JSON, acted: %s', (decision, bucket, json, acted) => {
    const counts = countRows([row({ decision })])
    expect(counts[bucket]).toBe(1)
    expect(DECISIONS[decision].json).toBe(json)
    expect(DECISIONS[decision].acted).toBe(acted)
  })
})
