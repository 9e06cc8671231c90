import { describe, expect, it } from '@jest/globals'
import { DEFAULT_DELETE_REASONS, DEFAULT_REPORT_REASONS } from '../../src/domain/reasons.js'
import { detectPod, type Finding } from '../../src/domain/detect.js'
import type { Pod } from '../../src/domain/pod.js'
import { decide, type PolicyOptions } from '../../src/domain/policy.js'
import { NOW, crashLoop, pod, waiting } from '../fixtures/pods.js'

const detect = {
  deleteReasons: new Set(DEFAULT_DELETE_REASONS),
  reportReasons: new Set(DEFAULT_REPORT_REASONS)
}
const base: PolicyOptions = {
  excludeNamespaces: new Set(['kube-system']),
  minRestarts: 3,
  minPodAgeSeconds: 300,
  maxDeletions: 10,
  maxUnhealthyPercent: 30,
  deleteBarePods: false,
  deleteDaemonSetPods: false,
  deleteJobPods: false
}

const findings = (pods: Pod[]): Finding[] =>
  pods.map(p => detectPod(p, detect)).filter((f): f is Finding => f !== undefined)
const broken = (spec: Parameters<typeof pod>[0] = {}): Pod =>
  pod({ containers: [crashLoop()], ...spec })

interface Case {
  description: string
  pods: Pod[]
  options?: Partial<PolicyOptions>
  podsInScope?: number
  expected: Array<[string, 'delete' | 'report' | 'skip', RegExp?]>
}

const cases: Case[] = [
  {
    description: 'a crash-looping ReplicaSet pod is deleted',
    pods: [broken({ name: 'a' })],
    expected: [['a', 'delete']]
  },
  {
    description: 'kube-system is never touched',
    pods: [broken({ name: 'a', namespace: 'kube-system' })],
    expected: [['a', 'skip', /namespace kube-system is excluded/]]
  },
  {
    description: 'a bare pod is skipped: nothing would recreate it',
    pods: [broken({ name: 'a', owner: null })],
    expected: [['a', 'skip', /bare pod/]]
  },
  {
    description: 'bare pods only with delete-bare-pods',
    pods: [broken({ name: 'a', owner: null })],
    options: { deleteBarePods: true },
    expected: [['a', 'delete']]
  },
  {
    description: 'mirror pods are the kubelet’s',
    pods: [
      broken({
        name: 'a',
        owner: { kind: 'Node', name: 'n1' },
        annotations: { 'kubernetes.io/config.mirror': 'abc' }
      })
    ],
    expected: [['a', 'skip', /mirror/]]
  },
  {
    description: 'terminating pods are left alone',
    pods: [broken({ name: 'a', deleting: true })],
    expected: [['a', 'skip', /terminating/]]
  },
  {
    description: 'DaemonSet pods need delete-daemonset-pods',
    pods: [broken({ name: 'a', owner: { kind: 'DaemonSet', name: 'agent' } })],
    expected: [['a', 'skip', /DaemonSet/]]
  },
  {
    description: 'Job pods are reported, not deleted: the kubelet restarts them in place',
    pods: [broken({ name: 'a', owner: { kind: 'Job', name: 'migrate' } })],
    expected: [['a', 'skip', /Job pod.*backoffLimit/]]
  },
  {
    description: 'Job pods only with delete-job-pods',
    pods: [broken({ name: 'a', owner: { kind: 'Job', name: 'migrate' } })],
    options: { deleteJobPods: true },
    expected: [['a', 'delete']]
  },
  {
    description: 'young pods are left alone',
    pods: [broken({ name: 'a', createdAt: new Date(NOW.getTime() - 60_000).toISOString() })],
    expected: [['a', 'skip', /younger than min-pod-age \(60s < 300s\)/]]
  },
  {
    description: 'too few restarts',
    pods: [pod({ name: 'a', containers: [crashLoop('app', 1)] })],
    expected: [['a', 'skip', /fewer restarts than min-restarts \(1 < 3\)/]]
  },
  {
    description: 'opt-out annotation',
    pods: [broken({ name: 'a', annotations: { 'pod-cleaner.io/skip': 'true' } })],
    expected: [['a', 'skip', /annotated/]]
  },
  {
    description: 'report-only reasons are reported',
    pods: [pod({ name: 'a', containers: [waiting('ImagePullBackOff')] })],
    expected: [['a', 'report', /a delete cannot fix it/]]
  },
  {
    description: 'one pod per owner per run',
    pods: [
      broken({ name: 'a' }),
      broken({ name: 'b' }),
      broken({ name: 'c', owner: { kind: 'ReplicaSet', name: 'other' } })
    ],
    expected: [
      ['a', 'delete'],
      ['b', 'skip', /another pod of ReplicaSet\/web-7d9f8/],
      ['c', 'delete']
    ]
  },
  {
    description: 'max-deletions caps a run',
    pods: ['a', 'b', 'c'].map(n => broken({ name: n, owner: { kind: 'ReplicaSet', name: n } })),
    options: { maxDeletions: 2 },
    expected: [
      ['a', 'delete'],
      ['b', 'delete'],
      ['c', 'skip', /max-deletions \(2\) reached/]
    ]
  },
  {
    description: 'circuit breaker: 4 of 10 pods broken > 30%',
    pods: ['a', 'b', 'c', 'd'].map(n =>
      broken({ name: n, owner: { kind: 'ReplicaSet', name: n } })
    ),
    podsInScope: 10,
    expected: ['a', 'b', 'c', 'd'].map(
      n =>
        [n, 'skip', /circuit breaker: 40% of pods in scope are broken \(limit 30%\)/] as [
          string,
          'skip',
          RegExp
        ]
    )
  },
  {
    description: 'circuit breaker ignores tiny scopes',
    pods: ['a', 'b'].map(n => broken({ name: n, owner: { kind: 'ReplicaSet', name: n } })),
    podsInScope: 3,
    expected: [
      ['a', 'delete'],
      ['b', 'delete']
    ]
  },
  {
    description: 'circuit breaker does not count excluded namespaces',
    pods: [
      broken({ name: 'a' }),
      ...['x', 'y', 'z', 'w'].map(n => broken({ name: n, namespace: 'kube-system' }))
    ],
    podsInScope: 10,
    expected: [
      ['w', 'skip', /excluded/],
      ['x', 'skip', /excluded/],
      ['y', 'skip', /excluded/],
      ['z', 'skip', /excluded/],
      ['a', 'delete']
    ]
  }
]

describe('decide', () => {
  it.each(cases)('$description', ({ pods, options, podsInScope, expected }) => {
    const plan = decide(findings(pods), {
      options: { ...base, ...options },
      now: NOW,
      podsInScope: podsInScope ?? 100
    })
    const got = plan.decisions.map(d => [d.finding.name, d.decision, d.reason])
    expect(got.map(([n, d]) => [n, d])).toEqual(expected.map(([n, d]) => [n, d]))
    expected.forEach(([, , reason], i) => {
      if (reason) expect(got[i]?.[2]).toMatch(reason)
    })
  })

  it('reports the breaker state', () => {
    const plan = decide(findings([broken()]), { options: base, now: NOW, podsInScope: 50 })
    expect(plan.breaker).toEqual({
      tripped: false,
      unhealthy: 1,
      podsInScope: 50,
      percent: 2,
      limitPercent: 30
    })
  })
})

// Diagnosis gates every delete: decide asks for a diagnosis first, and a pod diagnosed as one a
// delete cannot fix hands its owner's slot to a sibling, which is then diagnosed in turn.
describe('decide with diagnosis on', () => {
  type Verdicts = Record<string, { cause: string; unfixable: boolean }>
  interface DiagnosisCase {
    description: string
    pods: Pod[]
    verdicts: Verdicts
    attempted?: string[]
    deleteUnfixable?: boolean
    options?: Partial<PolicyOptions>
    expected: Array<[string, 'delete' | 'diagnose' | 'report' | 'skip', RegExp?]>
  }
  const missingSecret = { cause: 'missing Secret db-creds', unfixable: true }
  const exits = { cause: 'exits 1 after 0 s', unfixable: false }
  const diagnosisCases: DiagnosisCase[] = [
    {
      description: 'an undiagnosed candidate is diagnosed first; its sibling waits',
      pods: [broken({ name: 'a' }), broken({ name: 'b' })],
      verdicts: {},
      expected: [
        ['a', 'diagnose'],
        ['b', 'skip', /another pod/]
      ]
    },
    {
      description:
        'unfixable: report only, and the sibling is the next to diagnose (never deleted undiagnosed)',
      pods: [broken({ name: 'a' }), broken({ name: 'b' })],
      verdicts: { a: missingSecret },
      expected: [
        ['a', 'report', /missing Secret db-creds: a delete cannot fix it/],
        ['b', 'diagnose']
      ]
    },
    {
      description: 'the sibling diagnosed unfixable too: both reported, nothing deleted',
      pods: [broken({ name: 'a' }), broken({ name: 'b' })],
      verdicts: { a: missingSecret, b: missingSecret },
      expected: [
        ['a', 'report'],
        ['b', 'report']
      ]
    },
    {
      description: 'a fixable diagnosis lets the delete go ahead',
      pods: [broken({ name: 'a' }), broken({ name: 'b' })],
      verdicts: { a: exits },
      expected: [
        ['a', 'delete'],
        ['b', 'skip', /another pod/]
      ]
    },
    {
      description: 'delete-unfixable deletes despite the cause',
      pods: [broken({ name: 'a' })],
      verdicts: { a: missingSecret },
      deleteUnfixable: true,
      expected: [['a', 'delete']]
    },
    {
      description: 'diagnosis attempted but not finished in time: skipped, not deleted',
      pods: [broken({ name: 'a' })],
      verdicts: {},
      attempted: ['a'],
      expected: [['a', 'skip', /not diagnosed/]]
    },
    {
      description: 'a pod held back by max-deletions is diagnosed before it takes a freed slot',
      pods: [
        broken({ name: 'a', owner: { kind: 'ReplicaSet', name: 'one' } }),
        broken({ name: 'b', owner: { kind: 'ReplicaSet', name: 'two' } })
      ],
      verdicts: { a: missingSecret },
      options: { maxDeletions: 1 },
      expected: [
        ['a', 'report'],
        ['b', 'diagnose']
      ]
    }
  ]

  it.each(diagnosisCases)('$description', c => {
    const found = findings(c.pods)
    const uidOf = (name: string): string => found.find(f => f.name === name)?.uid ?? name
    const verdicts = new Map(Object.entries(c.verdicts).map(([name, v]) => [uidOf(name), v]))
    const plan = decide(found, {
      options: { ...base, ...c.options },
      now: NOW,
      podsInScope: 100,
      diagnosis: {
        verdicts,
        attempted: new Set([...(c.attempted ?? []), ...Object.keys(c.verdicts)].map(uidOf)),
        deleteUnfixable: c.deleteUnfixable ?? false
      }
    })
    const got = plan.decisions.map(d => [d.finding.name, d.decision, d.reason])
    expect(got.map(([n, d]) => [n, d])).toEqual(c.expected.map(([n, d]) => [n, d]))
    c.expected.forEach(([, , reason], i) => {
      if (reason) expect(got[i]?.[2]).toMatch(reason)
    })
  })
})
