// Every output name action.yml declares (a test keeps the two equal).

export const Outputs = {
  UnhealthyCount: 'unhealthy-count',
  DeletedCount: 'deleted-count',
  SkippedCount: 'skipped-count',
  FailedCount: 'failed-count',
  ReportOnlyCount: 'report-only-count',
  RecoveredCount: 'recovered-count',
  UnrecoveredCount: 'unrecovered-count',
  Result: 'result'
} as const
