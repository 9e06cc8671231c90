// What each row decision means, in one table: the compiler makes every use exhaustive, and counts,
// severities, notification order, JSON and colours all read it (they had drifted apart before).

import type { RowDecision } from './result.js'

export interface DecisionMeaning {
  /** The count it adds to (result.counts). */
  bucket: 'deleted' | 'reportOnly' | 'failed' | 'skipped'
  /** The pod was really deleted or evicted: its owner is verified and remembered. */
  acted: boolean
  /** Worth a notification at least at warning (the cleaner acted, or found what it may not fix). */
  notable: boolean
  /** Notification order, lower first: what needs a person before what the cleaner handled. */
  rank: number
  /** The words in the summary, the table and notifications. */
  text: string
  /** The CLI's `--output json` vocabulary. */
  json: 'delete' | 'report' | 'skip' | 'failed'
  /** ANSI colour of the terminal row: red needs a person, yellow report only, green fixed, dim left alone. */
  colour: '31' | '33' | '32' | '2' | '0'
}

export const DECISIONS: Record<RowDecision, DecisionMeaning> = {
  'given-up': {
    bucket: 'skipped',
    acted: false,
    notable: false,
    rank: 1,
    text: 'given up',
    json: 'skip',
    colour: '31'
  },
  failed: {
    bucket: 'failed',
    acted: false,
    notable: true,
    rank: 2,
    text: 'failed',
    json: 'failed',
    colour: '31'
  },
  report: {
    bucket: 'reportOnly',
    acted: false,
    notable: true,
    rank: 3,
    text: 'report only',
    json: 'report',
    colour: '33'
  },
  blocked: {
    bucket: 'skipped',
    acted: false,
    notable: true,
    rank: 4,
    text: 'blocked',
    json: 'skip',
    colour: '33'
  },
  deleted: {
    bucket: 'deleted',
    acted: true,
    notable: true,
    rank: 5,
    text: 'deleted',
    json: 'delete',
    colour: '0'
  },
  evicted: {
    bucket: 'deleted',
    acted: true,
    notable: true,
    rank: 5,
    text: 'evicted',
    json: 'delete',
    colour: '0'
  },
  'would-delete': {
    bucket: 'deleted',
    acted: false,
    notable: true,
    rank: 5,
    text: 'would delete',
    json: 'delete',
    colour: '32'
  },
  'would-evict': {
    bucket: 'deleted',
    acted: false,
    notable: true,
    rank: 5,
    text: 'would evict',
    json: 'delete',
    colour: '32'
  },
  skipped: {
    bucket: 'skipped',
    acted: false,
    notable: false,
    rank: 6,
    text: 'skipped',
    json: 'skip',
    colour: '2'
  }
}

/** Was the pod really deleted or evicted? */
export const acted = (decision: RowDecision): boolean => DECISIONS[decision].acted
