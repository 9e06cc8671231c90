// What every step of one cycle shares: the settings, the ports, one clock and one deadline.

import type { Config } from '../config/config.js'
import type { Logger } from '../lib/logger.js'
import type { ClusterApi, Clock, IncidentArchive, StateStore } from './ports.js'

export interface CycleDeps {
  cluster: ClusterApi
  logger: Logger
  state?: StateStore
  /** Open incidents recorded elsewhere (GitHub issues): read when the state has none. */
  archive?: IncidentArchive
  /** Injected time (tests); the system clock otherwise. */
  clock?: Clock
}

export interface CycleOptions {
  /** Decide but never act (CLI `scan`): planned deletions are shown as "would delete". */
  scanOnly?: boolean
  /** The run's deadline (ms epoch by the clock), when the caller computed it already. */
  deadline?: number
}

/** One run of the cycle: computed once, passed to every step. */
export interface CycleRun {
  config: Config
  cluster: ClusterApi
  logger: Logger
  state?: StateStore
  archive?: IncidentArchive
  clock: Clock
  startedAt: number
  /** Past this (by `clock`), nothing new starts; every wait ends by it. */
  deadline: number
  scanOnly: boolean
}

export const systemClock: Clock = { now: () => Date.now() }

export function cycleRun(config: Config, deps: CycleDeps, options: CycleOptions): CycleRun {
  const clock = deps.clock ?? systemClock
  const startedAt = clock.now()
  return {
    config,
    cluster: deps.cluster,
    logger: deps.logger,
    state: deps.state,
    archive: deps.archive,
    clock,
    startedAt,
    deadline: options.deadline ?? startedAt + config.timeoutSeconds * 1000,
    scanOnly: options.scanOnly === true
  }
}

/** Milliseconds left before the deadline, less a reserve kept for later steps (never < 0). */
export const remainingMs = (run: CycleRun, reserveMs = 0): number =>
  Math.max(0, run.deadline - run.clock.now() - reserveMs)
