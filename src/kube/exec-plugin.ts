// Exec credential plugins (`users[].user.exec` in a kubeconfig: `aws eks get-token`,
// gke-gcloud-auth-plugin, kubelogin …), run the way kubectl runs them: KUBERNETES_EXEC_INFO in the
// environment, stdin closed (never interactive), the answer an ExecCredential whose token is kept
// until its expirationTimestamp draws near. Unlike client-node's runner this one has a timeout,
// says which command is missing and what usually installs it, and reports a failure with the
// plugin's exit code and stderr, every known secret scrubbed out.

import { spawn } from 'node:child_process'
import { isAbsolute, resolve } from 'node:path'
import {
  CredentialError,
  refreshingCredential,
  type Credential,
  type CredentialSource
} from './credentials.js'
import type { Secrets } from './credentials.js'

/** The `exec` entry of a kubeconfig user, as written (client-node passes it through). */
export interface ExecConfig {
  command?: string
  args?: string[] | null
  env?: Array<{ name?: string; value?: string }> | null
  apiVersion?: string
  installHint?: string
  provideClusterInfo?: boolean
}

export interface ExecPluginOptions {
  /** The kubeconfig user's name (for messages). */
  user: string
  exec: ExecConfig
  /** The cluster the credential is for, passed on when the entry sets provideClusterInfo. */
  cluster?: { server: string; caData?: string; skipTLSVerify?: boolean; tlsServerName?: string }
  /** Directory of the kubeconfig file that names the command ("./plugin" is relative to it). */
  baseDir?: string
  secrets: Secrets
  /** How long one run of the plugin may take (the rest of the run's budget, at most a minute). */
  timeoutMs: () => number
  /** Ms epoch now (tests). */
  now?: () => number
}

const API_VERSIONS = ['client.authentication.k8s.io/v1', 'client.authentication.k8s.io/v1beta1']
const MAX_OUTPUT = 1 << 20

/** What usually provides a plugin's command on a GitHub runner. */
const PROVIDERS: Record<string, string> = {
  aws: 'it is the AWS CLI, which `aws eks update-kubeconfig` writes into kubeconfigs: run aws-actions/configure-aws-credentials first (GitHub-hosted runners have the AWS CLI; install it on self-hosted runners)',
  'aws-iam-authenticator':
    'install aws-iam-authenticator, or write the kubeconfig with `aws eks update-kubeconfig` after aws-actions/configure-aws-credentials (it runs `aws eks get-token` instead)',
  'gke-gcloud-auth-plugin':
    'install it with google-github-actions/setup-gcloud (install_components: gke-gcloud-auth-plugin) after google-github-actions/auth, then write the kubeconfig with google-github-actions/get-gke-credentials',
  gcloud:
    'install the Google Cloud SDK with google-github-actions/setup-gcloud after google-github-actions/auth',
  kubelogin:
    'install it with azure/use-kubelogin, after azure/login; azure/aks-set-context (use-kubelogin: true) writes the kubeconfig',
  az: 'it is the Azure CLI: run azure/login first',
  doctl: 'install it with digitalocean/action-doctl'
}

/** What to do about a command that is not on the runner (exported for tests). */
export function missingHint(command: string, installHint: string | undefined): string {
  const base = command.split('/').pop() ?? command
  const known = PROVIDERS[base]
  const parts = [
    known ?? 'install it on the runner, or run the step that sets up this cluster first',
    installHint ? `the kubeconfig says: ${oneLine(installHint, 300)}` : undefined
  ]
  return parts.filter(Boolean).join('; ')
}

/** Newlines and runs of spaces → one line; cut at `max` characters. */
function oneLine(text: string, max: number): string {
  const flat = text
    .split(/\r?\n/)
    .map(l => l.trim())
    .filter(Boolean)
    .join(' | ')
  return flat.length > max ? `${flat.slice(0, max)}…` : flat
}

/** KUBERNETES_EXEC_INFO: what kubectl tells a plugin about the request. */
function execInfo(options: ExecPluginOptions, apiVersion: string): string {
  const { cluster, exec } = options
  const spec: Record<string, unknown> = { interactive: false }
  if (exec.provideClusterInfo && cluster) {
    spec.cluster = {
      server: cluster.server,
      ...(cluster.caData && { 'certificate-authority-data': cluster.caData }),
      ...(cluster.skipTLSVerify && { 'insecure-skip-tls-verify': true }),
      ...(cluster.tlsServerName && { 'tls-server-name': cluster.tlsServerName })
    }
  }
  return JSON.stringify({ apiVersion, kind: 'ExecCredential', spec })
}

interface Exit {
  code: number | null
  signal: NodeJS.Signals | null
  stdout: string
  stderr: string
  timedOut: boolean
  spawnError?: NodeJS.ErrnoException
}

function runPlugin(command: string, args: string[], env: NodeJS.ProcessEnv, timeoutMs: number) {
  return new Promise<Exit>(resolvePromise => {
    // Its own process group, so a timeout also ends what the plugin started (python, node …).
    const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'], detached: true })
    let stdout = ''
    let stderr = ''
    let timedOut = false
    let spawnError: NodeJS.ErrnoException | undefined
    child.stdout.setEncoding('utf8')
    child.stderr.setEncoding('utf8')
    child.stdout.on('data', (d: string) => {
      if (stdout.length < MAX_OUTPUT) stdout += d
    })
    child.stderr.on('data', (d: string) => {
      if (stderr.length < MAX_OUTPUT) stderr += d
    })
    const timer = setTimeout(() => {
      timedOut = true
      try {
        process.kill(-(child.pid as number), 'SIGKILL')
      } catch {
        child.kill('SIGKILL')
      }
    }, timeoutMs)
    child.on('error', error => (spawnError = error as NodeJS.ErrnoException))
    child.on('close', (code, signal) => {
      clearTimeout(timer)
      resolvePromise({ code, signal, stdout, stderr, timedOut, spawnError })
    })
  })
}

/** The plugin's answer → a Credential; never quotes the answer (it holds the token). */
export function parseCredential(stdout: string, expected: string, what: string): Credential {
  let doc: {
    apiVersion?: unknown
    kind?: unknown
    status?: {
      token?: unknown
      expirationTimestamp?: unknown
      clientCertificateData?: unknown
      clientKeyData?: unknown
    }
  }
  try {
    doc = JSON.parse(stdout) as typeof doc
  } catch {
    throw new CredentialError(
      `${what} printed something that is not JSON; expected an ExecCredential (${expected}) on stdout.`
    )
  }
  if (doc?.kind !== 'ExecCredential' || doc.apiVersion !== expected) {
    throw new CredentialError(
      `${what} answered kind ${JSON.stringify(doc?.kind ?? null)}, apiVersion ${JSON.stringify(doc?.apiVersion ?? null)}; expected an ExecCredential of ${expected} (the apiVersion the kubeconfig's exec entry names).`
    )
  }
  const status = doc.status ?? {}
  const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined)
  const credential: Credential = {
    token: str(status.token),
    clientCertificateData: str(status.clientCertificateData),
    clientKeyData: str(status.clientKeyData)
  }
  if (!credential.token && !(credential.clientCertificateData && credential.clientKeyData)) {
    throw new CredentialError(
      `${what} answered an ExecCredential without status.token or clientCertificateData + clientKeyData; expected one of them.`
    )
  }
  const expires = str(status.expirationTimestamp)
  if (expires !== undefined) {
    const at = Date.parse(expires)
    if (Number.isNaN(at)) {
      throw new CredentialError(
        `${what} answered expirationTimestamp ${JSON.stringify(expires.slice(0, 40))}; expected an RFC 3339 time.`
      )
    }
    credential.expiresAt = at
  }
  return credential
}

/** Why a plugin's run gave no credential, as the error to show (secrets scrubbed), if it did not. */
function checkExit(
  exit: Awaited<ReturnType<typeof runPlugin>>,
  ctx: {
    what: string
    configured: string
    installHint?: string
    timeoutMs: number
    secrets: Secrets
  }
): void {
  const { what, configured, timeoutMs, secrets } = ctx
  if (exit.spawnError?.code === 'ENOENT') {
    throw new CredentialError(
      `${what}: command ${JSON.stringify(configured)} was not found on this runner; ${missingHint(configured, ctx.installHint)}.`
    )
  }
  if (exit.spawnError) {
    throw new CredentialError(
      `${what} could not be started (${exit.spawnError.code ?? exit.spawnError.message}); expected an executable command.`
    )
  }
  if (exit.timedOut) {
    throw new CredentialError(
      `${what} did not answer within ${Math.round(timeoutMs / 1000)} s and was stopped; expected it to print an ExecCredential without asking for input.`
    )
  }
  if (exit.code !== 0) {
    const how =
      exit.code === null ? `was killed by ${exit.signal}` : `exited with code ${exit.code}`
    const stderr = oneLine(secrets.scrub(exit.stderr), 1000)
    throw new CredentialError(`${what} ${how}${stderr ? `: ${stderr}` : ' (no stderr)'}`)
  }
}

/** A CredentialSource that runs the kubeconfig user's exec plugin, again before its token expires. */
export function execCredentialSource(options: ExecPluginOptions): CredentialSource {
  const { exec, user, secrets } = options
  const now = options.now ?? Date.now
  const configured = exec.command ?? ''
  // kubectl: a relative path with a separator is relative to the kubeconfig that names it.
  const command =
    configured.includes('/') && !isAbsolute(configured)
      ? resolve(options.baseDir ?? process.cwd(), configured)
      : configured
  const apiVersion = exec.apiVersion ?? API_VERSIONS[0]!
  const what = `exec credential plugin ${JSON.stringify(configured)} (kubeconfig user ${JSON.stringify(user)})`
  const envEntries = (exec.env ?? []).filter(
    (e): e is { name: string; value: string } =>
      typeof e?.name === 'string' && typeof e?.value === 'string'
  )
  secrets.known(envEntries.map(e => e.value))

  const obtain = async (): Promise<Credential> => {
    if (!configured) throw new CredentialError(`${what}: the exec entry has no command.`)
    if (!API_VERSIONS.includes(apiVersion)) {
      throw new CredentialError(
        `${what} uses apiVersion ${JSON.stringify(apiVersion)}; expected one of ${API_VERSIONS.join(', ')} (v1alpha1 is no longer supported by Kubernetes).`
      )
    }
    const env: NodeJS.ProcessEnv = { ...process.env, KUBERNETES_EXEC_INFO: '' }
    for (const e of envEntries) env[e.name] = e.value
    env.KUBERNETES_EXEC_INFO = execInfo(options, apiVersion)
    const timeoutMs = Math.max(1000, options.timeoutMs())
    const exit = await runPlugin(command, (exec.args ?? []).map(String), env, timeoutMs)
    checkExit(exit, { what, configured, installHint: exec.installHint, timeoutMs, secrets })
    const credential = parseCredential(exit.stdout, apiVersion, what)
    // Masked before anything else can print it.
    secrets.add(credential.token)
    secrets.add(credential.clientKeyData)
    return credential
  }

  return {
    description: `exec plugin ${JSON.stringify(configured.split('/').pop())} (user ${JSON.stringify(user)})`,
    // Concurrent requests share one run of the plugin.
    ...refreshingCredential(obtain, now)
  }
}
