// Inputs: GitHub issues as incident records (docs/incidents.md) — on/off, the token, the labels.

import { parseList } from '../../lib/parse.js'
import { flag, input, type FieldType } from '../field.js'

/** The workflow's token by default; an unexpanded expression (outside Actions) is no token. */
const token: FieldType<string | undefined> = {
  parse: f => (f.value === '' || f.value.startsWith('${{') ? undefined : f.value)
}

/** GitHub label names: 1 to 50 characters each. */
const labels: FieldType<string[]> = {
  parse: f => {
    const names = parseList(f.value)
    for (const name of names.filter(n => n.length > 50))
      f.invalid(name, 'label names of at most 50 characters, separated by commas')
    if (names.length === 0) f.invalid(f.raw, 'one or more label names, separated by commas')
    return names.length > 0 ? names : parseList(f.default)
  }
}

export const GITHUB_ISSUE_INPUTS = {
  GithubIssues: input(
    {
      name: 'github-issues',
      default: 'false',
      description:
        'Keep an issue per incident a person must act on, in this repository: opened with what a person needs, a comment per change, closed when it resolves; never a duplicate (needs permissions issues: write).',
      help: 'keep GitHub issues as incident records'
    },
    flag
  ),
  GithubToken: input(
    {
      name: 'github-token',
      default: '${{ github.token }}',
      secret: true,
      description:
        'Token for github-issues (the workflow token by default; it needs issues: write).',
      help: 'token for github-issues (GITHUB_TOKEN with issues: write)'
    },
    token
  ),
  GithubLabels: input(
    {
      name: 'github-labels',
      default: 'pod-cleaner',
      description:
        'Labels of the incident issues, comma separated; open issues are found by the first one (keep it on them).',
      help: 'labels of incident issues (the first one finds them)'
    },
    labels
  )
}
