// The rules between inputs, run once after every input has been parsed on its own (a bad value
// has fallen back to its default by then, so these still run and every problem is reported).

import type * as z from 'zod/mini'
import { isEmailAddress, show } from './checks.js'
import { invalidMessage } from './field.js'
import { INPUTS, Inputs, NotifyInputs, type InputKey, type InputValues } from './inputs.js'
import { barkTarget } from './notify-config.js'

type Report = (key: InputKey, message: string) => void

function scope(v: InputValues, report: Report): void {
  for (const ns of v.Namespaces.filter(ns => v.ExcludeNamespaces.includes(ns))) {
    report(
      'Namespaces',
      `Inputs '${Inputs.Namespaces}' and '${Inputs.ExcludeNamespaces}' both list ${show(ns)}; expected a namespace in at most one of them.`
    )
  }
}

function budgets(v: InputValues, report: Report): void {
  if (v.RequestTimeout > v.Timeout)
    report(
      'RequestTimeout',
      `Input '${Inputs.RequestTimeout}' (${v.RequestTimeout}s) is longer than '${Inputs.Timeout}' (${v.Timeout}s); expected a request timeout within the run's timeout.`
    )
  if (typeof v.VerifyTimeout === 'number' && v.VerifyTimeout >= v.Timeout)
    report(
      'VerifyTimeout',
      `Input '${Inputs.VerifyTimeout}' (${v.VerifyTimeout}s) is not shorter than '${Inputs.Timeout}' (${v.Timeout}s); expected a verification budget within the run's timeout, or auto.`
    )
}

/** Keys need a server; a server needs a key (in its path or in bark-device-keys). */
function bark(v: InputValues, report: Report): void {
  if (v.BarkUrl === '') {
    if (v.BarkDeviceKeys.length > 0)
      report(
        'BarkDeviceKeys',
        `Input '${NotifyInputs.BarkDeviceKeys}' is set but '${NotifyInputs.BarkUrl}' is not; expected bark-url with the server, like https://api.day.app.`
      )
    return
  }
  if (!v.BarkEnabled) return
  const target = barkTarget(v.BarkUrl, v.BarkDeviceKeys)
  if ('expected' in target)
    report('BarkUrl', invalidMessage(INPUTS.BarkUrl, v.BarkUrl, target.expected))
}

/** smtp-url turns email on; a sender and recipients are then required. */
function email(v: InputValues, report: Report): void {
  if (v.SmtpUrl === undefined) return
  if (!isEmailAddress(v.EmailFrom))
    report(
      'EmailFrom',
      invalidMessage(
        INPUTS.EmailFrom,
        v.EmailFrom,
        'a sender address like "Pod Cleaner <ops@example.com>"'
      )
    )
  if (v.EmailTo.length === 0)
    report(
      'EmailTo',
      `Input '${NotifyInputs.EmailTo}' is empty; expected one or more addresses, separated by commas, when smtp-url is set.`
    )
  for (const address of v.EmailTo.filter(a => !isEmailAddress(a)))
    report(
      'EmailTo',
      invalidMessage(INPUTS.EmailTo, address, 'e-mail addresses separated by commas')
    )
}

/** github-oidc needs a server and an audience, and no kubeconfig; the others need github-oidc. */
function auth(v: InputValues, report: Report): void {
  if (v.Auth === 'github-oidc') {
    if (v.Server === undefined)
      report(
        'Server',
        `Input '${Inputs.Server}' is empty; expected the apiserver's https:// URL when '${Inputs.Auth}' is github-oidc.`
      )
    if (v.Audience === undefined)
      report(
        'Audience',
        `Input '${Inputs.Audience}' is empty; expected the audience the cluster trusts for GitHub's OIDC tokens when '${Inputs.Auth}' is github-oidc (deploy/github-oidc).`
      )
    if (v.Kubeconfig.content !== '')
      report(
        'Kubeconfig',
        `Inputs '${Inputs.Kubeconfig}' and '${Inputs.Auth}: github-oidc' are both set; expected one way to log in (an empty kubeconfig with github-oidc).`
      )
    return
  }
  const keyless = [
    ['Server', v.Server],
    ['CertificateAuthority', v.CertificateAuthority],
    ['Audience', v.Audience]
  ] as const
  for (const [key, value] of keyless) {
    if (value !== undefined)
      report(
        key,
        `Input '${INPUTS[key].name}' is set but '${Inputs.Auth}' is ${v.Auth}; expected ${Inputs.Auth}: github-oidc with it (a kubeconfig names its own server and CA).`
      )
  }
}

/** github-issues needs a token (outside Actions the default expression is no token). */
function githubIssues(v: InputValues, report: Report): void {
  if (v.GithubIssues && v.GithubToken === undefined)
    report(
      'GithubToken',
      `Input '${NotifyInputs.GithubToken}' is empty; expected a token that may write issues (the workflow's github.token with permissions issues: write) when '${NotifyInputs.GithubIssues}' is true.`
    )
}

const RULES = [scope, auth, budgets, bark, email, githubIssues]

/** The one refinement step: every rule that involves more than one input. */
export function crossFieldRules(v: InputValues, ctx: z.core.$RefinementCtx<InputValues>): void {
  const report: Report = (key, message) =>
    ctx.addIssue({ code: 'custom', message, path: [key], input: undefined })
  for (const rule of RULES) rule(v, report)
}
