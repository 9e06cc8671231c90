// Results on disk: the whole CycleResult of one run written as JSON (the `result-file` input),
// and a fleet's results read back by cluster name, each checked against the result schema. A
// file that is missing or not a result is a reason in words, never a crash: the fleet summary
// shows it as the cluster's "no result" row.

import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  writeFileSync
} from 'node:fs'
import { dirname, join } from 'node:path'
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads'
import { keepMostImportant, type ClusterReport } from '../domain/fleet.js'
import * as zc from 'zod'
import * as z from 'zod/mini'
import type { CycleResult } from '../domain/result.js'
import { cycleResultSchema } from '../domain/result-schema.js'

/** Writes the whole result atomically (temp file + rename): a cut-off run leaves no half file. */
export function writeResultFile(path: string, result: CycleResult): void {
  mkdirSync(dirname(path), { recursive: true })
  const tmp = `${path}.${process.pid}.tmp`
  writeFileSync(tmp, JSON.stringify(result))
  renameSync(tmp, path)
}

/**
 * The result schema, its pod rows checked through zod's JIT-compiled object (zod classic) over
 * the very same shape: the same output and the same issues, about twice as fast over a fleet's
 * hundreds of thousands of rows (bench/RESULTS.md, fleet aggregate; a unit test compares the
 * two). The schema itself when its rows are not a plain object any more.
 */
function fastResultSchema(): z.ZodMiniType<unknown> {
  const element = (cycleResultSchema.shape.pods as z.ZodMiniArray)._zod.def.element
  const shape = (element as Partial<z.ZodMiniObject>)._zod?.def.shape
  if (!shape || element._zod.def.type !== 'object') return cycleResultSchema
  return z.extend(cycleResultSchema, { pods: zc.array(zc.object(shape)) })
}

let fastSchema: z.ZodMiniType<unknown> | undefined
/** Built on first use: the Action, which only writes results, never loads zod classic. */
export const resultFileSchema = (): z.ZodMiniType<unknown> => (fastSchema ??= fastResultSchema())

/** The result in a file, or why it is not one. */
export function readResultFile(file: string): { result: CycleResult } | { problem: string } {
  let json: unknown
  try {
    json = JSON.parse(readFileSync(file, 'utf8'))
  } catch (error) {
    return { problem: error instanceof Error ? error.message : String(error) }
  }
  const parsed = resultFileSchema().safeParse(json)
  if (parsed.success) return { result: parsed.data as CycleResult }
  const where = parsed.error.issues[0]?.path.join('.') || 'the document'
  return { problem: `not a Pod Cleaner result (version 1): ${where} is not valid` }
}

/** Where the fleet workflow puts a cluster's result, and the outcome of the step that ran it. */
export const resultPath = (dir: string, cluster: string): string => join(dir, `${cluster}.json`)
export const outcomePath = (dir: string, cluster: string): string => join(dir, `${cluster}.outcome`)

/** Why a cluster has no result, from what its job left behind. */
function missingReason(dir: string, cluster: string): string {
  const file = outcomePath(dir, cluster)
  if (!existsSync(file)) return 'no result: the job failed, timed out or was cancelled'
  const outcome = readFileSync(file, 'utf8').trim()
  if (outcome === 'cancelled') return 'no result: the run was cancelled (or timed out)'
  if (outcome === 'skipped') return 'no result: the run was skipped'
  if (outcome === 'success') return 'no result: the run succeeded but wrote no result file'
  return 'no result: the run failed before it had a result (see the job log)'
}

/** Each expected cluster's result or the reason it has none, in the given order. */
export function readFleetResults(dir: string, clusters: readonly string[]): ClusterReport[] {
  return clusters.map(name => {
    const file = resultPath(dir, name)
    if (!existsSync(file)) return { name, missing: missingReason(dir, name) }
    const read = readResultFile(file)
    if ('problem' in read)
      return { name, missing: `no result: ${name}.json is unusable (${read.problem})` }
    // Only the most important findings are kept: the rest would only cost memory and time.
    const { result, omitted } = keepMostImportant(read.result)
    return { name, result, omitted }
  })
}

/** Result files in `dir` for clusters not in the list (a renamed or removed cluster). */
export function unexpectedResults(dir: string, clusters: readonly string[]): string[] {
  if (!existsSync(dir)) return []
  const known = new Set(clusters)
  return readdirSync(dir)
    .filter(f => f.endsWith('.json'))
    .map(f => f.slice(0, -'.json'.length))
    .filter(name => !known.has(name))
    .sort()
}

/** What a worker thread is given: read these clusters' results in `dir`. */
interface ReadJob {
  kind: 'pod-cleaner-read-results'
  dir: string
  clusters: string[]
}

const isReadJob = (data: unknown): data is ReadJob =>
  typeof data === 'object' &&
  data !== null &&
  (data as { kind?: unknown }).kind === 'pod-cleaner-read-results'

/**
 * In a worker thread started by readFleetResultsInParallel: reads its share and posts it back;
 * true when it did (the entry then does nothing else). False on the main thread.
 */
export function serveResultReads(): boolean {
  if (isMainThread || !isReadJob(workerData)) return false
  parentPort?.postMessage(readFleetResults(workerData.dir, workerData.clusters))
  return true
}

/** Below this many clusters one thread is faster than starting others. */
const PARALLEL_MIN_CLUSTERS = 16

/**
 * readFleetResults on `threads` threads: reading, parsing and checking 256 results of
 * thousands of findings is CPU-bound, and a runner has 2–4 cores. `script` is the bundle that
 * calls serveResultReads() first. A share whose thread fails is read here instead.
 */
export async function readFleetResultsInParallel(
  dir: string,
  clusters: readonly string[],
  options: { script: URL; threads: number }
): Promise<ClusterReport[]> {
  const threads = Math.min(options.threads, Math.floor(clusters.length / 8))
  if (threads <= 1 || clusters.length < PARALLEL_MIN_CLUSTERS)
    return readFleetResults(dir, clusters)
  // Every thread-th cluster: big and small results spread evenly.
  const shares = Array.from({ length: threads }, (_, k) =>
    clusters.filter((_, i) => i % threads === k)
  )
  const read = (share: string[]) =>
    new Promise<ClusterReport[]>((resolve, reject) => {
      const job: ReadJob = { kind: 'pod-cleaner-read-results', dir, clusters: share }
      const worker = new Worker(options.script, { workerData: job })
      worker.once('message', resolve)
      worker.once('error', reject)
      worker.once('exit', code => reject(new Error(`result reader exited ${code}`)))
    }).catch(() => readFleetResults(dir, share))
  const done = new Map<string, ClusterReport>()
  for (const reports of await Promise.all(shares.map(read)))
    for (const report of reports) done.set(report.name, report)
  return clusters.map(name => done.get(name) as ClusterReport)
}
