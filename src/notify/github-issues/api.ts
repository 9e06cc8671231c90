// The GitHub REST endpoints the issue records use, through @actions/github's octokit: open issues
// listed by label (immediately consistent, unlike search; every page, by Link headers), create,
// comment, update/close. The API's URL comes from GITHUB_API_URL (GitHub Enterprise Server sets
// it). Reads and comments are retried like every channel; a create is never retried, so a timeout
// cannot make a duplicate (the next run finds the issue by its marker, or creates it then).

import { getOctokit } from '@actions/github'
import {
  DEFAULT_RETRY_TUNING,
  deliver,
  DeliveryError,
  scrub,
  type Budget,
  type RetryTuning
} from '../delivery.js'
import { clip } from '../message.js'

export interface OpenIssue {
  number: number
  body: string
  updatedAt: string
}

/** What the records need from GitHub; tests use a fake, or the real one against a stand-in. */
export interface IssueApi {
  listOpen(label: string, budget: Budget): Promise<OpenIssue[]>
  create(issue: { title: string; body: string; labels: string[] }, budget: Budget): Promise<number>
  comment(issue: number, body: string, budget: Budget): Promise<void>
  update(issue: number, change: { body?: string; close?: boolean }, budget: Budget): Promise<void>
  /** Requests made so far (attempts included). */
  requests(): number
}

export interface IssueApiOptions {
  token: string
  /** owner/name. */
  repository: string
  /** e.g. https://api.github.com or https://ghe.example/api/v3 (GITHUB_API_URL). */
  apiUrl: string
  tuning?: Partial<RetryTuning>
}

/** A short reason from an octokit error, retryable when GitHub may answer better later. */
function failure(what: string, error: unknown): DeliveryError {
  const e = error as {
    status?: number
    message?: string
    response?: { headers?: Record<string, string | undefined> }
    cause?: { code?: string; message?: string }
  }
  const status = typeof e.status === 'number' && e.status > 0 ? e.status : undefined
  if (status === undefined) {
    const why = e.cause?.code ?? e.cause?.message ?? e.message ?? String(error)
    return new DeliveryError(`GitHub ${what}: ${clip(why, 200)}`, true)
  }
  const retryAfter = Number(e.response?.headers?.['retry-after'])
  // 403 with no rate limit left is a rate limit; other 4xx will not change by waiting.
  const limited =
    status === 429 || (status === 403 && e.response?.headers?.['x-ratelimit-remaining'] === '0')
  return new DeliveryError(
    `GitHub ${what}: HTTP ${status}: ${clip(e.message ?? '', 200)}`,
    status >= 500 || limited,
    status,
    Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : undefined
  )
}

type Call = <T>(
  what: string,
  budget: Budget,
  request: (signal: AbortSignal) => Promise<T>,
  retry?: boolean
) => Promise<T>

/** One REST call within the notification budget: retried (unless `retry` is false), scrubbed. */
function caller(options: IssueApiOptions, count: () => void): Call {
  const tuning = { ...DEFAULT_RETRY_TUNING, ...options.tuning }
  return async (what, budget, request, retry = true) => {
    const { value } = await deliver(
      async () => {
        count()
        const signal = AbortSignal.any([
          budget.signal,
          AbortSignal.timeout(tuning.attemptTimeoutMs)
        ])
        try {
          return await request(signal)
        } catch (error) {
          throw failure(what, error)
        }
      },
      {
        ...budget,
        tuning: retry ? tuning : { ...tuning, attempts: 1 },
        scrub: reason => scrub(reason, options.apiUrl, [options.token]),
        reasonOf: error => String(error)
      }
    )
    return value
  }
}

export function octokitIssueApi(options: IssueApiOptions): IssueApi {
  const [owner = '', repo = ''] = options.repository.split('/')
  const octokit = getOctokit(options.token, { baseUrl: options.apiUrl.replace(/\/+$/, '') })
  let requests = 0
  const call = caller(options, () => requests++)
  // Every call names the repository and carries the attempt's signal.
  const on = (signal: AbortSignal) => ({ owner, repo, request: { signal } })
  return {
    requests: () => requests,
    listOpen: (label, budget) =>
      call('list issues', budget, async signal => {
        const issues = await octokit.paginate(octokit.rest.issues.listForRepo, {
          ...on(signal),
          state: 'open',
          labels: label,
          per_page: 100
        })
        // The issues endpoint lists pull requests too.
        return issues
          .filter(issue => !issue.pull_request)
          .map(issue => ({
            number: issue.number,
            body: issue.body ?? '',
            updatedAt: issue.updated_at
          }))
      }),
    create: (issue, budget) =>
      call(
        'create issue',
        budget,
        async signal => (await octokit.rest.issues.create({ ...on(signal), ...issue })).data.number,
        false
      ),
    comment: (issue, body, budget) =>
      call('comment', budget, async signal => {
        await octokit.rest.issues.createComment({ ...on(signal), issue_number: issue, body })
      }),
    update: (issue, change, budget) =>
      call('update issue', budget, async signal => {
        await octokit.rest.issues.update({
          ...on(signal),
          issue_number: issue,
          ...(change.body !== undefined && { body: change.body }),
          ...(change.close && { state: 'closed', state_reason: 'completed' })
        })
      })
  }
}
