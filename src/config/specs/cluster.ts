// Inputs: the way to the cluster and the scope of the scan.

import { parseList } from '../../lib/parse.js'
import { labelSelectorProblem } from '../../domain/label-selector.js'
import {
  decodeKubeconfig,
  DNS_LABEL,
  kubeconfigShapeProblem,
  readKubeconfigFile,
  show
} from '../checks.js'
import { input, optionalText, wholeNumber, type FieldType } from '../field.js'

const KUBECONFIG_EXPECTED =
  "expected the kubeconfig file's YAML content, base64 of it, or the path of a kubeconfig file."

/** The input's kubeconfig: its text, and the file it was read from when the input is a path. */
export interface KubeconfigInput {
  /** '' = found by the client (KUBECONFIG, ~/.kube/config, in-cluster). */
  content: string
  /** Absolute path, when the input named a file (its relative paths are relative to it). */
  file?: string
}

/** One line that reads as a path: /…, ./…, ../…, ~/…, or a name ending like a kubeconfig file. */
const PATH_LIKE =
  /^(\/|\.{1,2}\/|~\/)\S*$|^[\w.-][\w./-]*(\.ya?ml|\.json|\.kubeconfig|(^|\/)config)$/

/** True when the input names a kubeconfig file (not a secret: the file's credentials are). */
export const isKubeconfigPath = (raw: string): boolean =>
  decodeKubeconfig(raw) === undefined && PATH_LIKE.test(raw.trim())

/** YAML/JSON, base64 of it, or a path to a kubeconfig file; '' = found by the client. */
const kubeconfig: FieldType<KubeconfigInput> = {
  parse: f => {
    // Never echo the value: it is a secret, and a parser's message would quote it.
    const notOne = (why?: string): KubeconfigInput => {
      f.problem(
        `Input '${f.name}': not a kubeconfig${why ? ` (${why})` : ''}; ${KUBECONFIG_EXPECTED}`
      )
      return { content: '' }
    }
    const text = decodeKubeconfig(f.raw)
    if (text === undefined) {
      const path = f.raw.trim()
      if (!PATH_LIKE.test(path)) return notOne()
      const read = readKubeconfigFile(path)
      if ('problem' in read) {
        f.problem(
          `Input '${f.name}': the file ${show(path)} cannot be read (${read.problem}); ${KUBECONFIG_EXPECTED}`
        )
        return { content: '' }
      }
      const problem = kubeconfigShapeProblem(read.content)
      return problem ? notOne(`${show(path)}: ${problem}`) : read
    }
    const problem = text === '' ? undefined : kubeconfigShapeProblem(text)
    return problem ? notOne(problem) : { content: text }
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
        "The kubeconfig file's content (YAML, or base64 of it), usually from a secret, or the path of a kubeconfig file. Empty: use KUBECONFIG (set by cloud login steps such as aws eks update-kubeconfig, get-gke-credentials, aks-set-context), ~/.kube/config, or the in-cluster service account (self-hosted runners).",
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
