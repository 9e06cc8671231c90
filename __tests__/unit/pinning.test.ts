// Supply chain of the workflows: every third-party action pinned to a full commit SHA with its
// version in a comment (the reusable workflow too), the same action at the same commit
// everywhere; least privilege (persist-credentials: false, read-only by default, no event
// expressions inside scripts); Dependabot and CodeQL configured; the release workflow without
// caches; schedules off the top of the hour, and this repository's own cleanup off by default.
import { describe, expect, it } from '@jest/globals'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { parse } from 'yaml'

interface Step {
  uses?: string
  run?: string
  with?: Record<string, unknown>
}
interface Job {
  if?: string
  uses?: string
  permissions?: Record<string, string> | string
  steps?: Step[]
}
interface Workflow {
  on: Record<string, unknown>
  permissions?: Record<string, string> | string
  jobs: Record<string, Job>
}

const DIR = '.github/workflows'
const files = readdirSync(DIR)
  .filter(f => /\.ya?ml$/.test(f))
  .sort()
  .map(f => join(DIR, f))
const text = new Map(files.map(f => [f, readFileSync(f, 'utf8')]))
const workflows = new Map(files.map(f => [f, parse(text.get(f) as string) as Workflow]))
const workflow = (name: string): Workflow => workflows.get(join(DIR, name)) as Workflow
const steps = (w: Workflow): Step[] => Object.values(w.jobs).flatMap(job => job.steps ?? [])

/** Every `uses:` line that names another repository's action or workflow. */
function thirdPartyUses(): Array<{ where: string; action: string; ref: string; comment: string }> {
  const found = []
  for (const file of files)
    for (const [i, line] of (text.get(file) as string).split('\n').entries()) {
      const m = /^\s*(?:-\s+)?uses:\s*([^\s#]+)\s*(#.*)?$/.exec(line)
      if (!m || (m[1] as string).startsWith('./')) continue
      const [action, ref = ''] = (m[1] as string).split('@')
      found.push({ where: `${file}:${i + 1}`, action: action as string, ref, comment: m[2] ?? '' })
    }
  return found
}

describe('pinning', () => {
  const uses = thirdPartyUses()

  it('finds the actions (the parse is not vacuous)', () => {
    expect(uses.map(u => u.action)).toEqual(
      expect.arrayContaining([
        'actions/checkout',
        'actions/cache/restore',
        'github/codeql-action/init'
      ])
    )
    // Every `uses:` the YAML has, the line scan has too.
    const parsed = files.flatMap(f => {
      const w = workflows.get(f) as Workflow
      return [...Object.values(w.jobs).map(j => j.uses), ...steps(w).map(s => s.uses)].filter(
        (u): u is string => !!u && !u.startsWith('./')
      )
    })
    expect(parsed.length).toBe(uses.length)
  })

  it('every third-party action is pinned to a full commit SHA with "# vX.Y.Z"', () => {
    const problems = uses.flatMap(({ where, action, ref, comment }) => {
      if (!/^[0-9a-f]{40}$/.test(ref)) return [`${where}: ${action}@${ref} is not a commit SHA`]
      if (!/^#\s*v\d+\.\d+\.\d+\b/.test(comment))
        return [`${where}: ${action}@${ref} has no "# vX.Y.Z" comment`]
      return []
    })
    expect(problems).toEqual([])
  })

  it('one action repository, one commit and one version everywhere', () => {
    const seen = new Map<string, string>()
    const problems: string[] = []
    for (const { where, action, ref, comment } of uses) {
      const repo = action.split('/').slice(0, 2).join('/')
      const pin = `${ref} ${comment.replace(/^#\s*/, '').split(/\s/)[0]}`
      const first = seen.get(repo)
      if (first === undefined) seen.set(repo, pin)
      else if (first !== pin) problems.push(`${where}: ${repo} at ${pin}, elsewhere ${first}`)
    }
    expect(problems).toEqual([])
  })
})

describe('least privilege', () => {
  it.each(files)('%s: read-only unless a job asks for more, never write-all', file => {
    const w = workflows.get(file) as Workflow
    expect(w.permissions === undefined).toBe(false)
    expect(w.permissions).not.toBe('write-all')
    if (typeof w.permissions === 'object')
      expect(Object.values(w.permissions).filter(p => p === 'write')).toEqual([])
    for (const job of Object.values(w.jobs)) expect(job.permissions).not.toBe('write-all')
  })

  it('checkouts do not leave the token in .git/config', () => {
    const problems = files.flatMap(file =>
      steps(workflows.get(file) as Workflow)
        .filter(s => s.uses?.startsWith('actions/checkout@'))
        .filter(s => s.with?.['persist-credentials'] !== false)
        .map(() => `${file}: actions/checkout without persist-credentials: false`)
    )
    expect(problems).toEqual([])
  })

  it('no ${{ }} expression inside a run: script (they go through env:)', () => {
    const problems = files.flatMap(file =>
      steps(workflows.get(file) as Workflow)
        .filter(s => s.run?.includes('${{'))
        .map(s => `${file}: ${s.run?.split('\n').find(l => l.includes('${{'))}`)
    )
    expect(problems).toEqual([])
  })

  it('no pull_request_target or workflow_run triggers (they run with secrets on others’ code)', () => {
    for (const w of workflows.values()) {
      expect(w.on).not.toHaveProperty('pull_request_target')
      expect(w.on).not.toHaveProperty('workflow_run')
    }
  })
})

describe('schedules', () => {
  /** Workflows allowed to run at minute 0, with why (none: GitHub delays or drops those most). */
  const KEPT_AT_MINUTE_0: Record<string, string> = {}
  /** Does a cron's minute field include minute 0? */
  const atMinute0 = (cron: string): boolean => {
    const minute = cron.trim().split(/\s+/)[0] as string
    // Each part is *, N, N-M, optionally /step: it includes 0 when it starts at 0.
    return minute.split(',').some(part => {
      const range = part.split('/')[0] as string
      return range === '*' || Number(range.split('-')[0]) === 0
    })
  }

  it('the minute-0 check itself', () => {
    expect(['*/10 * * * *', '0 * * * *', '0-59/10 * * * *', '5,0 * * * *'].map(atMinute0)).toEqual([
      true,
      true,
      true,
      true
    ])
    expect(['7-59/10 * * * *', '23 5 * * 1', '15,45 * * * *'].map(atMinute0)).toEqual([
      false,
      false,
      false
    ])
  })

  it('scheduled workflows run off the top of the hour', () => {
    const problems: string[] = []
    for (const [file, w] of workflows) {
      const schedule = (w.on.schedule ?? []) as Array<{ cron: string }>
      for (const { cron } of schedule)
        if (atMinute0(cron) && !(file in KEPT_AT_MINUTE_0))
          problems.push(`${file}: '${cron}' runs at minute 0`)
    }
    expect(problems).toEqual([])
  })

  it('this repository’s own cleanup is off unless the POD_CLEANER_ENABLED variable is true', () => {
    for (const job of Object.values(workflow('cleanup.yml').jobs))
      expect(job.if).toBe("vars.POD_CLEANER_ENABLED == 'true'")
  })
})

describe('Dependabot', () => {
  const config = parse(readFileSync('.github/dependabot.yml', 'utf8')) as {
    version: number
    updates: Array<{
      'package-ecosystem': string
      directory: string
      cooldown?: { 'default-days'?: number }
      groups?: Record<string, unknown>
    }>
  }

  it('updates npm and github-actions, grouped, after a cooldown', () => {
    expect(config.version).toBe(2)
    expect(config.updates.map(u => u['package-ecosystem']).sort()).toEqual([
      'github-actions',
      'npm'
    ])
    for (const update of config.updates) {
      expect(update.directory).toBe('/')
      expect(update.cooldown?.['default-days']).toBeGreaterThanOrEqual(3)
      expect(Object.keys(update.groups ?? {}).length).toBeGreaterThan(0)
    }
  })
})

describe('CodeQL', () => {
  it('analyses javascript-typescript on pushes, pull requests and weekly', () => {
    const codeql = workflow('codeql.yml')
    expect(Object.keys(codeql.on).sort()).toEqual(['pull_request', 'push', 'schedule'])
    const init = steps(codeql).find(s => s.uses?.startsWith('github/codeql-action/init@'))
    expect(init?.with?.languages).toBe('javascript-typescript')
    expect(steps(codeql).some(s => s.uses?.startsWith('github/codeql-action/analyze@'))).toBe(true)
    const job = Object.values(codeql.jobs)[0] as Job
    expect(job.permissions).toEqual({ contents: 'read', 'security-events': 'write' })
  })
})

describe('release.yml', () => {
  const release = workflow('release.yml')
  const all = text.get(join(DIR, 'release.yml')) as string

  it('runs on vX.Y.Z tags only', () => {
    expect(release.on).toEqual({ push: { tags: ['v*.*.*'] } })
  })

  it('checks dist/ and runs the tests before publishing', () => {
    const verify = release.jobs.verify as Job
    const runs = (verify.steps ?? []).map(s => s.run ?? '').join('\n')
    expect(runs).toMatch(/npm ci/)
    expect(runs).toMatch(/npm run bundle[\s\S]*git status --porcelain/)
    expect(runs).toMatch(/npm test/)
    expect((release.jobs.release as Job & { needs?: string }).needs).toBe('verify')
  })

  it('publishes the CHANGELOG section and moves vX and vX.Y, with contents: write in that job only', () => {
    const publish = release.jobs.release as Job
    const runs = (publish.steps ?? []).map(s => s.run ?? '').join('\n')
    expect(runs).toMatch(/node scripts\/changelog-section\.mjs/)
    expect(runs).toMatch(/gh release create "\$TAG" --verify-tag/)
    expect(runs).toMatch(/major=v/)
    expect(runs).toMatch(/minor=v/)
    expect(publish.permissions).toEqual({ contents: 'write' })
    expect((release.jobs.verify as Job).permissions).toEqual({ contents: 'read' })
  })

  it('uses no cache (a poisoned cache cannot reach a release)', () => {
    expect(all).not.toMatch(/actions\/cache/)
    for (const step of steps(release)) {
      if (step.uses?.startsWith('actions/setup-node@')) expect(step.with?.cache).toBeUndefined()
      if (step.uses?.startsWith('actions/setup-go@')) expect(step.with?.cache).toBe(false)
    }
  })
})
