// Start-up tuning of V8's heap, applied by both entry points before any work.
//
// A scan decodes every pod as its bytes arrive and keeps only the verdict (kube/list-decoder.ts):
// the live heap stays at ~15 MB however large the cluster, and everything else is garbage. V8's
// defaults still let peak memory grow with the cluster's size, in two ways (bench/RESULTS.md):
//
// 1. The young generation doubles (up to 16 MB semi-spaces) each time the bytes that survived
//    scavenges since its last growth exceed its capacity; a trickle of in-flight survivors over
//    100 pages is enough (+20–30 MB of peak RSS at 50k pods). A growth factor of 1 keeps it at
//    the size it has when this runs (1–2 MB semi-spaces).
// 2. What does get promoted (~10–30 KB per scavenge: the page being judged, stream state) piles
//    up in old space until the next full GC, which V8 schedules at up to 4× the live heap after
//    the last one — on a long scan, one full GC in all (+10–15 MB). A growing factor of 1.2
//    brings a full GC (~10 ms at this heap size) every few MB of garbage instead.
//
// Both flags are read whenever V8 resizes, so setting them after start-up works; the sizes fixed
// when the heap is created (--max-semi-space-size, --max-old-space-size) cannot be passed to an
// Action's node. A flag node was started with is left alone (on the command line; NODE_OPTIONS
// accepts only --max-semi-space-size of these).
import { setFlagsFromString } from 'node:v8'

export const HEAP_FLAGS = [
  {
    flag: '--semi-space-growth-factor=1',
    overriddenBy: /^--(?:(?:max|min)[-_])?semi[-_]space[-_]/
  },
  { flag: '--heap-growing-percent=20', overriddenBy: /^--heap[-_]growing[-_]percent\b/ }
] as const

/** The flags of HEAP_FLAGS that node was not already given. */
export function heapFlagsToSet(
  execArgv: readonly string[],
  nodeOptions: string | undefined
): string[] {
  const given = [...execArgv, ...(nodeOptions ?? '').split(/\s+/)]
  return HEAP_FLAGS.filter(({ overriddenBy }) => !given.some(arg => overriddenBy.test(arg))).map(
    ({ flag }) => flag
  )
}

/** Sets the heap flags node was not given; returns them. */
export function tuneHeap(
  execArgv: readonly string[] = process.execArgv,
  nodeOptions: string | undefined = process.env.NODE_OPTIONS
): string[] {
  const flags = heapFlagsToSet(execArgv, nodeOptions)
  for (const flag of flags) setFlagsFromString(flag)
  return flags
}
