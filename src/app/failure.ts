// What the Action and the CLI show when a run ends in an error: a worded failure (bad input, an
// unusable kubeconfig, a refused credential, the apiserver's answer …) is its message alone; an
// unexpected one (a bug, or an untranslated system error such as EISDIR) also gets its stack
// trace, told in src/ files and lines through the source map committed next to the bundle.

import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { InputError, NamespaceNotFoundError } from '../domain/errors.js'
import { CredentialError } from '../kube/credentials.js'
import { ApiError, TransportError } from '../kube/errors.js'
import { KubeConfigError } from '../kube/kubeconfig.js'
import { mapStack, type MapPayload } from '../lib/stack-map.js'
import { DeliveryError } from '../notify/delivery.js'

/** Errors whose message says all the user needs. */
const WORDED = [
  InputError,
  NamespaceNotFoundError,
  KubeConfigError,
  CredentialError,
  ApiError,
  TransportError,
  DeliveryError
]

/**
 * An error nobody put into words for the user: not one of the classes above, nor a plain `Error`
 * thrown with a message (`throw new Error('--file works with scan only …')`); built-in faults
 * (TypeError, RangeError …), library errors and system errors (they carry a `syscall`) are.
 */
export function isUnexpected(error: unknown): boolean {
  if (!(error instanceof Error)) return false
  if (WORDED.some(type => error instanceof type)) return false
  return error.constructor !== Error || 'syscall' in error
}

/**
 * The error's stack with the bundle's frames in src/ terms. The source map next to the running
 * bundle (dist/index.js → dist/index.js.map) is read only now; without one (tests running the
 * sources, a bundle built without maps) the stack is returned as it is.
 */
export function sourceStack(error: Error, bundle: string = import.meta.url): string {
  const stack = error.stack ?? `${error.name}: ${error.message}`
  if (!bundle.startsWith('file:')) return stack
  let map: MapPayload
  try {
    map = JSON.parse(readFileSync(`${fileURLToPath(bundle)}.map`, 'utf8')) as MapPayload
  } catch {
    return stack
  }
  try {
    return mapStack(stack, bundle, map)
  } catch {
    return stack
  }
}
