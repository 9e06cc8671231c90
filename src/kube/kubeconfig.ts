// Loading the kubeconfig: from the input's content, or KUBECONFIG / ~/.kube/config / in-cluster.
// Every secret in it is returned so the caller can mask it before anything is logged.

import { KubeConfig } from '@kubernetes/client-node'
import { parse } from 'yaml'

export interface LoadedKubeConfig {
  kubeConfig: KubeConfig
  /** Where it came from, for the log: "input", a file path, or "in-cluster". */
  source: string
  contextName: string
}

/** Values inside a kubeconfig that must never appear in a log. */
export function kubeconfigSecrets(content: string): string[] {
  const secrets = new Set<string>()
  const trimmed = content.trim()
  if (trimmed) {
    secrets.add(trimmed)
    secrets.add(Buffer.from(content).toString('base64'))
  }
  let doc: unknown
  try {
    doc = parse(content)
  } catch {
    return [...secrets]
  }
  const secretKeys =
    /^(token|password|client-key-data|client-certificate-data|access-token|refresh-token|id-token|client-secret|idp-certificate-authority-data)$/
  const walk = (node: unknown, key?: string): void => {
    if (typeof node === 'string') {
      if (key && secretKeys.test(key) && node.length >= 4) secrets.add(node)
    } else if (Array.isArray(node)) {
      node.forEach(item => walk(item))
    } else if (node && typeof node === 'object') {
      const obj = node as Record<string, unknown>
      // exec plugin env entries are {name, value}: values may hold secrets.
      if (typeof obj.name === 'string' && typeof obj.value === 'string' && obj.value.length >= 4) {
        secrets.add(obj.value)
      }
      for (const [k, v] of Object.entries(obj)) walk(v, k)
    }
  }
  walk(doc)
  // Base64 data is also decoded by the client: mask the decoded key too.
  for (const value of [...secrets]) {
    if (/^[A-Za-z0-9+/]+={0,2}$/.test(value) && value.length > 40) {
      const decoded = Buffer.from(value, 'base64').toString('utf8')
      if (decoded.includes('PRIVATE KEY')) {
        decoded
          .split('\n')
          .filter(line => line.length > 20 && !line.startsWith('-----'))
          .forEach(line => secrets.add(line))
      }
    }
  }
  return [...secrets]
}

/** A kubeconfig the Action cannot use; `field` says which part (the caller names the input). */
export class KubeConfigError extends Error {
  override name = 'KubeConfigError'
  constructor(
    readonly field: 'kubeconfig' | 'context',
    message: string
  ) {
    super(message)
  }
}

/** The kubeconfig from the input, else from where kubectl would look; says where from. */
function readKubeConfig(content: string): { kc: KubeConfig; source: string } {
  const kc = new KubeConfig()
  if (content.trim() !== '') {
    try {
      kc.loadFromString(content)
    } catch (error) {
      throw new KubeConfigError(
        'kubeconfig',
        `the kubeconfig cannot be read (${(error as Error).message}); expected a kubeconfig with clusters, users and contexts.`
      )
    }
    return { kc, source: 'input' }
  }
  kc.loadFromDefault()
  const cluster = kc.getCurrentCluster()
  // client-node silently falls back to http://localhost:8080; we refuse to.
  if (!cluster || (cluster.name === 'cluster' && cluster.server === 'http://localhost:8080')) {
    throw new KubeConfigError(
      'kubeconfig',
      `empty, and no kubeconfig was found; expected the input (a secret holding the kubeconfig), a KUBECONFIG file, ~/.kube/config, or a pod's service account.`
    )
  }
  const source = process.env.KUBECONFIG
    ? `KUBECONFIG (${process.env.KUBECONFIG})`
    : cluster.name === 'inCluster'
      ? 'in-cluster service account'
      : '~/.kube/config'
  return { kc, source }
}

/** Switches to `context` (or keeps current-context); checks that it exists. */
function selectContext(kc: KubeConfig, context: string | undefined): string {
  const known = () =>
    kc
      .getContexts()
      .map(c => c.name)
      .join(', ') || '(none)'
  if (context) {
    if (!kc.getContextObject(context)) {
      throw new KubeConfigError(
        'context',
        `context ${JSON.stringify(context)} is not in the kubeconfig; expected one of: ${known()}.`
      )
    }
    kc.setCurrentContext(context)
  }
  const current = kc.getCurrentContext()
  if (!current || !kc.getContextObject(current)) {
    throw new KubeConfigError(
      'context',
      `the kubeconfig has no usable current-context (${JSON.stringify(current ?? '')}); expected the context input set to one of: ${known()}.`
    )
  }
  return current
}

/** The context's cluster must exist and be served over https (http only with skip-verify). */
function checkCluster(kc: KubeConfig, current: string): void {
  const cluster = kc.getCurrentCluster()
  if (!cluster) {
    throw new KubeConfigError(
      'kubeconfig',
      `context ${JSON.stringify(current)} names a cluster that is not in the kubeconfig; expected a matching clusters entry.`
    )
  }
  const where = `cluster ${JSON.stringify(cluster.name)} has server ${JSON.stringify(cluster.server)}`
  let url: URL
  try {
    url = new URL(cluster.server)
  } catch {
    throw new KubeConfigError('kubeconfig', `${where}; expected an https:// URL.`)
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && cluster.skipTLSVerify)) {
    throw new KubeConfigError(
      'kubeconfig',
      `${where}; expected an https:// URL (plain http only with insecure-skip-tls-verify: true).`
    )
  }
}

/** Loads and checks the kubeconfig; errors say which part is wrong and what was expected. */
export function loadKubeConfig(content: string, context: string | undefined): LoadedKubeConfig {
  const { kc, source } = readKubeConfig(content)
  const current = selectContext(kc, context)
  checkCluster(kc, current)
  return { kubeConfig: kc, source, contextName: current }
}
