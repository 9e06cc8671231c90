// A local stand-in for the GitHub REST endpoints the issue records use — list a repository's
// issues (state and labels filters, per_page/page pagination with Link headers, pull requests
// included as GitHub does), create, comment, update/close — on 127.0.0.1, recording every request.
// Real sockets: octokit (@actions/github) talks to it exactly as to api.github.com or a GHES
// /api/v3 prefix. `failNext` makes the next matching requests answer an error. Shared by the
// integration tests (types: github-stand-in.d.mts) and the bench's incident day.

import { createServer } from 'node:http'

const json = (res, status, body, headers = {}) => {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers })
  res.end(JSON.stringify(body))
}

/**
 * @param {{ repository?: string, prefix?: string, now?: () => Date }} [options]
 */
export async function githubStandIn(options = {}) {
  const repository = options.repository ?? 'acme/ops'
  const prefix = options.prefix ?? ''
  const now = options.now ?? (() => new Date())
  const issues = []
  const requests = []
  const failures = []
  let base = ''

  const issueJson = i => ({
    number: i.number,
    title: i.title,
    body: i.body,
    state: i.state,
    state_reason: i.stateReason ?? null,
    labels: i.labels.map(name => ({ name })),
    created_at: i.createdAt,
    updated_at: i.updatedAt,
    html_url: `https://github.example/${repository}/issues/${i.number}`,
    ...(i.pullRequest ? { pull_request: { url: 'x' } } : {})
  })

  function listIssues(url, res) {
    const state = url.searchParams.get('state') ?? 'open'
    const labels = (url.searchParams.get('labels') ?? '').split(',').filter(Boolean)
    const perPage = Math.min(100, Number(url.searchParams.get('per_page') ?? 30))
    const page = Number(url.searchParams.get('page') ?? 1)
    // GitHub's default order: newest first.
    const all = issues
      .filter(i => state === 'all' || i.state === state)
      .filter(i => labels.every(l => i.labels.includes(l)))
      .sort((a, b) => b.number - a.number)
    const pages = Math.max(1, Math.ceil(all.length / perPage))
    const link = p => {
      const next = new URL(url)
      next.searchParams.set('page', String(p))
      return next.toString()
    }
    const links = []
    if (page < pages) links.push(`<${link(page + 1)}>; rel="next"`, `<${link(pages)}>; rel="last"`)
    if (page > 1) links.push(`<${link(1)}>; rel="first"`, `<${link(page - 1)}>; rel="prev"`)
    json(res, 200, all.slice((page - 1) * perPage, page * perPage).map(issueJson), links.length > 0 ? { link: links.join(', ') } : {})
  }

  function answer(req, res, url, path, body) {
    const repo = `/repos/${repository}`
    const one = new RegExp(`^${repo}/issues/(\\d+)(/comments)?$`).exec(path)
    const issue = one ? issues.find(i => i.number === Number(one[1])) : undefined
    const stamp = now().toISOString()
    if (req.method === 'GET' && path === `${repo}/issues`) return listIssues(url, res)
    if (req.method === 'POST' && path === `${repo}/issues`) {
      const created = {
        number: issues.length + 1,
        title: body.title,
        body: body.body ?? '',
        labels: body.labels ?? [],
        state: 'open',
        comments: [],
        createdAt: stamp,
        updatedAt: stamp
      }
      issues.push(created)
      return json(res, 201, issueJson(created))
    }
    if (issue && one[2] && req.method === 'POST') {
      issue.comments.push(String(body.body))
      issue.updatedAt = stamp
      return json(res, 201, { id: issue.comments.length, body: body.body })
    }
    if (issue && !one[2] && req.method === 'PATCH') {
      if (body.body !== undefined) issue.body = body.body
      if (body.state) issue.state = body.state
      if (body.state_reason) issue.stateReason = body.state_reason
      issue.updatedAt = stamp
      return json(res, 200, issueJson(issue))
    }
    return json(res, 404, { message: 'Not Found' })
  }

  const server = createServer((req, res) => {
    const chunks = []
    req.on('data', c => chunks.push(c))
    req.on('end', () => {
      const url = new URL(req.url ?? '/', base)
      const path = url.pathname.startsWith(prefix) ? url.pathname.slice(prefix.length) : url.pathname
      const text = Buffer.concat(chunks).toString('utf8')
      const body = text ? JSON.parse(text) : undefined
      const recorded = {
        method: req.method ?? '',
        path,
        query: Object.fromEntries(url.searchParams),
        body,
        authorization: req.headers.authorization,
        at: Date.now()
      }
      requests.push(recorded)
      const failure = failures.find(f => f.left > 0 && f.match.test(`${recorded.method} ${path}`))
      if (failure) {
        failure.left--
        return json(res, failure.status, { message: `stand-in failure ${failure.status}` })
      }
      answer(req, res, url, path, body)
    })
  })
  await new Promise(resolve => server.listen(0, '127.0.0.1', resolve))
  base = `http://127.0.0.1:${server.address().port}`
  return {
    apiUrl: `${base}${prefix}`,
    issues,
    requests,
    failNext: (match, status, count = 1) => failures.push({ match, status, left: count }),
    calls: ({ listings = false } = {}) =>
      requests
        .filter(r => listings || !(r.method === 'GET' && r.path.endsWith('/issues')))
        .map(r => `${r.method} ${r.path}`),
    close: () =>
      new Promise(resolve => {
        server.closeAllConnections()
        server.close(() => resolve())
      })
  }
}
