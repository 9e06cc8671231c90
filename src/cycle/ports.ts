// What the cycle needs from the world, in one place. kube/ implements ClusterApi (file-cluster.ts
// too, for offline scans), store/ implements StateStore; tests use fakes of these, never patches.

import type { Incident } from '../domain/incidents.js'
import type { Pod, PodEventSummary } from '../domain/pod.js'
import type { CycleResult } from '../domain/result.js'
import type { StateFile } from '../domain/state.js'

export interface ListScope {
  /** One namespace, or undefined for the whole cluster. */
  namespace?: string
  labelSelector?: string
  pageSize: number
}

export type ListEvent<T = Pod> =
  | { type: 'page'; pods: T[]; page: number; remaining?: number }
  /** The continue token expired (410): everything seen so far must be forgotten. */
  | { type: 'restart'; reason: string }

export interface DeleteRequest {
  namespace: string
  name: string
  uid: string
  /** undefined = the pod's own terminationGracePeriodSeconds. */
  gracePeriodSeconds?: number
  dryRun: boolean
}

/** What happened to a delete/evict request. */
export type ActOutcome =
  | { result: 'deleted' }
  /** 404: the pod is already gone — the goal is met. */
  | { result: 'gone' }
  /** 409 on the uid precondition: a different pod has the name now (e.g. a StatefulSet replacement). */
  | { result: 'replaced' }
  /** Eviction refused by a PodDisruptionBudget (429). */
  | { result: 'blocked'; message: string }
  | { result: 'failed'; error: unknown }

export type PodEvent =
  { type: 'SYNC'; pods: Pod[] } | { type: 'ADDED' | 'MODIFIED' | 'DELETED'; pod: Pod }

export interface WatchOptions {
  namespace: string
  labelSelector?: string
  signal: AbortSignal
  /** Seconds the server keeps one watch open before we renew it. */
  renewSeconds?: number
  onResync?: (why: string) => void
}

export type { PodEventSummary } from '../domain/pod.js'

/** What diagnosis needs from the cluster. Requests stop when `signal` aborts. */
export interface DiagnoseApi {
  previousLog(
    req: {
      namespace: string
      pod: string
      container: string
      tailLines: number
      limitBytes: number
    },
    signal?: AbortSignal
  ): Promise<string>
  warningEvents(namespace: string, podUid: string, signal?: AbortSignal): Promise<PodEventSummary[]>
}

/** What verification needs from the cluster. */
export interface VerifyApi {
  watchPods(options: WatchOptions): AsyncIterable<PodEvent>
  /** The owner's desired replicas: a number, 'missing' (404), or undefined when unknown. */
  ownerReplicas(
    namespace: string,
    kind: string,
    name: string
  ): Promise<number | 'missing' | undefined>
}

/** The cluster as the cycle sees it. */
export interface ClusterApi extends VerifyApi, DiagnoseApi {
  readonly context: string
  readonly server: string
  /** Pages of pods, each pod reduced by `reduce` as it is decoded (only the results are kept). */
  listPods<T>(scope: ListScope, reduce: (pod: Pod) => T): AsyncIterable<ListEvent<T>>
  deletePod(req: DeleteRequest): Promise<ActOutcome>
  evictPod(req: DeleteRequest): Promise<ActOutcome>
  countNamespaces(): Promise<number>
  requestCount(): number
  /** A short, user-facing description of an error this cluster raised. */
  describeError(error: unknown): string
}

/** Memory across runs. */
export interface StateStore {
  read(): { state: StateFile; warning?: string }
  write(state: StateFile): void
}

/**
 * A second memory of the open incidents (GitHub issues): read when the state file remembers no
 * incident (lost, corrupt, new), so a fresh start announces nothing twice.
 */
export interface IncidentArchive {
  /** The open incidents it records for this cluster (context name). */
  openIncidents(
    cluster: string,
    budget: { signal: AbortSignal; deadline: number }
  ): Promise<Incident[]>
}

/** The time, injected: every deadline the cycle computes is compared with this same clock. */
export interface Clock {
  /** ms since the epoch. */
  now(): number
}

/** What one notification channel did with a run's report (CycleResult.notifications). */
export type NotificationOutcome = CycleResult['notifications'][number]

/**
 * Tells people about a run. notify/ implements it over the configured channels; sends are bounded
 * by the notification budget and never throw: failures are outcomes.
 */
export interface Notifier {
  /** The configured channels' names, in sending order; none means nothing would be sent. */
  readonly channels: readonly string[]
  /** A channel that also remembers open incidents (GitHub issues), for the cycle's recall. */
  readonly archive?: IncidentArchive
  /** The run's notification, to every channel whose minimum severity it reaches. */
  send(result: CycleResult): Promise<NotificationOutcome[]>
  /** notify-test: a sample notification to every channel, whatever its minimum severity. */
  test(): Promise<NotificationOutcome[]>
}
