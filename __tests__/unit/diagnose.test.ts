import { describe, expect, it } from '@jest/globals'
import { DEFAULT_DELETE_REASONS, DEFAULT_REPORT_REASONS } from '../../src/domain/reasons.js'
import { detectPod, type Finding } from '../../src/domain/detect.js'
import { classifyCause } from '../../src/domain/causes.js'
import { diagnoseAll, diagnoseFinding } from '../../src/cycle/diagnose.js'
import type { DiagnoseApi, PodEventSummary } from '../../src/cycle/ports.js'
import type { ContainerStatus, Pod } from '../../src/domain/pod.js'
import { renderDiagnostics } from '../../src/report/diagnostics.js'
import { crashLoop, pod, waiting } from '../fixtures/pods.js'
import { row } from '../fixtures/result.js'

const detect = {
  deleteReasons: new Set(DEFAULT_DELETE_REASONS),
  reportReasons: new Set(DEFAULT_REPORT_REASONS)
}
const find = (p: Pod): Finding => detectPod(p, detect) as Finding
const event = (reason: string, message: string, count = 1): PodEventSummary => ({
  reason,
  message,
  count,
  lastSeen: '2026-11-28T11:59:00Z'
})

function withLimit(p: Pod, memory: string): Pod {
  p.spec = { containers: [{ name: 'app', resources: { limits: { memory } } }] }
  return p
}

const oom: ContainerStatus = {
  ...crashLoop(),
  lastState: {
    terminated: {
      exitCode: 137,
      reason: 'OOMKilled',
      startedAt: '2026-11-28T11:00:00Z',
      finishedAt: '2026-11-28T11:00:09Z'
    }
  }
}

describe('classifyCause', () => {
  it.each<[string, Pod, string[], PodEventSummary[], string, boolean]>([
    [
      'OOMKilled with the limit',
      withLimit(pod({ containers: [oom] }), '128Mi'),
      [],
      [],
      'OOMKilled (limit 128Mi)',
      false
    ],
    [
      'a missing image (404)',
      pod({
        phase: 'Pending',
        containers: [
          waiting('ImagePullBackOff', 'app', 'Back-off pulling image "registry.example/app:v9"')
        ]
      }),
      [],
      [
        event(
          'Failed',
          'Failed to pull image "registry.example/app:v9": rpc error: code = NotFound desc = failed to resolve reference: registry.example/app:v9: not found (404)'
        )
      ],
      'image not found: registry.example/app:v9 (registry answered 404)',
      true
    ],
    [
      'a rate-limited pull is not "not found"',
      pod({
        phase: 'Pending',
        containers: [waiting('ErrImagePull', 'app', 'toomanyrequests: rate limit')]
      }),
      [],
      [],
      'image cannot be pulled (toomanyrequests: rate limit)',
      false
    ],
    [
      'a missing Secret from the waiting message',
      pod({
        phase: 'Pending',
        containers: [waiting('CreateContainerConfigError', 'app', 'secret "db-creds" not found')]
      }),
      [],
      [],
      'missing Secret db-creds',
      true
    ],
    [
      'a missing ConfigMap from a FailedMount event',
      pod({ containers: [crashLoop()] }),
      [],
      [
        event(
          'FailedMount',
          'MountVolume.SetUp failed for volume "cfg" : configmap "app-config" not found',
          7
        )
      ],
      'missing ConfigMap app-config',
      true
    ],
    [
      'an invalid command',
      pod({
        containers: [
          waiting('RunContainerError', 'app', 'exec: "nope": executable file not found in $PATH')
        ]
      }),
      [],
      [],
      'invalid container spec: exec: "nope": executable file not found in $PATH',
      true
    ],
    [
      'a failing liveness probe',
      pod({ containers: [crashLoop()] }),
      [],
      [event('Unhealthy', 'Liveness probe failed: HTTP probe failed with statuscode: 500', 30)],
      'liveness probe failing: Liveness probe failed: HTTP probe failed with statuscode: 500',
      false
    ],
    [
      'an exit code, how long it ran and the last log line',
      pod({
        containers: [
          {
            ...crashLoop(),
            lastState: {
              terminated: {
                exitCode: 1,
                reason: 'Error',
                startedAt: '2026-11-28T11:00:00Z',
                finishedAt: '2026-11-28T11:00:03Z'
              }
            }
          }
        ]
      }),
      ['starting', 'fatal: cannot connect to db', ''],
      [],
      'exits 1 after 3 s: fatal: cannot connect to db',
      false
    ],
    [
      'the most telling line, not the last one: a panic above a trailing "exit status 1"',
      pod({ containers: [crashLoop()] }),
      [
        'starting',
        'panic: runtime error: index out of range [3]',
        'goroutine 1 [running]:',
        'exit status 1'
      ],
      [],
      'exits 1: panic: runtime error: index out of range [3]',
      false
    ],
    [
      'an error line wins over a later plain line',
      pod({ containers: [crashLoop()] }),
      ['Error: ECONNREFUSED 10.0.0.1:5432', 'shutting down'],
      [],
      'exits 1: Error: ECONNREFUSED 10.0.0.1:5432',
      false
    ],
    [
      'no telling line: the last non-empty line',
      pod({ containers: [crashLoop()] }),
      ['starting', 'listening on :8080', ''],
      [],
      'exits 1: listening on :8080',
      false
    ],
    [
      'a signal',
      pod({
        containers: [
          { ...crashLoop(), lastState: { terminated: { exitCode: 143, reason: 'Error' } } }
        ]
      }),
      [],
      [],
      'exits 143 (signal 15)',
      false
    ]
  ])('%s', (_, p, logTail, events, cause, unfixable) => {
    expect(classifyCause(find(p), { logTail, events })).toEqual({ cause, unfixable })
  })
})

describe('diagnoseFinding', () => {
  const api = (overrides: Partial<DiagnoseApi> = {}): DiagnoseApi & { calls: string[] } => {
    const calls: string[] = []
    return {
      calls,
      previousLog: async ({ namespace, pod, container, tailLines, limitBytes }) => {
        calls.push(`log ${namespace}/${pod}/${container} tail=${tailLines} bytes=${limitBytes}`)
        return 'one\ntwo\nthree\n'
      },
      warningEvents: async () => [event('BackOff', 'Back-off restarting failed container', 12)],
      ...overrides
    }
  }

  it('reads the previous log of the failing container and the events', async () => {
    const a = api()
    const d = await diagnoseFinding(find(pod({ name: 'p', containers: [crashLoop()] })), a, {
      logLines: 2
    })
    expect(a.calls).toEqual(['log shop/p/app tail=2 bytes=8192'])
    expect(d.logTail).toEqual(['two', 'three'])
    expect(d.events).toHaveLength(1)
    expect(d.notes).toEqual([])
  })

  it('does not ask for a previous log when the container never ran', async () => {
    const a = api()
    await diagnoseFinding(find(pod({ containers: [waiting('ImagePullBackOff')] })), a, {
      logLines: 20
    })
    expect(a.calls).toEqual([])
  })

  it('a 403 is a note, not a failure', async () => {
    const forbidden = Object.assign(new Error('forbidden'), { code: 403 })
    const d = await diagnoseFinding(
      find(pod({ containers: [crashLoop()] })),
      api({
        previousLog: async () => Promise.reject(forbidden),
        warningEvents: async () => Promise.reject(forbidden)
      }),
      { logLines: 5 }
    )
    expect(d.notes).toEqual(['pods/log: forbidden (RBAC)', 'events: forbidden (RBAC)'])
    expect(d.cause).toBe('exits 1')
  })

  it('diagnoseAll stops at its budget without blocking, and aborts the open requests', async () => {
    const aborted: string[] = []
    // Answers only when aborted: only the budget can end it (else the test's own timeout would).
    const hang = (what: string, signal?: AbortSignal) =>
      new Promise<never>((_, reject) =>
        signal?.addEventListener('abort', () => {
          aborted.push(what)
          reject(signal.reason as Error)
        })
      )
    const slow: DiagnoseApi = {
      previousLog: (_req, signal) => hang('log', signal),
      warningEvents: (_ns, _uid, signal) => hang('events', signal)
    }
    const results = await diagnoseAll([find(pod({ containers: [crashLoop()] }))], slow, {
      logLines: 5,
      parallel: 2,
      budgetMs: 50
    })
    expect(results.size).toBe(0)
    expect(aborted.sort()).toEqual(['events', 'log'])
  })
})

describe('renderDiagnostics', () => {
  it('renders an escaped, collapsible block per diagnosed pod', () => {
    const md = renderDiagnostics([
      row({
        cause: 'exits 1: <boom>',
        diagnosis: {
          logTail: ['<script>x</script>', 'a|b'],
          events: [event('BackOff', 'Back-off <x>', 3)],
          notes: []
        }
      }),
      row({ pod: 'quiet' })
    ])
    expect(md).toContain('<details><summary>shop/web-1 — exits 1: &lt;boom&gt;</summary>')
    expect(md).toContain('<pre>&lt;script&gt;x&lt;/script&gt;\na|b</pre>')
    expect(md).toContain('| BackOff | 3 | 2026-11-28T11:59:00Z | Back-off &lt;x&gt; |')
    expect(md).not.toContain('quiet')
  })

  it('caps each block and the total', () => {
    const long = Array.from({ length: 200 }, (_, i) => `line ${i} ${'x'.repeat(100)}`)
    const rows = Array.from({ length: 200 }, (_, i) =>
      row({ pod: `p${i}`, diagnosis: { logTail: long, events: [], notes: [] } })
    )
    const md = renderDiagnostics(rows)
    expect(md.length).toBeLessThan(420_000)
    expect(md).toMatch(/Diagnostics for \d+ more pods are in the `result` output\./)
    expect(md.split('<details>')[1]?.length).toBeLessThanOrEqual(6_000)
  })
})
