// The real ClusterApi: the cycle's narrow view of the apiserver.

import { HttpMethod } from '@kubernetes/client-node'
import type { ClusterApi, DeleteRequest, WatchOptions } from '../cycle/ports.js'
import { ApiError, describeError, KubeClient } from './client.js'
import type { LoadedKubeConfig } from './kubeconfig.js'
import {
  countNamespaces,
  deletePod,
  evictPod,
  listPods,
  listWarningEvents,
  readPreviousLog
} from './pods.js'
import { watchPods } from './watch.js'

/** Where each owner kind lives, and which field says how many pods it wants. */
const OWNER_KINDS: Record<
  string,
  { path: string; replicas: (spec: Record<string, unknown>) => number | undefined }
> = {
  ReplicaSet: {
    path: 'apis/apps/v1/namespaces/{ns}/replicasets',
    replicas: s => s.replicas as number
  },
  StatefulSet: {
    path: 'apis/apps/v1/namespaces/{ns}/statefulsets',
    replicas: s => s.replicas as number
  },
  ReplicationController: {
    path: 'api/v1/namespaces/{ns}/replicationcontrollers',
    replicas: s => s.replicas as number
  },
  Job: { path: 'apis/batch/v1/namespaces/{ns}/jobs', replicas: s => s.parallelism as number },
  DaemonSet: { path: 'apis/apps/v1/namespaces/{ns}/daemonsets', replicas: () => undefined }
}

export function createCluster(
  loaded: LoadedKubeConfig,
  options: { requestTimeoutMs: number; deadline: number; onRetry?: (message: string) => void }
): ClusterApi & { client: KubeClient } {
  const client = new KubeClient(loaded.kubeConfig, options)
  return {
    client,
    context: loaded.contextName,
    server: client.server,
    listPods: (scope, reduce) => listPods(client, scope, reduce),
    deletePod: (req: DeleteRequest) => deletePod(client, req),
    evictPod: (req: DeleteRequest) => evictPod(client, req),
    countNamespaces: () => countNamespaces(client),
    watchPods: (opts: WatchOptions) => watchPods(client, opts),
    previousLog: (req, signal) => readPreviousLog(client, req, signal),
    warningEvents: (namespace, podUid, signal) =>
      listWarningEvents(client, namespace, podUid, signal),
    async ownerReplicas(namespace, kind, name) {
      const known = OWNER_KINDS[kind]
      if (!known) return undefined
      try {
        const owner = await client.request<{ spec?: Record<string, unknown> }>(
          HttpMethod.GET,
          `/${known.path.replace('{ns}', encodeURIComponent(namespace))}/${encodeURIComponent(name)}`,
          { retry: true }
        )
        return known.replicas(owner.spec ?? {})
      } catch (error) {
        if (error instanceof ApiError && error.code === 404) return 'missing'
        return undefined
      }
    },
    requestCount: () => client.totalRequests,
    describeError
  }
}
