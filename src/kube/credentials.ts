// Credentials that come and go during a run: an exec plugin's token, the workflow's OIDC token.
// A source hands out a credential and says when it expires; the client asks again before then, and
// every value it obtains is masked and scrubbed from what we print (the Secrets registry).

/** What a source hands out. */
export interface Credential {
  token?: string
  /** PEM, for plugins that answer with a client certificate instead of a token. */
  clientCertificateData?: string
  clientKeyData?: string
  /** Ms epoch; undefined = valid until the server says otherwise (401). */
  expiresAt?: number
}

export interface CredentialSource {
  /** For the log and the summary, e.g. `exec plugin "aws" (user "arn:…")`. */
  readonly description: string
  get(): Promise<Credential>
  /** Forget what was handed out (the server answered 401); the next get() asks afresh. */
  invalidate(): void
}

/** A credential could not be obtained: the run stops before it lists or deletes anything. */
export class CredentialError extends Error {
  override name = 'CredentialError'
}

/**
 * When a credential handed out at `obtainedAt` should be asked for again: a fifth of its lifetime
 * before it expires (at most 60 s before), so no request leaves with a token about to expire.
 */
export function refreshAt(credential: Credential, obtainedAt: number): number {
  if (credential.expiresAt === undefined) return Infinity
  const lifetime = Math.max(0, credential.expiresAt - obtainedAt)
  return credential.expiresAt - Math.min(60_000, lifetime / 5)
}

/**
 * Every credential value this run holds. `add` masks a value the first time it is seen (the
 * runner then hides it in the log); `scrub` removes them all from a text we are about to print
 * ourselves (summary, outputs and errors are not all masked by the runner).
 */
/**
 * A credential kept until shortly before it expires (refreshAt), then obtained again; concurrent
 * requests share one `obtain`, and `invalidate` (after a 401) forgets it.
 */
export function refreshingCredential(
  obtain: () => Promise<Credential>,
  now: () => number
): Pick<CredentialSource, 'get' | 'invalidate'> {
  let cached: { credential: Credential; refreshAt: number } | undefined
  let pending: Promise<Credential> | undefined
  const fetchNew = async (): Promise<Credential> => {
    const started = now()
    const credential = await obtain()
    cached = { credential, refreshAt: refreshAt(credential, started) }
    return credential
  }
  return {
    get() {
      if (cached && now() < cached.refreshAt) return Promise.resolve(cached.credential)
      pending ??= fetchNew().finally(() => (pending = undefined))
      return pending
    },
    invalidate() {
      cached = undefined
    }
  }
}

export class Secrets {
  private readonly values = new Set<string>()

  constructor(private readonly mask: (secret: string) => void = () => undefined) {}

  /** Values already masked elsewhere (the kubeconfig's): scrubbed, not masked again. */
  known(values: Iterable<string>): void {
    for (const value of values) if (value.length >= 4) this.values.add(value)
  }

  add(value: string | undefined): void {
    if (!value || value.length < 4 || this.values.has(value)) return
    this.values.add(value)
    this.mask(value)
    // A PEM key is printed line by line by some tools: mask its body lines too.
    if (value.includes('-----BEGIN')) {
      for (const line of value.split('\n')) {
        if (line.length > 20 && !line.startsWith('-----')) this.add(line.trim())
      }
    }
  }

  scrub(text: string): string {
    let scrubbed = text
    // Longest first, so a token that contains another is removed whole.
    for (const value of [...this.values].sort((a, b) => b.length - a.length)) {
      scrubbed = scrubbed.split(value).join('***')
    }
    return scrubbed
  }
}
