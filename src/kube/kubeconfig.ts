// Loading the kubeconfig: from the input's content, or KUBECONFIG / ~/.kube/config / in-cluster.
// Every secret in it is returned so the caller can mask it before anything is logged.

import { KubeConfig } from '@kubernetes/client-node'
import { existsSync } from 'node:fs'
import { delimiter, dirname } from 'node:path'
import { load as parse } from 'js-yaml'

export interface LoadedKubeConfig {
  kubeConfig: KubeConfig
  /** Where it came from, for the log: "input", a file path, or "in-cluster". */
  source: string
  contextName: string
  /** The directory of the file each user came from (an exec plugin's "./cmd" is relative to it). */
  userDirs?: Record<string, string>
  /** Things worth a look that do not stop the run (insecure-skip-tls-verify …). */
  warnings?: string[]
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

/** Where a YAML error is, never what the line says (it may hold a credential). */
function where(error: unknown): string {
  const mark = (error as { mark?: { line?: number; column?: number } })?.mark
  if (mark?.line !== undefined) return `invalid YAML at line ${mark.line + 1}`
  const message = (error as Error)?.message ?? String(error)
  return /^Duplicate|^\w+ is not|must|missing|Missing/.test(message)
    ? message.slice(0, 120)
    : 'not a kubeconfig'
}

/**
 * KUBECONFIG with several files, merged as kubectl merges them: files that do not exist are
 * skipped, the first file to name a cluster, user or context wins, and so does the first
 * current-context. (client-node throws on a name two files share and lets the LAST
 * current-context win.)
 */
function mergeKubeconfigFiles(list: string): {
  kc: KubeConfig
  userDirs: Record<string, string>
} {
  const files = list.split(delimiter).filter(Boolean)
  const present = files.filter(f => existsSync(f))
  if (present.length === 0) {
    throw new KubeConfigError(
      'kubeconfig',
      `empty, and KUBECONFIG names no file that exists (${files.join(delimiter)}); expected the input, or KUBECONFIG set by an earlier step to kubeconfig files.`
    )
  }
  const merged = { clusters: [], users: [], contexts: [] } as {
    clusters: ReturnType<KubeConfig['getClusters']>
    users: ReturnType<KubeConfig['getUsers']>
    contexts: ReturnType<KubeConfig['getContexts']>
  }
  const userDirs: Record<string, string> = {}
  let currentContext: string | undefined
  for (const file of present) {
    const one = new KubeConfig()
    try {
      one.loadFromFile(file)
    } catch (error) {
      throw new KubeConfigError(
        'kubeconfig',
        `KUBECONFIG file ${file} cannot be read (${where(error)}); expected a kubeconfig with clusters, users and contexts.`
      )
    }
    const add = <T extends { name: string }>(into: T[], items: T[]) => {
      const added: T[] = []
      for (const item of items)
        if (!into.some(x => x.name === item.name)) {
          into.push(item)
          added.push(item)
        }
      return added
    }
    add(merged.clusters, one.getClusters())
    for (const user of add(merged.users, one.getUsers())) userDirs[user.name] = dirname(file)
    add(merged.contexts, one.getContexts())
    currentContext ||= one.getCurrentContext() || undefined
  }
  const kc = new KubeConfig()
  kc.loadFromOptions({ ...merged, currentContext })
  return { kc, userDirs }
}

/** The kubeconfig from the input, else from where kubectl would look; says where from. */
function readKubeConfig(
  content: string,
  file?: string
): {
  kc: KubeConfig
  source: string
  userDirs?: Record<string, string>
} {
  const kc = new KubeConfig()
  if (file) {
    // A path: relative certificate and key files are relative to it, as kubectl reads them.
    try {
      kc.loadFromFile(file)
    } catch (error) {
      throw new KubeConfigError(
        'kubeconfig',
        `the file ${file} cannot be read as a kubeconfig (${where(error)}); expected a kubeconfig with clusters, users and contexts.`
      )
    }
    const dir = dirname(file)
    return {
      kc,
      source: `file ${file}`,
      userDirs: Object.fromEntries(kc.getUsers().map(u => [u.name, dir]))
    }
  }
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
  const list = process.env.KUBECONFIG ?? ''
  if (list !== '') {
    const { kc: merged, userDirs } = mergeKubeconfigFiles(list)
    return { kc: merged, source: `KUBECONFIG (${list})`, userDirs }
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
  if (cluster.name === 'inCluster') return { kc, source: 'in-cluster service account' }
  return { kc, source: '~/.kube/config' }
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

/** What the context's cluster entry does that deserves a warning in the summary. */
function clusterWarnings(kc: KubeConfig): string[] {
  const cluster = kc.getCurrentCluster()
  if (!cluster?.skipTLSVerify) return []
  return [
    `The kubeconfig's cluster ${JSON.stringify(cluster.name)} sets insecure-skip-tls-verify: the apiserver's certificate is not checked, so the credential goes to whoever answers at ${cluster.server}. Set certificate-authority-data to the cluster's CA instead.`
  ]
}

/** How the context's user authenticates, in words (for the summary; never a value). */
export function credentialKind(kc: KubeConfig): string {
  const user = kc.getCurrentUser()
  if (!user) return 'no user (anonymous)'
  if (kc.getCurrentCluster()?.name === 'inCluster') return 'service account token'
  const exec = user.exec as { command?: string } | undefined
  if (exec) return `exec plugin ${JSON.stringify((exec.command ?? '').split('/').pop())}`
  if (user.authProvider) return `auth provider ${JSON.stringify(user.authProvider.name)}`
  if (user.token) return 'token'
  if (user.certData || user.certFile) return 'client certificate'
  if (user.username) return 'username and password'
  return 'no credentials (anonymous)'
}

/** Loads and checks the kubeconfig; errors say which part is wrong and what was expected. */
export function loadKubeConfig(
  content: string,
  context: string | undefined,
  file?: string
): LoadedKubeConfig {
  const { kc, source, userDirs } = readKubeConfig(content, file)
  const current = selectContext(kc, context)
  checkCluster(kc, current)
  return { kubeConfig: kc, source, contextName: current, userDirs, warnings: clusterWarnings(kc) }
}
