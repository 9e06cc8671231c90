export declare function releaseProblems(repo: {
  version: string
  packageVersion: string
  tags: string[]
  changelog: string
  reusableWorkflow: string
  dirty: string[]
}): string[]
export declare function withVersion(jsonText: string, version: string): string
