// Inputs: how the Action logs in when there is no kubeconfig — keyless, with the job's own GitHub
// OIDC token (auth: github-oidc) sent to `server`, for the `audience` the cluster trusts.

import { X509Certificate } from 'node:crypto'
import { input, oneOf, optionalText, type FieldType } from '../field.js'

/** An https:// URL with a host; '' = not set. */
const server: FieldType<string | undefined> = {
  parse: f => {
    if (f.value === '') return undefined
    let url: URL | undefined
    try {
      url = new URL(f.value)
    } catch {
      url = undefined
    }
    if (url?.protocol !== 'https:' || url.hostname === '' || url.search !== '' || url.hash !== '') {
      f.invalid(f.value, "the apiserver's https:// URL, like https://203.0.113.10:6443")
      return f.value // reported: the rules between inputs must not call it empty too
    }
    return f.value.replace(/\/+$/, '')
  }
}

/** PEM certificates, as text or base64 of it (certificate-authority-data); '' = the system's CAs. */
const certificateAuthority: FieldType<string | undefined> = {
  parse: f => {
    if (f.value === '') return undefined
    const text = f.value.includes('-----BEGIN')
      ? f.value
      : Buffer.from(f.value.replace(/\s+/g, ''), 'base64').toString('utf8')
    const expected =
      "the cluster's CA certificate: PEM (-----BEGIN CERTIFICATE-----) or base64 of it, as in a kubeconfig's certificate-authority-data"
    if (!text.includes('-----BEGIN CERTIFICATE-----')) {
      f.problem(`Input '${f.name}': not a certificate; expected ${expected}.`)
      return f.value
    }
    try {
      new X509Certificate(text)
    } catch {
      f.problem(`Input '${f.name}': the certificate cannot be read; expected ${expected}.`)
      return f.value
    }
    return `${text.trim()}\n`
  }
}

export const AUTH_INPUTS = {
  Auth: input(
    {
      name: 'auth',
      default: 'kubeconfig',
      description:
        "How to log in. kubeconfig: the kubeconfig input, or KUBECONFIG / ~/.kube/config from an earlier step (exec plugins such as aws, gke-gcloud-auth-plugin and kubelogin included). github-oidc: keyless, the job's own OIDC token (needs permissions: id-token: write) sent to server; the cluster must trust GitHub's issuer (deploy/github-oidc).",
      help: "how to log in: kubeconfig, or github-oidc (the job's OIDC token)"
    },
    oneOf(['kubeconfig', 'github-oidc'])
  ),
  Server: input(
    {
      name: 'server',
      default: '',
      description: "With auth: github-oidc, the apiserver's https:// URL.",
      help: 'with auth github-oidc: the apiserver URL'
    },
    server
  ),
  CertificateAuthority: input(
    {
      name: 'certificate-authority',
      default: '',
      description:
        "With auth: github-oidc, the cluster's CA certificate (PEM, or base64 of it as in certificate-authority-data). Empty: the system's CAs.",
      help: 'with auth github-oidc: the cluster CA (PEM or base64)'
    },
    certificateAuthority
  ),
  Audience: input(
    {
      name: 'audience',
      default: '',
      description:
        "With auth: github-oidc, the audience of the OIDC token: one the cluster's authentication configuration lists for GitHub's issuer (one per cluster, so a token for one cluster is refused by another).",
      help: 'with auth github-oidc: the token audience the cluster expects'
    },
    optionalText
  )
}
