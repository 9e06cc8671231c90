// Fallback for scenario 5 while the notifications module is not wired into dist/: bundled by the
// bench with esbuild (into a temp dir) from src/notify, run as a child process. It builds a result
// with N deleted pods, turns it into the Notification every channel gets, and sends it through the
// real Bark channel to the bench's local Bark server (argv[2]). argv[3] = N.

import { barkChannel } from '../../src/notify/channels/bark.ts'
import { buildNotification } from '../../src/notify/message.ts'
import { notify } from '../../src/notify/router.ts'
import { countRows } from '../../src/domain/result.ts'

const server = process.argv[2]
const n = Number(process.argv[3])
const pods = Array.from({ length: n }, (_, i) => ({
  namespace: `team-${String(i % 300).padStart(3, '0')}`,
  pod: `checkout-api-7d9f8b6c5d-${(i * 7919).toString(36).padStart(5, 'x')}`,
  uid: `uid-${i}`,
  owner: { kind: 'ReplicaSet', name: 'checkout-api-7d9f8b6c5d', uid: `rs-${i}` },
  container: 'app',
  init: false,
  reason: 'CrashLoopBackOff',
  status: 'CrashLoopBackOff',
  exitCode: 1,
  restarts: 12,
  ageSeconds: 7200,
  message: 'back-off 5m0s restarting failed container=app pod=checkout-api',
  decision: 'deleted',
  outcome: i % 3 === 0 ? 'not-recovered' : 'recovered',
  outcomeDetail: i % 3 === 0 ? 'replacement CrashLoopBackOff (exit 1)' : undefined,
  recoveredInMs: i % 3 === 0 ? undefined : 1800
}))
const result = {
  version: 1,
  startedAt: new Date().toISOString(),
  durationMs: 4200,
  dryRun: false,
  mode: 'delete',
  cluster: { context: 'prod-eu-west-1', server: 'https://kubernetes.example' },
  scope: { namespaces: [], excludeNamespaces: ['kube-system'] },
  podsScanned: 50000,
  pages: 100,
  counts: countRows(pods),
  breaker: { tripped: false, unhealthy: n, podsInScope: 50000, percent: (n / 500).toFixed(1), limitPercent: 30 },
  pods,
  errors: [],
  verification: { budgetSeconds: 120, durationMs: 3000 },
  escalations: [],
  warnings: [],
  timings: { listMs: 2000, actMs: 1000 },
  apiRequests: 300
}
const notification = buildNotification(result, { runUrl: 'https://github.com/acme/ops/actions/runs/123' })
const channel = barkChannel({
  server,
  deviceKeys: ['benchDeviceKey0123456789'],
  critical: false,
  minSeverity: 'info'
})
const outcomes = await notify(notification, [channel], { budgetMs: 10_000 })
process.stdout.write(
  `${JSON.stringify({ outcomes, lines: notification.lines.length, untruncatedLinesBytes: Buffer.byteLength(notification.lines.join('\n')) })}\n`
)
