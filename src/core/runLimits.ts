/**
 * Limits on what one request may cost, the counterpart of the language's limits (`lang/limits.ts`):
 * the grid a curve or a landscape is sampled on, the seconds a check run or an experiment may
 * take, and the heap the worker may grow to. Beyond one, the request fails with a message that
 * names the limit and its setting, instead of a frozen panel or a dead editor.
 */

export interface RunLimits {
  /** Points per curve of the panel (`losslab.plot.points` asks for 400 by default). */
  readonly curvePoints: number;
  /** Grid points per axis of a 2-D landscape: the panel's (up to 256) and an experiment's slice (up to 201). */
  readonly landscapeResolution: number;
  /** Seconds one run of the checks on one loss may take. */
  readonly checkSeconds: number;
  /** Seconds one experiment (every loss and seed of it) may take. */
  readonly experimentSeconds: number;
  /** Megabytes of the worker thread's old-generation heap (Node's `resourceLimits`). */
  readonly workerMemoryMb: number;
}

/**
 * Safe defaults: the whole check suite takes 5-35 ms on one loss and the README's benchmark
 * experiment 7 s on a 2-core machine, so the budgets are two orders of magnitude above typical use.
 */
export const DEFAULT_RUN_LIMITS: RunLimits = {
  curvePoints: 10_000,
  landscapeResolution: 256,
  checkSeconds: 60,
  experimentSeconds: 600,
  workerMemoryMb: 2048,
};

/**
 * The smallest memory cap taken from the settings: the worker needs about 20 MB at rest and
 * more to load, and below this it would die at every start instead of on the request at fault.
 */
export const MIN_WORKER_MEMORY_MB = 64;

export type RunLimitName = keyof RunLimits;

export const RUN_LIMIT_SETTINGS: Readonly<Record<RunLimitName, string>> = {
  curvePoints: 'losslab.limits.curvePoints',
  landscapeResolution: 'losslab.limits.landscapeResolution',
  checkSeconds: 'losslab.limits.checkSeconds',
  experimentSeconds: 'losslab.limits.experimentSeconds',
  workerMemoryMb: 'losslab.limits.workerMemoryMb',
};

/** The defaults, with what the caller sets; values that are not positive finite numbers are ignored. */
export function resolveRunLimits(overrides: Partial<RunLimits> = {}): RunLimits {
  const limits: Record<RunLimitName, number> = { ...DEFAULT_RUN_LIMITS };
  for (const name of Object.keys(DEFAULT_RUN_LIMITS) as RunLimitName[]) {
    const value = overrides[name];
    if (typeof value === 'number' && Number.isFinite(value) && value > 0) limits[name] = value;
  }
  return limits;
}

const format = (n: number): string => n.toLocaleString('en-US', { maximumSignificantDigits: 6 });

/** Why `points` curve samples are refused, or undefined when they are within the limit. */
export function curvePointsError(points: number, limits: RunLimits): string | undefined {
  if (points <= limits.curvePoints) return undefined;
  return `a curve of ${format(points)} points is more than ${format(limits.curvePoints)} (limit ${RUN_LIMIT_SETTINGS.curvePoints})`;
}

/** Why a `resolution`² landscape is refused, or undefined when it is within the limit. */
export function landscapeResolutionError(resolution: number, limits: RunLimits): string | undefined {
  if (resolution <= limits.landscapeResolution) return undefined;
  return `a landscape of ${format(resolution)}×${format(resolution)} points is finer than ${format(limits.landscapeResolution)} per axis (limit ${RUN_LIMIT_SETTINGS.landscapeResolution})`;
}

export type TimeBudgetName = 'checkSeconds' | 'experimentSeconds';

/**
 * A time budget, polled where the work already polls for cancellation (between checks, after
 * each training step), so a run over it stops at the next such point rather than hanging.
 */
export interface Deadline {
  readonly expired: () => boolean;
  /** The message of a run stopped by this deadline. */
  readonly message: string;
}

export function startDeadline(name: TimeBudgetName, what: string, limits: RunLimits, now: () => number = () => performance.now()): Deadline {
  const seconds = limits[name];
  const end = now() + seconds * 1000;
  return {
    expired: () => now() > end,
    message: `${what} stopped: over the time budget of ${format(seconds)} s (limit ${RUN_LIMIT_SETTINGS[name]})`,
  };
}

/** The message of a worker killed by Node for exceeding its heap (`ERR_WORKER_OUT_OF_MEMORY`). */
export function workerMemoryMessage(limits: RunLimits): string {
  return `the worker ran out of memory (limit ${format(limits.workerMemoryMb)} MB, setting ${RUN_LIMIT_SETTINGS.workerMemoryMb})`;
}
