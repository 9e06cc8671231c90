// The slice of the Kubernetes Pod JSON (as the apiserver sends it) that Pod Cleaner reads.
// Raw JSON, not client-node's typed models: listing decodes with plain JSON.parse (3× faster),
// so timestamps are RFC 3339 strings. Unknown fields are simply ignored.

export interface OwnerReference {
  apiVersion?: string
  kind: string
  name: string
  uid: string
  controller?: boolean
}

export interface ObjectMeta {
  name?: string
  namespace?: string
  uid?: string
  resourceVersion?: string
  creationTimestamp?: string
  deletionTimestamp?: string
  labels?: Record<string, string>
  annotations?: Record<string, string>
  ownerReferences?: OwnerReference[]
}

export interface ContainerStateWaiting {
  reason?: string
  message?: string
}

export interface ContainerStateTerminated {
  exitCode: number
  signal?: number
  reason?: string
  message?: string
  startedAt?: string
  finishedAt?: string
}

export interface ContainerState {
  waiting?: ContainerStateWaiting
  running?: { startedAt?: string }
  terminated?: ContainerStateTerminated
}

export interface ContainerStatus {
  name: string
  ready?: boolean
  started?: boolean
  restartCount?: number
  image?: string
  state?: ContainerState
  lastState?: ContainerState
}

export interface PodCondition {
  type: string
  status: string
  reason?: string
  message?: string
}

export interface ContainerSpec {
  name: string
  image?: string
  restartPolicy?: string
  resources?: { limits?: Record<string, string>; requests?: Record<string, string> }
}

export interface Pod {
  apiVersion?: string
  kind?: string
  metadata: ObjectMeta
  spec?: {
    nodeName?: string
    restartPolicy?: string
    containers?: ContainerSpec[]
    initContainers?: ContainerSpec[]
  }
  status?: {
    phase?: string
    reason?: string
    conditions?: PodCondition[]
    containerStatuses?: ContainerStatus[]
    initContainerStatuses?: ContainerStatus[]
  }
}

export interface ListMeta {
  resourceVersion?: string
  continue?: string
  remainingItemCount?: number
}

export interface PodList {
  kind?: string
  metadata?: ListMeta
  items: Pod[]
}

/** The Status object the apiserver returns with every error. */
export interface Status {
  kind?: 'Status'
  status?: string
  message?: string
  reason?: string
  code?: number
  details?: { name?: string; kind?: string; causes?: Array<{ reason?: string; message?: string }> }
}

/** The controller that owns a pod (the ownerReference with controller: true). */
export function controllerOf(pod: Pod): OwnerReference | undefined {
  return pod.metadata.ownerReferences?.find(ref => ref.controller === true)
}

/** A pod's Warning event, reduced to what a diagnosis shows. */
export interface PodEventSummary {
  reason: string
  message: string
  count: number
  lastSeen?: string
}
