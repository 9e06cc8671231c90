// Keyless: the workflow's own OIDC token (issuer https://token.actions.githubusercontent.com) as
// the bearer token, for clusters whose apiserver trusts that issuer (structured authentication
// configuration, deploy/github-oidc/). No stored secret: the job asks GitHub for a token for the
// cluster's audience, and again before it expires (they live minutes). How the token is obtained
// is injected: only src/action talks to @actions/core.

import { KubeConfig } from '@kubernetes/client-node'
import {
  CredentialError,
  refreshingCredential,
  type Credential,
  type CredentialSource
} from './credentials.js'
import type { Secrets } from './credentials.js'
import type { LoadedKubeConfig } from './kubeconfig.js'

/** Asks GitHub for the job's ID token for `audience` (core.getIDToken in the Action). */
export type IdTokenProvider = (audience: string) => Promise<string>

export const GITHUB_ISSUER = 'https://token.actions.githubusercontent.com'

/** The claims worth naming in messages (none of them is a secret; the signature is). */
export interface TokenClaims {
  iss?: string
  sub?: string
  aud?: string | string[]
  exp?: number
  repository?: string
  ref?: string
  environment?: string
}

/** The JWT's payload, unverified (the apiserver verifies; we only read exp and names). */
export function readClaims(jwt: string): TokenClaims | undefined {
  const payload = jwt.split('.')[1]
  if (!payload) return undefined
  try {
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as unknown
    return claims && typeof claims === 'object' ? (claims as TokenClaims) : undefined
  } catch {
    return undefined
  }
}

export interface GithubOidcOptions {
  audience: string
  provider: IdTokenProvider
  secrets: Secrets
  now?: () => number
}

/** A CredentialSource handing out the job's ID token, fetched again before it expires. */
export function githubOidcSource(options: GithubOidcOptions): CredentialSource & {
  /** The claims of the last token, for a 401's message. */
  claims(): TokenClaims | undefined
} {
  const { audience, provider, secrets } = options
  const now = options.now ?? Date.now
  let claims: TokenClaims | undefined

  const obtain = async (): Promise<Credential> => {
    let token: string
    try {
      token = await provider(audience)
    } catch (error) {
      throw new CredentialError(
        `auth: github-oidc could not get the job's OIDC token: ${(error as Error)?.message ?? String(error)}`
      )
    }
    // Masked before anything else can print it (core.getIDToken masks it too).
    secrets.add(token)
    claims = readClaims(token)
    if (!claims) {
      throw new CredentialError(
        "auth: github-oidc got a token that is not a JWT; expected the job's OIDC token (a JWT)."
      )
    }
    const credential: Credential = {
      token,
      expiresAt: typeof claims.exp === 'number' ? claims.exp * 1000 : undefined
    }
    return credential
  }

  return {
    description: `GitHub OIDC token (audience ${JSON.stringify(audience)})`,
    ...refreshingCredential(obtain, now),
    claims: () => claims
  }
}

/** What the apiserver said no to, and where to look: for a 401 with a GitHub OIDC token. */
export function describeRefusedToken(audience: string, claims: TokenClaims | undefined): string {
  const who = [
    claims?.repository && `repository ${claims.repository}`,
    claims?.ref && `ref ${claims.ref}`,
    claims?.environment && `environment ${claims.environment}`
  ]
    .filter(Boolean)
    .join(', ')
  return `401 Unauthorized: the apiserver rejected the GitHub OIDC token (audience ${JSON.stringify(audience)}${who ? `; ${who}` : ''}); expected the cluster's authentication configuration to trust the issuer ${claims?.iss ?? GITHUB_ISSUER} for this audience, with claim rules that allow this repository (see deploy/github-oidc/)`
}

/** A kubeconfig for `server` with no user credentials: the ID token is the credential. */
export function keylessKubeConfig(server: string, caPem: string | undefined): LoadedKubeConfig {
  const kc = new KubeConfig()
  kc.loadFromOptions({
    clusters: [
      {
        name: 'github-oidc',
        server,
        caData: caPem ? Buffer.from(caPem).toString('base64') : undefined,
        skipTLSVerify: false
      }
    ],
    users: [{ name: 'github-oidc' }],
    contexts: [{ name: 'github-oidc', cluster: 'github-oidc', user: 'github-oidc' }],
    currentContext: 'github-oidc'
  })
  return { kubeConfig: kc, source: 'auth: github-oidc', contextName: 'github-oidc', warnings: [] }
}
