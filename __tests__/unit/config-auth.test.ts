// The way in (issue 16): the kubeconfig input may be a path; auth: github-oidc with server,
// certificate-authority and audience; every combination that cannot work is one problem naming
// the input and what was expected.
import { describe, expect, it } from '@jest/globals'
import { from, problems } from '../fixtures/config.js'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { buildConfig } from '../../src/config/config.js'
import type { ActionInputName as InputName } from '../../src/config/inputs.js'

/** A self-signed test CA (no key kept anywhere): valid PEM for the certificate-authority input. */
const CA = `-----BEGIN CERTIFICATE-----
MIIBnTCCAUOgAwIBAgIUYA2HRAHQ3F56U3pF+hLirrDfaZkwCgYIKoZIzj0EAwIw
IzEhMB8GA1UEAwwYcG9kLWNsZWFuZXIgdW5pdCB0ZXN0IENBMCAXDTI2MTEyOTEw
MTEzOVoYDzIxMjYxMTA1MTAxMTM5WjAjMSEwHwYDVQQDDBhwb2QtY2xlYW5lciB1
bml0IHRlc3QgQ0EwWTATBgcqhkjOPQIBBggqhkjOPQMBBwNCAAS87ZRxCl7PtYFL
Rimsn9akotXNcByyMG1a1sByK+SVeeSHmXhg9KjemZJlAGzt2F4rxmSuBTC1vKYf
UZg9mzBfo1MwUTAdBgNVHQ4EFgQUfK5oWoKUSocodJSuh853301aOAUwHwYDVR0j
BBgwFoAUfK5oWoKUSocodJSuh853301aOAUwDwYDVR0TAQH/BAUwAwEB/zAKBggq
hkjOPQQDAgNIADBFAiEAhvjtngsPesCGxsOVlaz3UmZrdA+oYuiIZYHJSG4AqyEC
IAa2uz/UmP4TwBVUpH/YOMf0NK5G4cd2wnJJ+jxogLnW
-----END CERTIFICATE-----
`

const KUBECONFIG = `apiVersion: v1
kind: Config
clusters: [{name: c, cluster: {server: "https://127.0.0.1:6443", certificate-authority: ca.crt}}]
users: [{name: u, user: {token: secret-token-value}}]
contexts: [{name: ctx, context: {cluster: c, user: u}}]
current-context: ctx
`

const keyless = {
  auth: 'github-oidc',
  server: 'https://k8s.example.com:6443',
  audience: 'prod-cluster'
} as const

describe('the kubeconfig input as a path', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pc-kubeconfig-path-'))
  const file = join(dir, 'config.yaml')
  writeFileSync(file, KUBECONFIG)

  it('reads the file and keeps its path (relative files in it are relative to it)', () => {
    const config = buildConfig(from({ kubeconfig: file }))
    expect(config.kubeconfig).toBe(KUBECONFIG)
    expect(config.kubeconfigFile).toBe(file)
    expect(config.auth).toEqual({ kind: 'kubeconfig' })
  })

  it.each([
    ['a file that does not exist', join(dir, 'missing.yaml'), /cannot be read \(ENOENT\)/],
    ['a directory', `${dir}/`, /cannot be read \(it is not a regular file\)/]
  ])('%s: the input, the path and what was expected', (_what, path, why) => {
    const [problem, ...more] = problems({ kubeconfig: path })
    expect(more).toEqual([])
    expect(problem).toMatch(/^Input 'kubeconfig': the file ".*" cannot be read/)
    expect(problem).toMatch(why)
    expect(problem).toMatch(
      /expected the kubeconfig file's YAML content, base64 of it, or the path of a kubeconfig file\.$/
    )
  })

  it('a file that is not a kubeconfig says where, never what', () => {
    const bad = join(dir, 'bad.yaml')
    writeFileSync(bad, 'token: [unclosed\n')
    expect(problems({ kubeconfig: bad })).toEqual([
      expect.stringMatching(
        /^Input 'kubeconfig': not a kubeconfig \(".*bad\.yaml": invalid YAML at line \d+, column \d+\); expected/
      )
    ])
  })

  it('text that is neither a kubeconfig nor a path is not echoed', () => {
    expect(problems({ kubeconfig: 'hunter2 is my password' })).toEqual([
      expect.stringMatching(/^Input 'kubeconfig': not a kubeconfig; expected/)
    ])
  })
})

describe('auth: github-oidc', () => {
  it('needs only server and audience; the CA may be PEM or base64 of it', () => {
    expect(buildConfig(from(keyless)).auth).toEqual({
      kind: 'github-oidc',
      server: 'https://k8s.example.com:6443',
      certificateAuthority: undefined,
      audience: 'prod-cluster'
    })
    for (const ca of [CA, Buffer.from(CA).toString('base64')])
      expect(buildConfig(from({ ...keyless, 'certificate-authority': ca })).auth).toMatchObject({
        certificateAuthority: CA
      })
  })

  it.each([
    [
      'no server, no audience: both named',
      { auth: 'github-oidc' },
      [
        /^Input 'server' is empty; expected the apiserver's https:\/\/ URL when 'auth' is github-oidc\.$/,
        /^Input 'audience' is empty; expected the audience the cluster trusts/
      ]
    ],
    [
      'a kubeconfig as well',
      { ...keyless, kubeconfig: KUBECONFIG },
      [/^Inputs 'kubeconfig' and 'auth: github-oidc' are both set; expected one way to log in/]
    ],
    [
      'a plain http server',
      { ...keyless, server: 'http://k8s.example.com' },
      [
        /^Input 'server': "http:\/\/k8s.example.com" is not valid; expected the apiserver's https:\/\/ URL/
      ]
    ],
    [
      'a CA that is not a certificate',
      { ...keyless, 'certificate-authority': 'not a cert' },
      [
        /^Input 'certificate-authority': not a certificate; expected the cluster's CA certificate: PEM/
      ]
    ],
    [
      'a CA whose PEM is broken',
      { ...keyless, 'certificate-authority': CA.replace(/^MII.*$/m, 'AAAA') },
      [/^Input 'certificate-authority': the certificate cannot be read; expected/]
    ],
    [
      'an unknown auth',
      { auth: 'oidc' },
      [/^Input 'auth': "oidc" is not valid; expected one of kubeconfig, github-oidc\.$/]
    ],
    [
      'keyless inputs without auth: github-oidc',
      { server: 'https://k8s.example.com', audience: 'x' },
      [
        /^Input 'server' is set but 'auth' is kubeconfig; expected auth: github-oidc with it/,
        /^Input 'audience' is set but 'auth' is kubeconfig; expected auth: github-oidc with it/
      ]
    ]
  ])('%s', (_what, inputs, expected) => {
    const found = problems(inputs as Partial<Record<InputName, string>>)
    expect(found).toHaveLength(expected.length)
    expected.forEach((pattern, i) => expect(found[i]).toMatch(pattern))
  })
})
