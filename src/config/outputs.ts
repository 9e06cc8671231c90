// Every output name action.yml declares (a test keeps the two equal).

/** The counts every run reports; the fleet's aggregate reports the same names, summed. */
export const CountOutputs = {
  UnhealthyCount: 'unhealthy-count',
  DeletedCount: 'deleted-count',
  SkippedCount: 'skipped-count',
  FailedCount: 'failed-count',
  ReportOnlyCount: 'report-only-count',
  RecoveredCount: 'recovered-count',
  UnrecoveredCount: 'unrecovered-count'
} as const

export const Outputs = { ...CountOutputs, Result: 'result' } as const
