// Types of incident-day.mjs (the scripted day of issue 15).

export interface DayRun {
  n: number
  name: string
  code: number | null
  durationMs: number
  /** A reminder fell due before this run could start: the machine was too slow for the script. */
  tooSlow: boolean
  /** "opened unfixable api", "resolved crash-loop steady" … in the result's order. */
  changes: string[]
  bark: Array<{ title: string; level: string; body: string; url?: string }>
  /** "POST /issues", "POST /issues/1/comments", "PATCH /issues/1" (listings left out). */
  github: string[]
  warnings: string[]
  errors: string[]
  stderr: string
  summary: string
}

export interface DayResult {
  namespace: string
  wallMs: number
  runs: DayRun[]
  issues: Array<{ number: number; title: string; state: string; comments: number; labels: string[] }>
  totals: {
    runs: number
    barkMessages: number
    runsWithMessages: number
    issuesOpened: number
    issueComments: number
    issuesClosed: number
  }
}

export const DAY_REPOSITORY: string

export function dayPlan(): Array<{ name: string; remind?: boolean; loseState?: boolean }>

export function incidentDay(options: {
  cluster: unknown
  action: string
  realertSeconds?: number
  remembered?: boolean
  log?: (line: string) => void
}): Promise<DayResult>
