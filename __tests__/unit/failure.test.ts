// Which failures get a stack trace (app/failure.ts): the worded ones keep their message alone.
import { describe, expect, it } from '@jest/globals'
import { isUnexpected } from '../../src/app/failure.js'
import { InputError, NamespaceNotFoundError } from '../../src/domain/errors.js'
import { KubeConfigError } from '../../src/kube/kubeconfig.js'
import { TransportError } from '../../src/kube/errors.js'

/** What Node throws for writeFileSync on a directory. */
const systemError = () =>
  Object.assign(new Error("EISDIR: illegal operation on a directory, open 'x'"), {
    code: 'EISDIR',
    errno: -21,
    syscall: 'open'
  })

describe('isUnexpected', () => {
  it.each([
    ['bad input', new InputError(["Input 'mode': expected one of delete, evict"])],
    ['a missing namespace', new NamespaceNotFoundError('shop')],
    ['an unusable kubeconfig', new KubeConfigError('context', 'context "prod" is not in it')],
    ['no answer from the apiserver', new TransportError('GET', '/api', new Error('x'), true)],
    ['a plain Error with a message for the user', new Error('--file works with scan only')],
    ['a thrown string', 'boom']
  ])('%s: no', (_, error) => expect(isUnexpected(error)).toBe(false))

  it.each([
    ['a TypeError (a bug)', new TypeError("Cannot read properties of undefined (reading 'x')")],
    ['a RangeError', new RangeError('Invalid array length')],
    ['an untranslated system error', systemError()],
    ['a library error', new (class ZodLikeError extends Error {})('invalid')]
  ])('%s: yes', (_, error) => expect(isUnexpected(error)).toBe(true))
})
