// The detector's vocabulary and the annotations it honours: one table per enumeration.

/** The pseudo-reason for a container that exited (now or last time) with a non-zero code. */
export const NON_ZERO_EXIT = 'NonZeroExit'

/** Waiting reasons that are part of a normal start-up: never a finding. */
export const NORMAL_WAITING_REASONS = new Set(['ContainerCreating', 'PodInitializing'])

/** Reasons a pod may be deleted for (a fresh pod usually fixes them). */
export const DEFAULT_DELETE_REASONS = [
  'CrashLoopBackOff',
  'RunContainerError',
  'ContainerCannotRun',
  'StartError',
  NON_ZERO_EXIT
]

/** Reasons a delete cannot fix (image, config): reported, never deleted unless moved. */
export const DEFAULT_REPORT_REASONS = [
  'ImagePullBackOff',
  'ErrImagePull',
  'InvalidImageName',
  'CreateContainerConfigError',
  'CreateContainerError'
]

/** Every reason the detector knows; used to suggest the closest name for a typo. */
export const KNOWN_REASONS = [
  ...DEFAULT_DELETE_REASONS,
  ...DEFAULT_REPORT_REASONS,
  'ErrImageNeverPull',
  'RegistryUnavailable',
  'ImageInspectError',
  'PreStartHookError',
  'PostStartHookError',
  'OOMKilled'
]

/** A pod with this annotation set to "true" is never acted on (an owner's opt-out). */
export const SKIP_ANNOTATION = 'pod-cleaner.io/skip'

/** Kubelet marks static pods' API mirrors with this annotation. */
export const MIRROR_ANNOTATION = 'kubernetes.io/config.mirror'

/** The circuit breaker only judges scopes with at least this many pods (tiny scopes swing wildly). */
export const BREAKER_MIN_PODS = 10
