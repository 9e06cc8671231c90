// Inputs: the way to the cluster and the scope of the scan.

import { parseList } from '../../lib/parse.js'
import { labelSelectorProblem } from '../../domain/label-selector.js'
import { decodeKubeconfig, DNS_LABEL, kubeconfigShapeProblem } from '../checks.js'
import { input, optionalText, wholeNumber, type FieldType } from '../field.js'

const KUBECONFIG_EXPECTED = "expected the kubeconfig file's YAML content or base64 of it."

/** YAML/JSON or base64 of it; '' = found by the client (KUBECONFIG, ~/.kube/config, in-cluster). */
const kubeconfig: FieldType<string> = {
  parse: f => {
    // Never echo the value: it is a secret, and a parser's message would quote it.
    const notOne = (why?: string): string => {
      f.problem(
        `Input '${f.name}': not a kubeconfig${why ? ` (${why})` : ''}; ${KUBECONFIG_EXPECTED}`
      )
      return ''
    }
    const text = decodeKubeconfig(f.raw)
    if (text === undefined) return notOne()
    const problem = text === '' ? undefined : kubeconfigShapeProblem(text)
    return problem ? notOne(problem) : text
  }
}

/** Namespace names; an empty input means the default, '-' means none. */
const namespaces: FieldType<string[]> = {
  parse: f => {
    if (f.raw.trim() === '-') return []
    const list = parseList(f.raw.trim() === '' ? f.default : f.raw)
    for (const ns of list) {
      if (ns.length > 63 || !DNS_LABEL.test(ns))
        f.invalid(ns, 'namespace names (lower-case DNS labels)')
    }
    return list
  }
}

const labelSelector: FieldType<string | undefined> = {
  parse: f => {
    const problem = f.value ? labelSelectorProblem(f.value) : undefined
    if (problem)
      f.invalid(f.value, `a Kubernetes label selector such as "app=web,tier!=db" (${problem})`)
    return f.value || undefined
  }
}

export const CLUSTER_INPUTS = {
  Kubeconfig: input(
    {
      name: 'kubeconfig',
      default: '',
      secret: true,
      description:
        "The kubeconfig file's content (YAML, or base64 of it), usually from a secret. Empty: use KUBECONFIG, ~/.kube/config, or the in-cluster service account (self-hosted runners).",
      help: 'kubeconfig FILE (default: KUBECONFIG, ~/.kube/config, in-cluster)'
    },
    kubeconfig
  ),
  Context: input(
    {
      name: 'context',
      default: '',
      description: 'The kubeconfig context to use. Empty = its current-context.',
      help: 'kubeconfig context to use (default: current-context)'
    },
    optionalText
  ),
  Namespaces: input(
    {
      name: 'namespaces',
      default: '',
      description:
        'Only these namespaces (comma- or newline-separated). Empty = the whole cluster.',
      help: 'only these namespaces (comma-separated; also -n NS, repeatable)'
    },
    namespaces
  ),
  ExcludeNamespaces: input(
    {
      name: 'exclude-namespaces',
      default: 'kube-system',
      description:
        "Never act in these namespaces; their broken pods are reported as skipped. '-' excludes none.",
      help: "never act in these namespaces ('-' = none)"
    },
    namespaces
  ),
  LabelSelector: input(
    {
      name: 'label-selector',
      default: '',
      description: 'Only pods matching this label selector (e.g. "app=web,tier!=db").',
      help: 'only pods matching this label selector'
    },
    labelSelector
  ),
  PageSize: input(
    {
      name: 'page-size',
      default: '500',
      description: 'Pods per list request (the listing is cluster-wide and paged).',
      help: 'pods per list request'
    },
    wholeNumber(1, 10000)
  )
}
