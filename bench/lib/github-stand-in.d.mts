// Types of github-stand-in.mjs (the local stand-in for GitHub's issue endpoints).

export interface StandInIssue {
  number: number
  title: string
  body: string
  labels: string[]
  state: 'open' | 'closed'
  stateReason?: string
  comments: string[]
  createdAt: string
  updatedAt: string
  pullRequest?: boolean
}

export interface StandInRequest {
  method: string
  /** The path without the API prefix and query, e.g. /repos/acme/ops/issues/3/comments. */
  path: string
  query: Record<string, string>
  body: unknown
  authorization?: string
  /** ms since epoch when it was read. */
  at: number
}

export interface GitHubStandIn {
  /** What GITHUB_API_URL is set to (with the prefix, if any). */
  apiUrl: string
  issues: StandInIssue[]
  requests: StandInRequest[]
  /** The next `count` requests matching "METHOD /path" fail with `status`. */
  failNext(match: RegExp, status: number, count?: number): void
  /** "POST /repos/acme/ops/issues" … for every request but the listings (or all). */
  calls(options?: { listings?: boolean }): string[]
  close(): Promise<void>
}

export function githubStandIn(options?: {
  repository?: string
  prefix?: string
  now?: () => Date
}): Promise<GitHubStandIn>
