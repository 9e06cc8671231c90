import { describe, expect, it } from '@jest/globals'
import {
  DEFAULT_DELETE_REASONS,
  DEFAULT_REPORT_REASONS,
  NON_ZERO_EXIT
} from '../../src/domain/reasons.js'
import { detectPod, statusText } from '../../src/domain/detect.js'
import type { Pod } from '../../src/domain/pod.js'
import { crashLoop, pod, running, terminated, waiting } from '../fixtures/pods.js'

const options = {
  deleteReasons: new Set(DEFAULT_DELETE_REASONS),
  reportReasons: new Set(DEFAULT_REPORT_REASONS)
}

interface Case {
  description: string
  pod: Pod
  expected?: {
    reason: string
    class: 'delete' | 'report'
    container?: string
    init?: boolean
    exitCode?: number
    status?: string
  }
}

const cases: Case[] = [
  // The original tool's own cases
  {
    description: 'CrashLoopBackOff in a Running pod',
    pod: pod({ containers: [crashLoop()] }),
    expected: {
      reason: 'CrashLoopBackOff',
      class: 'delete',
      exitCode: 1,
      status: 'CrashLoopBackOff'
    }
  },
  {
    description: 'ImagePullBackOff is reported, not deleted',
    pod: pod({
      phase: 'Pending',
      containers: [waiting('ImagePullBackOff', 'app', 'Back-off pulling image "nope:1"')]
    }),
    expected: { reason: 'ImagePullBackOff', class: 'report' }
  },
  {
    description: 'terminated with exit code 2 while the pod runs',
    pod: pod({ containers: [running('sidecar'), terminated(2)] }),
    expected: {
      reason: NON_ZERO_EXIT,
      class: 'delete',
      container: 'app',
      exitCode: 2,
      status: 'Error'
    }
  },
  { description: 'healthy running pod', pod: pod() },
  {
    description: 'terminated with exit code 0 (a finished sidecar)',
    pod: pod({ containers: [running('web'), terminated(0)] })
  },
  // The false positives the original tool had
  {
    description: 'ContainerCreating is normal start-up',
    pod: pod({ phase: 'Pending', containers: [waiting('ContainerCreating')] })
  },
  {
    description: 'PodInitializing is normal start-up',
    pod: pod({
      phase: 'Pending',
      initContainers: [running('init', { ready: false })],
      containers: [waiting('PodInitializing')]
    })
  },
  {
    description: 'a Completed init container is not a failure',
    pod: pod({ initContainers: [terminated(0, 'migrate')], containers: [running()] })
  },
  {
    description: 'restarted then healthy: lastState exit 0',
    pod: pod({
      containers: [
        running('app', {
          restartCount: 1,
          lastState: { terminated: { exitCode: 0, reason: 'Completed' } }
        })
      ]
    })
  },
  {
    description: 'restarted then healthy: running and ready again after exit 1',
    pod: pod({
      containers: [
        running('app', {
          restartCount: 2,
          lastState: { terminated: { exitCode: 1, reason: 'Error' } }
        })
      ]
    })
  },
  {
    description: 'a pod being deleted is still detected (the policy skips it)',
    pod: pod({ deleting: true, containers: [crashLoop()] }),
    expected: { reason: 'CrashLoopBackOff', class: 'delete' }
  },
  // Init containers
  {
    description: 'init container in CrashLoopBackOff (kubectl: Init:CrashLoopBackOff)',
    pod: pod({
      phase: 'Pending',
      initContainers: [crashLoop('migrate')],
      containers: [waiting('PodInitializing')]
    }),
    expected: {
      reason: 'CrashLoopBackOff',
      class: 'delete',
      container: 'migrate',
      init: true,
      status: 'Init:CrashLoopBackOff'
    }
  },
  {
    description: 'init container terminated with exit 1',
    pod: pod({
      phase: 'Pending',
      initContainers: [terminated(1, 'migrate')],
      containers: [waiting('PodInitializing')]
    }),
    expected: {
      reason: NON_ZERO_EXIT,
      class: 'delete',
      container: 'migrate',
      init: true,
      status: 'Init:Error'
    }
  },
  // More states
  {
    description: 'running but not ready right after a crash (the "up" half of a crash loop)',
    pod: pod({
      containers: [
        running('app', {
          ready: false,
          restartCount: 4,
          lastState: { terminated: { exitCode: 137, reason: 'OOMKilled' } }
        })
      ]
    }),
    expected: { reason: NON_ZERO_EXIT, class: 'delete', exitCode: 137, status: 'OOMKilled' }
  },
  {
    description: 'CreateContainerConfigError (missing Secret) is reported',
    pod: pod({
      phase: 'Pending',
      containers: [waiting('CreateContainerConfigError', 'app', 'secret "db-creds" not found')]
    }),
    expected: { reason: 'CreateContainerConfigError', class: 'report' }
  },
  {
    description: 'one container unfixable makes the pod report-only',
    pod: pod({ containers: [crashLoop('app'), waiting('ImagePullBackOff', 'proxy')] }),
    expected: { reason: 'ImagePullBackOff', class: 'report', container: 'proxy' }
  },
  {
    description: 'RunContainerError',
    pod: pod({
      containers: [waiting('RunContainerError', 'app', 'exec: "nope": executable file not found')]
    }),
    expected: { reason: 'RunContainerError', class: 'delete' }
  },
  {
    description: 'an unlisted waiting reason without a failed run is not a finding',
    pod: pod({ phase: 'Pending', containers: [waiting('SomethingNew')] })
  },
  {
    description: 'Succeeded pods are not judged',
    pod: pod({ phase: 'Succeeded', containers: [terminated(0)] })
  },
  {
    description: 'Failed pods are not judged (not ours: podgc)',
    pod: pod({ phase: 'Failed', containers: [terminated(1)] })
  },
  { description: 'a pod without status yet', pod: { metadata: { name: 'x', namespace: 'y' } } },
  {
    description: 'Pending without container statuses (unschedulable)',
    pod: pod({ phase: 'Pending', containers: [] })
  }
]

describe('detectPod', () => {
  it.each(cases)('$description', ({ pod, expected }) => {
    const finding = detectPod(pod, options)
    if (!expected) {
      expect(finding).toBeUndefined()
      return
    }
    expect(finding).toBeDefined()
    expect(finding?.primary.reason).toBe(expected.reason)
    expect(finding?.class).toBe(expected.class)
    if (expected.container) expect(finding?.primary.container).toBe(expected.container)
    expect(finding?.primary.init).toBe(expected.init ?? false)
    if (expected.exitCode !== undefined) expect(finding?.primary.exitCode).toBe(expected.exitCode)
    if (expected.status) expect(statusText(finding!.primary)).toBe(expected.status)
  })

  it('carries owner, uid, terminating and mirror flags', () => {
    const f = detectPod(
      pod({
        name: 'p',
        deleting: true,
        annotations: {
          'kubernetes.io/config.mirror': 'x',
          'pod-cleaner.io/skip': 'true',
          other: 'dropped'
        },
        containers: [crashLoop()]
      }),
      options
    )
    expect(f).toMatchObject({
      name: 'p',
      uid: 'uid-p',
      terminating: true,
      mirror: true,
      owner: { kind: 'ReplicaSet' }
    })
    expect(f?.annotations).toEqual({ 'pod-cleaner.io/skip': 'true' })
  })

  it('honours custom reason lists: NonZeroExit removed, OOMKilled made report-only', () => {
    const custom = {
      deleteReasons: new Set(['CrashLoopBackOff']),
      reportReasons: new Set(['OOMKilled'])
    }
    expect(detectPod(pod({ containers: [running('s'), terminated(2)] }), custom)).toBeUndefined()
    const oom = detectPod(
      pod({ containers: [running('s'), terminated(137, 'app', 'OOMKilled')] }),
      custom
    )
    expect(oom).toMatchObject({ class: 'report', primary: { reason: 'OOMKilled' } })
  })

  it('a reason moved to delete-reasons is deleted', () => {
    const moved = { deleteReasons: new Set(['ImagePullBackOff']), reportReasons: new Set<string>() }
    expect(detectPod(pod({ containers: [waiting('ImagePullBackOff')] }), moved)?.class).toBe(
      'delete'
    )
  })
})
