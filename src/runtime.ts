// Start-up tuning of the Node runtime, applied by both entry points before any work.
//
// A scan decodes every pod as its bytes arrive and keeps only the verdict (kube/list-decoder.ts),
// so almost nothing survives a scavenge. V8 still grows its young generation (semi-spaces) by 2×
// each time the bytes that survived since the last growth exceed its capacity — on a long scan
// that happens a few times, and the young generation ends at its maximum (16 MB semi-spaces:
// +20–30 MB of peak RSS at 50k pods, most of the growth of peak memory with the cluster's size).
// A growth factor of 1 keeps it at the size it has when this runs (1–4 MB semi-spaces). The
// maximum itself is fixed when the heap is created (--max-semi-space-size), which an Action cannot
// pass to node; the growth factor is read at every growth, so setting it here works. Measured in
// bench/RESULTS.md (scenario 2 runs the same scan with and without it).
import { setFlagsFromString } from 'node:v8'

export const YOUNG_GENERATION_FLAG = '--semi-space-growth-factor=1'

const SEMI_SPACE_FLAG = /^--(?:(?:max|min)[-_])?semi[-_]space[-_](?:size|growth[-_]factor)\b/

/** Whether node was started with its own young-generation sizing (then it is left alone). */
export function youngGenerationChosen(
  execArgv: readonly string[],
  nodeOptions: string | undefined
): boolean {
  return [...execArgv, ...(nodeOptions ?? '').split(/\s+/)].some(arg => SEMI_SPACE_FLAG.test(arg))
}

/** Stops the growth of V8's young generation, unless node was told how to size it. */
export function keepYoungGenerationSmall(
  execArgv: readonly string[] = process.execArgv,
  nodeOptions: string | undefined = process.env.NODE_OPTIONS
): boolean {
  if (youngGenerationChosen(execArgv, nodeOptions)) return false
  setFlagsFromString(YOUNG_GENERATION_FLAG)
  return true
}
