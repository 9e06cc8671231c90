// Kubernetes label selectors ("app=web,tier!=db,env in (a,b),!canary"), parsed the way the
// apiserver parses them: to validate the input, and to match pods where no apiserver does it
// for us (an offline scan of a saved pod list).

const LABEL_NAME = /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/

export type Requirement =
  | { key: string; op: 'exists' | '!exists' }
  | { key: string; op: '=' | '!='; value: string }
  | { key: string; op: 'in' | 'notin'; values: string[] }

function validKey(key: string): boolean {
  const parts = key.split('/')
  if (parts.length > 2) return false
  const name = parts.pop() as string
  const prefix = parts[0]
  if (prefix !== undefined && (prefix.length > 253 || !DNS_SUBDOMAIN.test(prefix))) return false
  return name.length <= 63 && LABEL_NAME.test(name)
}

const validValue = (value: string): boolean =>
  value === '' || (value.length <= 63 && LABEL_NAME.test(value))

/** Splits a selector on the commas that are not inside "in (a, b)"; undefined when unbalanced. */
function split(selector: string): string[] | undefined {
  const parts: string[] = []
  let depth = 0
  let current = ''
  for (const ch of selector) {
    if (ch === '(') depth++
    if (ch === ')') depth--
    if (depth < 0) return undefined
    if (ch === ',' && depth === 0) {
      parts.push(current.trim())
      current = ''
    } else current += ch
  }
  if (depth !== 0) return undefined
  parts.push(current.trim())
  return parts
}

const badKey = (key: string): string => `invalid key ${JSON.stringify(key)}`

/** One requirement, or the problem with it. */
function parseRequirement(text: string): Requirement | string {
  if (text === '') return 'empty requirement'
  let m: RegExpExecArray | null
  if ((m = /^(!?)\s*([^\s=!()]+)$/.exec(text))) {
    const key = m[2] as string
    return validKey(key) ? { key, op: m[1] ? '!exists' : 'exists' } : badKey(key)
  }
  if ((m = /^([^\s=!()]+)\s*(==|=|!=)\s*([^\s=!(),]*)$/.exec(text))) {
    const [key, op, value] = [m[1] as string, m[2] as string, m[3] as string]
    if (!validKey(key)) return badKey(key)
    if (!validValue(value)) return `invalid value ${JSON.stringify(value)}`
    return { key, op: op === '!=' ? '!=' : '=', value }
  }
  if ((m = /^([^\s=!()]+)\s+(in|notin)\s*\(([^()]*)\)$/.exec(text))) {
    const key = m[1] as string
    if (!validKey(key)) return badKey(key)
    const values = (m[3] as string).split(',').map(v => v.trim())
    const bad = values.find(v => !validValue(v))
    if (bad !== undefined) return `invalid value ${JSON.stringify(bad)}`
    return { key, op: m[2] === 'in' ? 'in' : 'notin', values }
  }
  return `cannot parse ${JSON.stringify(text)}`
}

/** The requirements of a selector, or the first problem with it. */
export function parseLabelSelector(selector: string): Requirement[] | { problem: string } {
  const parts = split(selector)
  if (!parts) return { problem: 'unbalanced parentheses' }
  const requirements: Requirement[] = []
  for (const part of parts) {
    const parsed = parseRequirement(part)
    if (typeof parsed === 'string') return { problem: parsed }
    requirements.push(parsed)
  }
  return requirements
}

/** Validates a label selector the way the apiserver parses it; returns a problem or undefined. */
export function labelSelectorProblem(selector: string): string | undefined {
  const parsed = parseLabelSelector(selector)
  return 'problem' in parsed ? parsed.problem : undefined
}

function matchesOne(req: Requirement, labels: Readonly<Record<string, string>>): boolean {
  const value = labels[req.key]
  switch (req.op) {
    case 'exists':
      return value !== undefined
    case '!exists':
      return value === undefined
    case '=':
      return value === req.value
    case '!=':
      return value !== req.value
    case 'in':
      return value !== undefined && req.values.includes(value)
    case 'notin':
      return value === undefined || !req.values.includes(value)
  }
}

/** Does a pod with these labels match every requirement? */
export function matchesLabels(
  requirements: readonly Requirement[],
  labels: Readonly<Record<string, string>> = {}
): boolean {
  return requirements.every(req => matchesOne(req, labels))
}
