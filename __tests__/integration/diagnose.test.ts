// Diagnosis before deleting (issue 7), through the bundle on the real control plane: the previous
// container log comes through the apiserver from kwok's kubelet-like server (pods/log
// ?previous=true), events are real Event objects, RBAC denials are notices.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import type { CycleResult } from '../../src/domain/result.js'
import { runAction } from '../fixtures/bundle.js'
import {
  admin,
  adminKubeconfigText,
  baseInputs,
  createDeployment,
  createNamespace,
  deleteNamespace,
  isCrashLooping,
  kubeConfigFrom,
  scrubbed,
  waitForPods,
  warnPod
} from '../fixtures/cluster.js'

const parse = (outputs: Record<string, string>): CycleResult => JSON.parse(outputs.result as string)

describe('diagnosis', () => {
  let ns: string
  beforeAll(async () => {
    ns = await createNamespace('it-diagnose')
  })
  afterAll(() => deleteNamespace(ns))

  it('keeps the previous log tail and the Warning events, and names the cause', async () => {
    await createDeployment(ns, 'api', { fault: 'crashloop' })
    const [pod] = await waitForPods(ns, 'app=api', 1, isCrashLooping)
    await warnPod(pod!, 'BackOff', 'Back-off restarting failed container app in pod', 14)
    const run = await runAction(
      baseInputs({
        namespaces: ns,
        'label-selector': 'app=api',
        'diagnostic-log-lines': '3',
        'verify-timeout': '0'
      })
    )
    expect(run.code).toBe(0)
    const [row] = parse(run.outputs).pods
    expect(row).toMatchObject({
      decision: 'deleted',
      // The most telling line of the tail, not its last ("exit status 1").
      cause: expect.stringMatching(
        /^exits 1 .*: panic: failed to connect to database after 5 attempts$/
      )
    })
    expect(row?.diagnosis?.logTail).toEqual([
      'Error: connect ECONNREFUSED 10.96.0.20:5432',
      'panic: failed to connect to database after 5 attempts',
      'exit status 1'
    ])
    expect(row?.diagnosis?.events).toEqual([
      expect.objectContaining({ reason: 'BackOff', count: 14 })
    ])
    expect(run.summary).toContain(`<details><summary>${ns}/${row?.pod} — exits 1`)
    expect(run.summary).toContain('panic: failed to connect to database after 5 attempts')
  })

  it('a cause a new pod cannot fix makes the pod report-only, unless delete-unfixable', async () => {
    await createDeployment(ns, 'web', { fault: 'crashloop' })
    const [pod] = await waitForPods(ns, 'app=web', 1, isCrashLooping)
    await warnPod(
      pod!,
      'FailedMount',
      'MountVolume.SetUp failed for volume "cfg" : configmap "web-config" not found',
      5
    )
    const reported = await runAction(
      baseInputs({ namespaces: ns, 'label-selector': 'app=web', 'verify-timeout': '0' })
    )
    expect(parse(reported.outputs).pods[0]).toMatchObject({
      decision: 'report',
      cause: 'missing ConfigMap web-config',
      detail: 'missing ConfigMap web-config: a delete cannot fix it'
    })
    expect(scrubbed(reported.stdout)).toMatch(
      /::warning title=Pod Cleaner%3A .* needs a fix a delete cannot make::/
    )
    const forced = await runAction(
      baseInputs({
        namespaces: ns,
        'label-selector': 'app=web',
        'verify-timeout': '0',
        'delete-unfixable': 'true'
      })
    )
    expect(parse(forced.outputs).pods[0]).toMatchObject({
      decision: 'deleted',
      cause: 'missing ConfigMap web-config'
    })
  })

  it('a missing Secret (CreateContainerConfigError) is reported with its cause', async () => {
    await createDeployment(ns, 'worker', { fault: 'configerror' })
    await waitForPods(
      ns,
      'app=worker',
      1,
      p => p.status?.containerStatuses?.[0]?.state?.waiting?.reason === 'CreateContainerConfigError'
    )
    const run = await runAction(baseInputs({ namespaces: ns, 'label-selector': 'app=worker' }))
    expect(parse(run.outputs).pods[0]).toMatchObject({
      decision: 'report',
      cause: 'missing Secret db-creds'
    })
  })

  it('without RBAC for pods/log and events: a one-line notice, and the cleanup goes on', async () => {
    const role = `${ns}-no-diagnosis`
    await admin().rbac.createClusterRole({
      body: {
        metadata: { name: role },
        rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get', 'list', 'watch', 'delete'] }]
      }
    })
    await admin().rbac.createClusterRoleBinding({
      body: {
        metadata: { name: role },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: role },
        subjects: [
          { apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'diagnosis-denied' }
        ]
      }
    })
    try {
      await createDeployment(ns, 'batch', { fault: 'crashloop' })
      await waitForPods(ns, 'app=batch', 1, isCrashLooping)
      // The token file lists only admin and restricted; impersonate a user without those rights.
      const kc = kubeConfigFrom(adminKubeconfigText())
      const user = kc.getCurrentUser()!
      const kubeconfig = adminKubeconfigText().replace(
        `token: ${user.token}`,
        `token: ${user.token}\n    as: diagnosis-denied`
      )
      const run = await runAction({
        ...baseInputs({ namespaces: ns, 'label-selector': 'app=batch', 'verify-timeout': '0' }),
        kubeconfig
      })
      expect(run.code).toBe(0)
      expect(run.stdout).toContain(
        '::notice::Diagnosis incomplete: pods/log: forbidden (RBAC) — the cleanup goes on without it'
      )
      expect(run.stdout).toContain('::notice::Diagnosis incomplete: events: forbidden (RBAC)')
      expect(parse(run.outputs).pods[0]).toMatchObject({ decision: 'deleted' })
    } finally {
      await admin()
        .rbac.deleteClusterRoleBinding({ name: role })
        .catch(() => undefined)
      await admin()
        .rbac.deleteClusterRole({ name: role })
        .catch(() => undefined)
    }
  })
})
