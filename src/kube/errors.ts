// The errors of the apiserver conversation: an answer that is an error (ApiError, its Status
// decoded and scrubbed of our credential), or no answer at all (TransportError); which are worth
// another attempt; and what each says to the user.

import type { Status } from '../domain/pod.js'

/** An error the apiserver answered with (non-2xx), its Status decoded. */
export class ApiError extends Error {
  constructor(
    readonly method: string,
    readonly path: string,
    readonly code: number,
    readonly status: Status,
    readonly retryAfterMs?: number
  ) {
    super(`${method} ${path}: ${code} ${status.reason ?? ''} ${status.message ?? ''}`.trim())
    this.name = 'ApiError'
  }
  get reason(): string | undefined {
    return this.status.reason
  }
}

/** A request that never got an HTTP answer (refused, TLS, DNS, timeout). */
export class TransportError extends Error {
  constructor(
    readonly method: string,
    readonly path: string,
    override readonly cause: unknown,
    readonly timedOut: boolean,
    /** The apiserver's URL, so the user can tell which kubeconfig entry is wrong. */
    readonly server?: string
  ) {
    super(`${method} ${path}: ${describeCause(cause, timedOut)}`)
    this.name = 'TransportError'
  }
}

function describeCause(cause: unknown, timedOut: boolean): string {
  if (timedOut) return 'request timed out'
  // undici says only "fetch failed"; the reason (ECONNREFUSED, certificate, …) is in .cause.
  const inner = (cause as { cause?: unknown })?.cause ?? cause
  const e = inner as { code?: string; message?: string }
  const parts = [e?.code, e?.message].filter(Boolean)
  return parts.length > 0 ? parts.join(': ') : String(inner)
}

/**
 * An error body that echoes our request (some gateways do) must not carry our credential into the
 * logs, the job summary or the outputs: those are not all masked by the runner.
 */
export function scrubCredentials(text: string, headers: Record<string, string>): string {
  let scrubbed = text
  for (const [name, value] of Object.entries(headers)) {
    if (name.toLowerCase() !== 'authorization' || !value) continue
    const credential = value.replace(/^\S+\s+/, '')
    for (const secret of [value, credential]) {
      if (secret.length >= 4) scrubbed = scrubbed.split(secret).join('***')
    }
    // Basic auth: the decoded user:password too.
    if (/^basic\s/i.test(value)) {
      const decoded = Buffer.from(credential, 'base64').toString('utf8')
      const password = decoded.slice(decoded.indexOf(':') + 1)
      for (const secret of [decoded, password])
        if (secret.length >= 4) scrubbed = scrubbed.split(secret).join('***')
    }
  }
  return scrubbed
}

export function parseStatus(text: string, code: number): Status {
  try {
    const parsed = JSON.parse(text) as Status
    if (parsed && typeof parsed === 'object') return parsed
  } catch {
    // not JSON (401 has no body; proxies answer HTML)
  }
  return { code, message: text.slice(0, 200) || undefined }
}

/** Network errors, timeouts, 429 and 5xx are worth another attempt; 4xx answers are final. */
export function isRetryable(error: unknown): boolean {
  if (error instanceof TransportError) return true
  if (error instanceof ApiError) return error.code === 429 || error.code >= 500
  return false
}

/** A short, user-facing description of any error from this module. */
export function describeError(error: unknown): string {
  if (error instanceof ApiError) {
    const what = error.status.message ?? error.status.reason ?? ''
    if (error.code === 401)
      return `401 Unauthorized: the apiserver rejected the kubeconfig's credentials; expected a valid, unexpired token or client certificate`
    if (error.code === 403) return `403 Forbidden: ${what}`
    return `${error.code} ${error.status.reason ?? ''}: ${what}`.replace(/\s+:/, ':')
  }
  if (error instanceof TransportError && !error.timedOut) {
    const hint = transportHint(error)
    if (hint) return `${error.message} — ${hint}`
  }
  if (error instanceof Error) return error.message
  return String(error)
}

/** What a connection failure says about the kubeconfig (the user's only lever). */
function transportHint(error: TransportError): string | undefined {
  const inner = (error.cause as { cause?: { code?: string } })?.cause ?? error.cause
  const code = (inner as { code?: string })?.code ?? ''
  const server = error.server ?? 'the apiserver'
  if (/CERT|SELF_SIGNED|UNABLE_TO_VERIFY|UNABLE_TO_GET_ISSUER|ERR_TLS|HOSTNAME/.test(code))
    return `cannot verify the certificate of ${server}; expected the kubeconfig's certificate-authority-data to be the CA that signed it`
  if (/ECONNREFUSED|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH|ENETUNREACH|ECONNRESET/.test(code))
    return `cannot reach ${server}; expected the kubeconfig's server to be reachable from this runner`
  return undefined
}
