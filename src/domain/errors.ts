// Errors that mean "what you gave me is wrong": the run stops before it acts, and the message says
// which input and what was expected. Thrown by config/ (all problems at once) and, for facts only
// the cluster knows (a namespace that does not exist), translated from the adapters' errors.

export class InputError extends Error {
  constructor(readonly problems: string[]) {
    super(
      problems.length === 1
        ? problems[0]
        : `${problems.length} input errors:\n- ${problems.join('\n- ')}`
    )
    this.name = 'InputError'
  }
}

/** The cluster says a namespace in scope does not exist (the caller names the input). */
export class NamespaceNotFoundError extends Error {
  constructor(readonly namespace: string) {
    super(`namespace ${JSON.stringify(namespace)} does not exist`)
    this.name = 'NamespaceNotFoundError'
  }
}
