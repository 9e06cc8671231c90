// Credentials that expire and the values we must never print: when a credential is asked for
// again, what an exec plugin's answer must look like, what a missing command's error says, and
// the Secrets registry (mask once, scrub everywhere). Pure: the plugin itself runs in
// integration/exec-plugin.test.ts.
import { describe, expect, it } from '@jest/globals'
import { CredentialError, refreshAt, Secrets } from '../../src/kube/credentials.js'
import { missingHint, parseCredential } from '../../src/kube/exec-plugin.js'

const V1 = 'client.authentication.k8s.io/v1'
const answer = (status: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
  JSON.stringify({ apiVersion: V1, kind: 'ExecCredential', status, ...extra })

describe('refreshAt', () => {
  it.each([
    ['no expiry: kept until a 401', undefined, Infinity],
    ['a 5 s token: asked again 1 s before', 5_000, 4_000],
    ['a 15 min token: 60 s before (a fifth would be 3 min)', 900_000, 840_000],
    ['already expired: at once', -1_000, -1_000]
  ])('%s', (_what, expiresIn, expected) => {
    expect(refreshAt({ token: 't', expiresAt: expiresIn }, 0)).toBe(expected)
  })
})

describe('parseCredential', () => {
  it('a token with an expirationTimestamp', () => {
    expect(
      parseCredential(
        answer({ token: 'tok-1', expirationTimestamp: '2030-01-02T03:04:05Z' }),
        V1,
        'plugin'
      )
    ).toEqual({
      token: 'tok-1',
      clientCertificateData: undefined,
      clientKeyData: undefined,
      expiresAt: Date.parse('2030-01-02T03:04:05Z')
    })
  })

  it('a client certificate instead of a token', () => {
    expect(
      parseCredential(answer({ clientCertificateData: 'CERT', clientKeyData: 'KEY' }), V1, 'p')
    ).toMatchObject({ token: undefined, clientCertificateData: 'CERT', clientKeyData: 'KEY' })
  })

  it.each([
    ['not JSON', 'token=abc', /printed something that is not JSON; expected an ExecCredential/],
    [
      'another apiVersion',
      answer({ token: 'x' }, { apiVersion: 'client.authentication.k8s.io/v1beta1' }),
      /apiVersion "client.authentication.k8s.io\/v1beta1"; expected an ExecCredential of client.authentication.k8s.io\/v1/
    ],
    ['another kind', answer({ token: 'x' }, { kind: 'Secret' }), /answered kind "Secret"/],
    ['no token', answer({}), /without status.token or clientCertificateData/],
    ['a key without its certificate', answer({ clientKeyData: 'K' }), /without status.token/],
    [
      'a bad timestamp',
      answer({ token: 'x', expirationTimestamp: 'tomorrow' }),
      /expirationTimestamp "tomorrow"; expected an RFC 3339 time/
    ]
  ])('%s: a CredentialError saying what was expected', (_what, stdout, message) => {
    expect(() => parseCredential(stdout, V1, 'plugin')).toThrow(CredentialError)
    expect(() => parseCredential(stdout, V1, 'plugin')).toThrow(message)
  })

  it('never quotes the answer (it holds the token)', () => {
    const stdout = answer({ token: 'secret-token-123' }, { kind: 'Nope' })
    let message = ''
    try {
      parseCredential(stdout, V1, 'plugin')
    } catch (error) {
      message = (error as Error).message
    }
    expect(message.includes('secret-token-123')).toBe(false)
  })
})

describe('missingHint', () => {
  it.each([
    ['aws', /aws-actions\/configure-aws-credentials/],
    ['/usr/local/bin/aws', /aws-actions\/configure-aws-credentials/],
    ['gke-gcloud-auth-plugin', /setup-gcloud \(install_components: gke-gcloud-auth-plugin\)/],
    ['kubelogin', /azure\/use-kubelogin.*azure\/aks-set-context/],
    ['my-plugin', /install it on the runner, or run the step that sets up this cluster first/]
  ])('%s', (command, hint) => {
    expect(missingHint(command, undefined)).toMatch(hint)
  })

  it("adds the kubeconfig's installHint, on one line", () => {
    expect(missingHint('my-plugin', 'brew install\nmy-plugin')).toMatch(
      /; the kubeconfig says: brew install \| my-plugin$/
    )
  })
})

describe('Secrets', () => {
  it('masks a value once, scrubs every known value, longest first', () => {
    const masked: string[] = []
    const secrets = new Secrets(v => masked.push(v))
    secrets.known(['kubeconfig-token'])
    secrets.add('abcd1234')
    secrets.add('abcd1234')
    secrets.add('abcd1234-longer')
    secrets.add('abc') // too short to be worth masking
    expect(masked).toEqual(['abcd1234', 'abcd1234-longer'])
    expect(secrets.scrub('a kubeconfig-token, abcd1234-longer and abcd1234.')).toBe(
      'a ***, *** and ***.'
    )
  })

  it("masks a PEM key's body lines too", () => {
    const masked: string[] = []
    const secrets = new Secrets(v => masked.push(v))
    const line = 'MHcCAQEEIB0123456789abcdefghijklmnopqrstuvwxyzABCD'
    secrets.add(`-----BEGIN EC PRIVATE KEY-----\n${line}\n-----END EC PRIVATE KEY-----\n`)
    expect(masked).toContain(line)
  })
})
