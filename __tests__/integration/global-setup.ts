// Starts ONE real control plane (etcd, kube-apiserver, controller-manager, scheduler, kwok) for
// all integration tests, via hack/cluster.sh (which builds the binaries on first use, cached).
// Set POD_CLEANER_CLUSTER_DIR to an already running cluster's directory to reuse it.

import { execFileSync } from 'node:child_process'
import { existsSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export default async function globalSetup(): Promise<void> {
  const reuse = process.env.POD_CLEANER_CLUSTER_DIR
  if (reuse && existsSync(join(reuse, 'cluster.json'))) {
    process.env.POD_CLEANER_CLUSTER = join(reuse, 'cluster.json')
    return
  }
  const dir = mkdtempSync(join(tmpdir(), 'pod-cleaner-it-'))
  const started = Date.now()
  process.stderr.write(
    `\n[integration] starting the control plane in ${dir} (first run builds it: see hack/README.md)\n`
  )
  execFileSync('bash', ['hack/cluster.sh', 'up', dir], {
    stdio: ['ignore', 'inherit', 'inherit'],
    timeout: 80 * 60_000
  })
  process.stderr.write(
    `[integration] control plane ready in ${((Date.now() - started) / 1000).toFixed(1)} s\n`
  )
  process.env.POD_CLEANER_CLUSTER = join(dir, 'cluster.json')
  process.env.POD_CLEANER_CLUSTER_STARTED = dir
}
