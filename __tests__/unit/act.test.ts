import { describe, expect, it } from '@jest/globals'
import { gracePeriodFor } from '../../src/cycle/act.js'
import { DEFAULT_DELETE_REASONS, DEFAULT_REPORT_REASONS } from '../../src/domain/reasons.js'
import { detectPod, type Finding } from '../../src/domain/detect.js'
import { crashLoop, pod } from '../fixtures/pods.js'

const detect = {
  deleteReasons: new Set(DEFAULT_DELETE_REASONS),
  reportReasons: new Set(DEFAULT_REPORT_REASONS)
}
const finding = (kind: string): Finding =>
  detectPod(pod({ owner: { kind, name: 'x' }, containers: [crashLoop()] }), detect) as Finding

describe('gracePeriodFor', () => {
  it.each<[string, number, number | undefined]>([
    ['ReplicaSet', 0, 0],
    ['ReplicaSet', 30, 30],
    // grace 0 could run two pods with one identity: StatefulSet pods keep their own grace period
    ['StatefulSet', 0, undefined],
    ['StatefulSet', 30, 30]
  ])('%s with grace-period-seconds %d → %s', (kind, configured, expected) => {
    expect(gracePeriodFor(finding(kind), configured)).toBe(expected)
  })
})
