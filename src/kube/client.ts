// The one door to the apiserver. client-node loads the kubeconfig and authenticates (tokens,
// client certs, auth providers); a CredentialSource of ours stands in for exec plugins and the
// workflow's OIDC token. Requests go through undici with ONE long-lived dispatcher (client-node
// makes a new TLS agent per request), a per-request timeout, and retries for safe requests. Every
// credential obtained is masked (Secrets) before any request leaves.

import { HttpMethod, KubeConfig, RequestContext, type User } from '@kubernetes/client-node'
import { fetch, type Dispatcher } from 'undici'
import { parseRetryAfter, withRetry } from '../lib/retry.js'
import { Secrets, type Credential, type CredentialSource } from './credentials.js'
import { ApiError, isRetryable, parseStatus, scrubCredentials, TransportError } from './errors.js'

export { ApiError, describeError, isRetryable, TransportError } from './errors.js'

/** How long authentication headers are reused before client-node is asked again. */
export const AUTH_TTL_MS = 30_000

export interface KubeClientOptions {
  requestTimeoutMs: number
  /** Absolute time (ms epoch) past which no retry starts: the run's timeout. */
  deadline?: number
  /** Attempts for safe requests (GET, and deletes guarded by a uid precondition). */
  attempts?: number
  onRetry?: (message: string) => void
  /**
   * Where the bearer token (or client certificate) comes from when it is not in the kubeconfig:
   * an exec plugin run by us, the workflow's OIDC token. Asked before every request (it caches).
   */
  credentials?: CredentialSource
  /** Every credential value of the run: new ones are masked as they are obtained. */
  secrets?: Secrets
}

export interface RequestOptions {
  query?: Record<string, string | number | boolean | undefined>
  body?: unknown
  /** Retry on 429/5xx/network errors. Only for idempotent or precondition-guarded requests. */
  retry?: boolean
  signal?: AbortSignal
  /** 'text' for endpoints that answer text/plain (pods/log). */
  responseType?: 'json' | 'text'
  /** Decodes a 2xx body as it streams (large lists); errors are still read whole. */
  consume?: (body: AsyncIterable<Uint8Array>) => Promise<unknown>
  /** Told about each failed attempt that will be retried (a delete learns its first try may have landed). */
  onRetry?: (error: unknown) => void
  /** Not counted in `requests` (the login check is not part of the cycle's load). */
  uncounted?: boolean
}

/** Per-kind request counts, for the report and the benchmarks. */
export type RequestCounts = Record<string, number>

export class KubeClient {
  readonly server: string
  readonly requests: RequestCounts = {}
  readonly secrets: Secrets
  private dispatcher: Dispatcher | undefined
  private dispatcherReady = false
  private auth: { headers: Record<string, string>; at: number } | undefined
  /** The kubeconfig client-node sees: without the exec entry when a CredentialSource stands in. */
  private transport: KubeConfig
  /** The client certificate the transport was built with (a plugin may rotate it). */
  private clientCert: string | undefined

  constructor(
    readonly kubeConfig: KubeConfig,
    private readonly options: KubeClientOptions
  ) {
    const cluster = kubeConfig.getCurrentCluster()
    if (!cluster) throw new Error('the kubeconfig has no current cluster')
    this.server = cluster.server.replace(/\/+$/, '')
    this.secrets = options.secrets ?? new Secrets()
    this.transport = options.credentials ? withoutExec(kubeConfig) : kubeConfig
  }

  /** Builds the URL of an API path with its query string. */
  url(path: string, query?: RequestOptions['query']): string {
    const params = new URLSearchParams()
    for (const [key, value] of Object.entries(query ?? {})) {
      if (value !== undefined && value !== '') params.set(key, String(value))
    }
    const qs = params.toString()
    return `${this.server}${path}${qs ? `?${qs}` : ''}`
  }

  /**
   * Authentication headers and the shared dispatcher. client-node's part (TLS, static
   * credentials) is cached for AUTH_TTL_MS (30 s), not fetched per request; a CredentialSource is
   * asked every time (it keeps its credential until shortly before it expires).
   */
  async authenticate(
    url: string,
    method: HttpMethod
  ): Promise<{ headers: Record<string, string>; dispatcher?: Dispatcher }> {
    const credential = await this.options.credentials?.get()
    if (credential) this.useClientCertificate(credential)
    // client-node builds a new TLS agent on every call; ask it at most every AUTH_TTL_MS (its
    // auth providers cache their tokens longer than that anyway) and keep the first dispatcher.
    if (!this.auth || Date.now() - this.auth.at > AUTH_TTL_MS) {
      const ctx = new RequestContext(url, method)
      await this.transport.applySecurityAuthentication(ctx)
      if (!this.dispatcherReady) {
        this.dispatcher = ctx.getDispatcher() as Dispatcher | undefined
        this.dispatcherReady = true
      }
      const headers = ctx.getHeaders()
      // Whatever client-node found (a static token, an auth provider's refreshed one): masked.
      this.secrets.add(headers.Authorization?.replace(/^\S+\s+/, ''))
      this.auth = { headers, at: Date.now() }
    }
    const headers = { ...this.auth.headers }
    if (credential?.token) headers.Authorization = `Bearer ${credential.token}`
    return { headers, dispatcher: this.dispatcher }
  }

  /** A plugin that answers with a client certificate: the transport presents it (new TLS agent). */
  private useClientCertificate(credential: Credential): void {
    const { clientCertificateData: cert, clientKeyData: key } = credential
    if (!cert || !key || cert === this.clientCert) return
    this.clientCert = cert
    this.transport = withoutExec(this.kubeConfig, {
      certData: Buffer.from(cert).toString('base64'),
      keyData: Buffer.from(key).toString('base64')
    })
    this.auth = undefined
    this.dispatcherReady = false
  }

  /** After a 401: forget the credential; true when asking again may help. */
  private forgetCredential(): boolean {
    if (!this.options.credentials) return false
    this.options.credentials.invalidate()
    return true
  }

  private count(method: string, path: string, query?: RequestOptions['query']): void {
    const kind = `${method} ${path.replace(/\/namespaces\/[^/]+/, '/namespaces/{ns}').replace(/\/pods\/[^/]+/, '/pods/{name}')}${query?.watch ? ' (watch)' : ''}`
    this.requests[kind] = (this.requests[kind] ?? 0) + 1
  }

  get totalRequests(): number {
    return Object.values(this.requests).reduce((a, b) => a + b, 0)
  }

  /** One JSON request; throws ApiError / TransportError. Retried when `options.retry`. */
  async request<T>(method: HttpMethod, path: string, options: RequestOptions = {}): Promise<T> {
    const once = async () => {
      try {
        return await this.attempt<T>(method, path, options)
      } catch (error) {
        // A token revoked or expired early: ask its source once more, as kubectl does.
        if (error instanceof ApiError && error.code === 401 && this.forgetCredential())
          return this.attempt<T>(method, path, options)
        throw error
      }
    }
    if (!options.retry) return once()
    return withRetry(once, {
      attempts: this.options.attempts ?? 4,
      baseDelayMs: 500,
      maxDelayMs: 8000,
      deadline: this.options.deadline,
      signal: options.signal,
      retryable: isRetryable,
      retryAfterMs: error => (error instanceof ApiError ? error.retryAfterMs : undefined),
      onRetry: (error, attempt, delay) => {
        options.onRetry?.(error)
        this.options.onRetry?.(
          `${(error as Error).message} — retry ${attempt} in ${Math.round(delay)} ms`
        )
      }
    })
  }

  /** The signal of one attempt: its own timeout, never past the run's deadline. */
  private attemptTimeout(): AbortSignal {
    // A request started just before the deadline must not overrun it.
    const left = this.options.deadline !== undefined ? this.options.deadline - Date.now() : Infinity
    return AbortSignal.timeout(Math.max(1, Math.min(this.options.requestTimeoutMs, left)))
  }

  /** One attempt of a request. */
  private async attempt<T>(method: HttpMethod, path: string, options: RequestOptions): Promise<T> {
    const url = this.url(path, options.query)
    const { headers, dispatcher } = await this.authenticate(url, method)
    if (!options.uncounted) this.count(method, path, options.query)
    const timeout = this.attemptTimeout()
    const signal = options.signal ? AbortSignal.any([timeout, options.signal]) : timeout
    try {
      const response = await fetch(url, {
        method,
        headers: {
          ...headers,
          Accept: options.responseType === 'text' ? 'text/plain, */*' : 'application/json',
          'User-Agent': 'pod-cleaner-action',
          ...(options.body !== undefined ? { 'Content-Type': 'application/json' } : {})
        },
        body: options.body !== undefined ? JSON.stringify(options.body) : undefined,
        dispatcher,
        signal
      })
      const ok = response.status >= 200 && response.status < 300
      if (ok && options.consume && response.body) {
        return (await options.consume(response.body as AsyncIterable<Uint8Array>)) as T
      }
      const text = await response.text()
      if (ok) return (options.responseType === 'text' ? text : text ? JSON.parse(text) : {}) as T
      const status = parseStatus(
        this.secrets.scrub(scrubCredentials(text, headers)),
        response.status
      )
      const retryAfter = parseRetryAfter(response.headers.get('retry-after'))
      throw new ApiError(method, path, response.status, status, retryAfter)
    } catch (error) {
      if (error instanceof ApiError) throw error
      if (options.signal?.aborted) throw error
      throw new TransportError(method, path, error, timeout.aborted, this.server)
    }
  }

  /** Opens a streaming GET (watch); the caller reads and closes the body. */
  async stream(
    path: string,
    query: RequestOptions['query'],
    signal: AbortSignal
  ): Promise<Response> {
    const url = this.url(path, query)
    const { headers, dispatcher } = await this.authenticate(url, HttpMethod.GET)
    this.count('GET', path, query)
    const response = await fetch(url, {
      headers: { ...headers, Accept: 'application/json' },
      dispatcher,
      signal
    })
    if (response.status !== 200) {
      if (response.status === 401) this.forgetCredential()
      throw new ApiError(
        'GET',
        path,
        response.status,
        parseStatus(this.secrets.scrub(await response.text()), response.status)
      )
    }
    return response as unknown as Response
  }
}

/** A copy of `kc` whose current user runs no exec plugin (ours does), with `extra` fields. */
function withoutExec(kc: KubeConfig, extra: Partial<User> = {}): KubeConfig {
  const current = kc.getCurrentUser()
  const copy = new KubeConfig()
  copy.loadFromOptions({
    clusters: kc.getClusters(),
    contexts: kc.getContexts(),
    users: kc.getUsers().map(u => (u === current ? { ...u, exec: undefined, ...extra } : u)),
    currentContext: kc.getCurrentContext()
  })
  return copy
}
