// Who the run acts as: the apiserver's own answer (SelfSubjectReview, authentication.k8s.io/v1,
// Kubernetes ≥ 1.28), else the kubeconfig's user name, marked as not confirmed. Asked before the
// cycle, so a credential that cannot be obtained or is refused stops the run before it lists or
// deletes anything.

import { HttpMethod } from '@kubernetes/client-node'
import { ApiError, TransportError, type KubeClient } from './client.js'

export interface Identity {
  /** The username the apiserver authenticated (or the kubeconfig user's name when unconfirmed). */
  username: string
  groups: string[]
  /** True when the apiserver said so; false when it would not (403, 404: older cluster). */
  confirmed: boolean
}

const PATH = '/apis/authentication.k8s.io/v1/selfsubjectreviews'

interface SelfSubjectReview {
  status?: { userInfo?: { username?: string; groups?: string[] } }
}

/**
 * Asks the apiserver who we are. Throws what says the credential is unusable (it could not be
 * obtained, or 401); answers "unconfirmed" when the cluster will not say (403/404) or cannot be
 * reached (the cycle then reports that the way it reports any unreachable cluster).
 */
export async function whoAmI(client: KubeClient, kubeconfigUser: string): Promise<Identity> {
  const unconfirmed: Identity = { username: kubeconfigUser, groups: [], confirmed: false }
  try {
    const review = await client.request<SelfSubjectReview>(HttpMethod.POST, PATH, {
      body: { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' },
      uncounted: true
    })
    const info = review.status?.userInfo
    if (!info?.username) return unconfirmed
    return { username: info.username, groups: info.groups ?? [], confirmed: true }
  } catch (error) {
    if (error instanceof ApiError && error.code !== 401) return unconfirmed
    if (error instanceof TransportError) return unconfirmed
    throw error
  }
}

/** "alice (groups: dev, system:authenticated)", or the kubeconfig's name, said to be unconfirmed. */
export function describeIdentity(identity: Identity): string {
  if (!identity.confirmed)
    return `kubeconfig user ${JSON.stringify(identity.username)} (the cluster did not confirm it: SelfSubjectReview not allowed or not served)`
  const groups = identity.groups.filter(g => g !== 'system:authenticated')
  return `${identity.username}${groups.length > 0 ? ` (groups: ${groups.join(', ')})` : ''}`
}
