// GitHub issues as a channel of records (receives every incident change, whatever min severity):
// each change does what records.ts says to the incident's issue, found by listing the open issues
// by label and reading their markers — never a duplicate, even when the state file was lost.
// Also the cycle's IncidentArchive: the open issues rebuild the incidents a lost state forgot.

import type { IncidentArchive } from '../../cycle/ports.js'
import type { IncidentChange } from '../../domain/incidents.js'
import { DeliveryError, type Budget } from '../delivery.js'
import type { Channel, Delivered, Notification } from '../types.js'
import { octokitIssueApi, type IssueApi } from './api.js'
import {
  commentBody,
  incidentOfIssue,
  issueAction,
  issueBody,
  issueTitle,
  mayTouchIssue
} from './records.js'

export interface GitHubIssuesConfig {
  token: string
  /** owner/name (GITHUB_REPOSITORY; the notifier fills it from the run's environment). */
  repository?: string
  /** GITHUB_API_URL; default https://api.github.com. */
  apiUrl?: string
  /** Put on every issue; the first one is how the open issues are found. */
  labels: string[]
}

export type GitHubIssuesChannel = Channel & IncidentArchive

/** Open issues by fingerprint (the oldest when a person made a copy). */
async function openByFingerprint(
  api: IssueApi,
  label: string,
  budget: Budget
): Promise<Map<string, number>> {
  const found = new Map<string, number>()
  const issues = (await api.listOpen(label, budget)).sort((a, b) => a.number - b.number)
  for (const issue of issues) {
    const incident = incidentOfIssue(issue.body)
    if (incident && !found.has(incident.fingerprint)) found.set(incident.fingerprint, issue.number)
  }
  return found
}

/** Does what one change calls for; says what it did, or nothing. */
async function record(
  api: IssueApi,
  config: GitHubIssuesConfig,
  n: Notification,
  change: IncidentChange,
  open: Map<string, number>,
  budget: Budget
): Promise<string | undefined> {
  const fp = change.incident.fingerprint
  const todo = issueAction(change, open.get(fp))
  switch (todo.action) {
    case 'none':
      return undefined
    case 'create': {
      const issue = await api.create(
        {
          title: issueTitle(change.incident),
          body: issueBody(n.result, change, n.runUrl),
          labels: config.labels
        },
        budget
      )
      open.set(fp, issue)
      return `opened #${issue}`
    }
    case 'comment':
      await api.comment(todo.issue, commentBody(n.result, change, n.runUrl), budget)
      if (todo.updateBody)
        await api.update(todo.issue, { body: issueBody(n.result, change, n.runUrl) }, budget)
      return `commented #${todo.issue}`
    case 'close':
      await api.comment(todo.issue, commentBody(n.result, change, n.runUrl), budget)
      await api.update(todo.issue, { close: true }, budget)
      open.delete(fp)
      return `closed #${todo.issue}`
  }
}

/** The API of the run's repository, or why there is none. */
function issueApi(config: GitHubIssuesConfig): IssueApi | DeliveryError {
  if (!config.repository)
    return new DeliveryError(
      'github-issues: the repository is unknown (GITHUB_REPOSITORY is not set: run it in GitHub Actions)',
      false
    )
  return octokitIssueApi({
    token: config.token,
    repository: config.repository,
    apiUrl: config.apiUrl || 'https://api.github.com'
  })
}

export function githubIssuesChannel(
  config: GitHubIssuesConfig,
  given?: IssueApi
): GitHubIssuesChannel {
  const label = config.labels[0] ?? 'pod-cleaner'
  const made = given ?? issueApi(config)
  const use = (): IssueApi => {
    if (made instanceof DeliveryError) throw made
    return made
  }
  return {
    name: 'github-issues',
    minSeverity: 'info',
    receives: 'records',
    async send(n, budget): Promise<Delivered> {
      const cluster = n.result.cluster.context
      const changes = (n.changes ?? n.result.incidents.changes).filter(
        c => c.incident.cluster === cluster && mayTouchIssue(c)
      )
      if (changes.length === 0) return { attempts: 0, detail: 'nothing to record' }
      const api = use()
      const before = api.requests()
      const open = await openByFingerprint(api, label, budget)
      const done: string[] = []
      const failed: string[] = []
      // One at a time, in the digest's order: what needs a person first.
      for (const change of changes) {
        try {
          const did = await record(api, config, n, change, open, budget)
          if (did) done.push(did)
        } catch (error) {
          failed.push(error instanceof DeliveryError ? error.reason : String(error))
        }
      }
      const attempts = api.requests() - before
      if (failed.length > 0)
        throw new DeliveryError(
          `${failed.length} of ${changes.length} records failed: ${failed[0]}${done.length ? ` (done: ${done.join(', ')})` : ''}`,
          false,
          undefined,
          undefined,
          attempts
        )
      return { attempts, detail: done.join(', ') || 'nothing to record' }
    },
    async openIncidents(cluster, budget) {
      const issues = await use().listOpen(label, budget)
      return issues
        .map(issue => {
          const incident = incidentOfIssue(issue.body)
          // Its last notice is at least as recent as the issue's last update.
          return (
            incident && { ...incident, status: 'open' as const, lastNotifiedAt: issue.updatedAt }
          )
        })
        .filter(incident => incident !== undefined && incident.cluster === cluster)
        .map(incident => incident as NonNullable<typeof incident>)
    }
  }
}
