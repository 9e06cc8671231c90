// The real ClusterApi: the cycle's narrow view of the apiserver.

import type { ClusterApi } from '../cycle.js'
import { KubeClient } from './client.js'
import type { LoadedKubeConfig } from './kubeconfig.js'
import { deletePod, evictPod, listPods, type DeleteRequest, type ListScope } from './pods.js'

export function createCluster(
  loaded: LoadedKubeConfig,
  options: { requestTimeoutMs: number; deadline: number; onRetry?: (message: string) => void }
): ClusterApi & { client: KubeClient } {
  const client = new KubeClient(loaded.kubeConfig, options)
  return {
    client,
    context: loaded.contextName,
    server: client.server,
    listPods: (scope: ListScope) => listPods(client, scope),
    deletePod: (req: DeleteRequest) => deletePod(client, req),
    evictPod: (req: DeleteRequest) => evictPod(client, req),
    requestCount: () => client.totalRequests
  }
}
