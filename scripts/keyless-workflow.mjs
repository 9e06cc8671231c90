#!/usr/bin/env node
// .github/workflows/pod-cleaner-keyless.yml, generated from the reusable workflow pod-cleaner.yml.
// Keyless login (auth: github-oidc) needs a job that may request an OIDC token (permissions:
// id-token: write). A called workflow whose job asks for that is refused at load time unless its
// caller grants it — so pod-cleaner.yml cannot ask without breaking every caller that does not
// log in keyless. The keyless variant is the same workflow, with that one permission and
// auth: github-oidc by default; generating it keeps the two from drifting apart.
//   node scripts/keyless-workflow.mjs           write the file
//   node scripts/keyless-workflow.mjs --check   exit 1 if it differs from what would be written
// __tests__/unit/keyless-workflow.test.ts runs the same check.
import { readFileSync, writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

export const SOURCE = '.github/workflows/pod-cleaner.yml'
export const TARGET = '.github/workflows/pod-cleaner-keyless.yml'

const HEADER = `# GENERATED from pod-cleaner.yml by scripts/keyless-workflow.mjs (npm run docs): do not edit.
#
# Reusable Pod Cleaner workflow, keyless: the job logs in with its own GitHub OIDC token
# (auth: github-oidc) instead of a stored kubeconfig. It asks for permissions: id-token: write,
# which the CALLING job must grant (a called workflow cannot have more than its caller):
#
#   jobs:
#     clean:
#       permissions: { contents: read, id-token: write }
#       uses: pod-cleaner/pod-cleaner-action/.github/workflows/pod-cleaner-keyless.yml@v1
#       with:
#         cluster: prod
#         server: https://203.0.113.10:6443
#         certificate-authority: \${{ vars.PROD_CLUSTER_CA }}
#         audience: prod-cluster
#
# The cluster must trust GitHub's issuer for that audience and bind the repository's user
# (deploy/github-oidc/). Everything else is as in pod-cleaner.yml: the same inputs and secrets.
`

/** The keyless workflow's text, from pod-cleaner.yml's. */
export function renderKeyless(source) {
  const body = source.slice(source.indexOf('\nname: ') + 1)
  const edits = [
    ['name: Pod Cleaner (reusable)\n', 'name: Pod Cleaner (reusable, keyless)\n'],
    [/^( {6}auth: \{ type: string, default: )kubeconfig,/m, '$1github-oidc,'],
    [
      /^( {2}clean:\n(?: {4}.*\n)*? {4}timeout-minutes: .*\n)/m,
      '$1    # The one difference from pod-cleaner.yml: the job may request its OIDC token.\n    permissions: { contents: read, id-token: write }\n'
    ]
  ]
  let text = body
  for (const [from, to] of edits) {
    const next = text.replace(from, to)
    if (next === text) throw new Error(`${SOURCE} no longer has what ${TARGET} changes: ${from}`)
    text = next
  }
  return `${HEADER}${text}`
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const rendered = renderKeyless(readFileSync(SOURCE, 'utf8'))
  if (process.argv.includes('--check')) {
    let current = ''
    try {
      current = readFileSync(TARGET, 'utf8')
    } catch {
      // missing: differs
    }
    if (current !== rendered) {
      console.error(`${TARGET} is stale: run npm run docs`)
      process.exit(1)
    }
  } else {
    writeFileSync(TARGET, rendered)
    console.log(`${TARGET}: generated from ${SOURCE}`)
  }
}
