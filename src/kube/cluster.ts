// The real ClusterApi: the cycle's narrow view of the apiserver.

import { HttpMethod } from '@kubernetes/client-node'
import type { ClusterApi, DeleteRequest, WatchOptions } from '../cycle/ports.js'
import { ApiError, describeError, KubeClient } from './client.js'
import { Secrets, type CredentialSource } from './credentials.js'
import { execCredentialSource } from './exec-plugin.js'
import { describeRefusedToken, githubOidcSource, type IdTokenProvider } from './github-oidc.js'
import { whoAmI, type Identity } from './identity.js'
import { credentialKind, kubeconfigSecrets, type LoadedKubeConfig } from './kubeconfig.js'
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

export interface ClusterOptions {
  requestTimeoutMs: number
  deadline: number
  onRetry?: (message: string) => void
  /** Hides a credential from the log (the Action wires core.setSecret); called once per value. */
  mask?: (secret: string) => void
  /** Keyless (auth: github-oidc): the job's ID token for `audience` is the bearer token. */
  githubOidc?: { audience: string; provider: IdTokenProvider }
}

/** Exec plugins may take a while (SSO, STS), never past the run's deadline, at most a minute. */
const PLUGIN_TIMEOUT_MS = 60_000

/** The stand-in for client-node's exec runner, when the kubeconfig's user runs a plugin. */
function credentialSource(
  loaded: LoadedKubeConfig,
  secrets: Secrets,
  deadline: number
): CredentialSource | undefined {
  const kc = loaded.kubeConfig
  const user = kc.getCurrentUser()
  if (!user?.exec) return undefined
  const cluster = kc.getCurrentCluster() ?? undefined
  return execCredentialSource({
    user: user.name,
    exec: user.exec,
    cluster: cluster && {
      server: cluster.server,
      caData: cluster.caData,
      skipTLSVerify: cluster.skipTLSVerify,
      tlsServerName: cluster.tlsServerName
    },
    baseDir: loaded.userDirs?.[user.name],
    secrets,
    timeoutMs: () => Math.min(PLUGIN_TIMEOUT_MS, deadline - Date.now())
  })
}

/** The real cluster: the cycle's port, and what the wiring asks before the cycle. */
export interface Cluster extends ClusterApi {
  client: KubeClient
  /** Where the credential comes from, in words: `exec plugin "aws" from KUBECONFIG (…)`. */
  credentials: string
  /** Who the apiserver says we are; throws when the credential is unusable (see identity.ts). */
  whoAmI(): Promise<Identity>
}

/** 401 says more when we know where the refused token came from. */
function describeWith(source: CredentialSource | undefined, refused?: () => string) {
  return (error: unknown): string => {
    if (source && error instanceof ApiError && error.code === 401)
      return refused
        ? refused()
        : `401 Unauthorized: the apiserver rejected the token from ${source.description}; expected a token this cluster accepts (check the plugin's account and the cluster's access entries or role bindings)`
    return describeError(error)
  }
}

export function createCluster(loaded: LoadedKubeConfig, options: ClusterOptions): Cluster {
  const secrets = new Secrets(options.mask)
  // The kubeconfig's own secrets are masked by the caller; here they are only scrubbed.
  secrets.known(kubeconfigSecrets(loaded.kubeConfig.exportConfig()))
  const oidc = options.githubOidc && githubOidcSource({ ...options.githubOidc, secrets })
  const credentials = oidc ?? credentialSource(loaded, secrets, options.deadline)
  const client = new KubeClient(loaded.kubeConfig, { ...options, credentials, secrets })
  const user = loaded.kubeConfig.getCurrentUser()
  const refused = oidc && (() => describeRefusedToken(options.githubOidc!.audience, oidc.claims()))
  return {
    client,
    credentials: oidc
      ? oidc.description
      : `${credentials?.description ?? credentialKind(loaded.kubeConfig)} from ${loaded.source}`,
    whoAmI: () => whoAmI(client, user?.name ?? '(none)'),
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
    describeError: describeWith(credentials, refused)
  }
}
