// Stops the control plane that global-setup started (never a reused one).

import { execFileSync } from 'node:child_process'

export default async function globalTeardown(): Promise<void> {
  const dir = process.env.POD_CLEANER_CLUSTER_STARTED
  if (!dir) return
  execFileSync('bash', ['hack/cluster.sh', 'down', dir], {
    stdio: ['ignore', 'inherit', 'inherit'],
    timeout: 120_000
  })
}
