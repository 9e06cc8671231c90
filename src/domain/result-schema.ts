// The schema of a saved CycleResult (the `result` output, version 1), so `pod-cleaner show` reads
// a file it did not write without trusting it. Results written before a field existed get its
// empty value. A compile-time check keeps the schema and the CycleResult type equal.

import * as z from 'zod/mini'
import { DECISIONS } from './decisions.js'
import { incidentSchema } from './incidents.js'
import type { CycleResult, RowDecision } from './result.js'

const decisions = Object.keys(DECISIONS) as [RowDecision, ...RowDecision[]]
const owner = z.object({ kind: z.string(), name: z.string(), uid: z.string() })

const podRow = z.object({
  namespace: z.string(),
  pod: z.string(),
  uid: z.string(),
  owner: z.optional(owner),
  container: z.string(),
  init: z.boolean(),
  reason: z.string(),
  status: z.string(),
  exitCode: z.optional(z.number()),
  restarts: z.number(),
  ageSeconds: z.number(),
  message: z.optional(z.string()),
  decision: z.enum(decisions),
  detail: z.optional(z.string()),
  cause: z.optional(z.string()),
  diagnosis: z.optional(
    z.object({
      logTail: z.array(z.string()),
      events: z.array(
        z.object({
          reason: z.string(),
          message: z.string(),
          count: z.number(),
          lastSeen: z.optional(z.string())
        })
      ),
      notes: z.array(z.string())
    })
  ),
  brokenSince: z.optional(z.string()),
  outcome: z.optional(z.enum(['recovered', 'not-recovered', 'unknown'])),
  outcomeDetail: z.optional(z.string()),
  replacement: z.optional(z.string()),
  recoveredInMs: z.optional(z.number())
})

const count = z._default(z.number(), 0)
const list = <T extends z.core.SomeType>(item: T) => z._default(z.array(item), [])

export const cycleResultSchema = z.object({
  version: z.literal(1),
  startedAt: z.string(),
  durationMs: z.number(),
  dryRun: z.boolean(),
  mode: z.enum(['delete', 'evict']),
  cluster: z.object({
    context: z.string(),
    server: z.string(),
    identity: z.optional(
      z.object({ username: z.string(), groups: z.array(z.string()), confirmed: z.boolean() })
    ),
    credentials: z.optional(z.string())
  }),
  scope: z.object({
    namespaces: z.array(z.string()),
    excludeNamespaces: z.array(z.string()),
    labelSelector: z.optional(z.string())
  }),
  podsScanned: z.number(),
  pages: z.number(),
  counts: z.object({
    unhealthy: z.number(),
    deleted: z.number(),
    skipped: z.number(),
    failed: z.number(),
    reportOnly: z.number(),
    recovered: count,
    unrecovered: count
  }),
  verification: z._default(
    z.nullable(
      z.object({
        budgetSeconds: z.number(),
        durationMs: z.number(),
        namespacesInCluster: z.optional(z.number())
      })
    ),
    null
  ),
  escalations: list(
    z.object({
      namespace: z.string(),
      owner: z.object({ kind: z.string(), name: z.string() }),
      unrecovered: z.number(),
      firstSeenBroken: z.string(),
      message: z.string()
    })
  ),
  incidents: z._default(
    z.object({
      remembered: z.boolean(),
      changes: z.array(
        z.object({
          kind: z.enum(['opened', 'escalated', 'changed', 'cleanup', 'reminder', 'resolved']),
          incident: incidentSchema,
          reopened: z.optional(z.boolean()),
          previousCause: z.optional(z.string()),
          previousStage: z.optional(incidentSchema.shape.stage),
          previousSeverity: z.optional(incidentSchema.shape.severity),
          cleanups: z.number()
        })
      ),
      open: z.array(incidentSchema)
    }),
    () => ({ remembered: false, changes: [], open: [] })
  ),
  notifications: list(
    z.object({
      channel: z.string(),
      status: z.enum(['sent', 'failed', 'skipped']),
      detail: z.optional(z.string()),
      attempts: z.number(),
      durationMs: z.number()
    })
  ),
  warnings: list(z.string()),
  breaker: z.object({
    tripped: z.boolean(),
    unhealthy: z.number(),
    podsInScope: z.number(),
    percent: z.number(),
    limitPercent: z.number()
  }),
  pods: z.array(podRow),
  errors: z.array(z.string()),
  timings: z.object({ listMs: z.number(), actMs: z.number() }),
  apiRequests: z.number()
})

// The schema and the type must not drift apart (a field added, dropped or changed on one side).
type Same<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false
const sameShape: Same<z.output<typeof cycleResultSchema>, CycleResult> = true
void sameShape
