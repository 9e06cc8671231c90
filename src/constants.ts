// Every input and output name lives here, so action.yml, the README, the CLI and the code agree.

export const Inputs = {
  Kubeconfig: 'kubeconfig',
  Context: 'context',
  Namespaces: 'namespaces',
  ExcludeNamespaces: 'exclude-namespaces',
  LabelSelector: 'label-selector',
  PageSize: 'page-size',
  DeleteReasons: 'delete-reasons',
  ReportReasons: 'report-reasons',
  MinRestarts: 'min-restarts',
  MinPodAge: 'min-pod-age',
  MaxDeletions: 'max-deletions',
  MaxUnhealthyPercent: 'max-unhealthy-percent',
  DeleteBarePods: 'delete-bare-pods',
  DeleteDaemonSetPods: 'delete-daemonset-pods',
  DeleteJobPods: 'delete-job-pods',
  Mode: 'mode',
  GracePeriodSeconds: 'grace-period-seconds',
  DryRun: 'dry-run',
  FailOn: 'fail-on',
  LogFormat: 'log-format',
  Timeout: 'timeout',
  RequestTimeout: 'request-timeout',
  VerifyTimeout: 'verify-timeout',
  StateFile: 'state-file',
  GiveUpAfter: 'give-up-after',
  RealertInterval: 'realert-interval',
  Diagnose: 'diagnose',
  DiagnosticLogLines: 'diagnostic-log-lines',
  DeleteUnfixable: 'delete-unfixable'
} as const

export type InputName = (typeof Inputs)[keyof typeof Inputs]

/** Notification inputs (read by notify/config.ts). */
export const NotifyInputs = {
  BarkUrl: 'bark-url',
  BarkDeviceKeys: 'bark-device-keys',
  BarkEnabled: 'bark-enabled',
  BarkEncryptionKey: 'bark-encryption-key',
  BarkCritical: 'bark-critical',
  BarkMinSeverity: 'bark-min-severity',
  BarkGroup: 'bark-group',
  SlackWebhook: 'slack-webhook',
  SlackMinSeverity: 'slack-min-severity',
  DingTalkWebhook: 'dingtalk-webhook',
  DingTalkSecret: 'dingtalk-secret',
  DingTalkMinSeverity: 'dingtalk-min-severity',
  WebhookUrl: 'webhook-url',
  WebhookSecret: 'webhook-secret',
  WebhookMinSeverity: 'webhook-min-severity',
  SmtpUrl: 'smtp-url',
  EmailFrom: 'email-from',
  EmailTo: 'email-to',
  EmailMinSeverity: 'email-min-severity',
  PushgatewayUrl: 'pushgateway-url',
  NotifyTimeout: 'notify-timeout',
  NotifyTest: 'notify-test'
} as const

export type NotifyInputName = (typeof NotifyInputs)[keyof typeof NotifyInputs]

/** Every input action.yml declares. */
export const ActionInputs = { ...Inputs, ...NotifyInputs } as const
export type ActionInputName = InputName | NotifyInputName

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
