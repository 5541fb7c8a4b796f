/**
 * The seed and number of cases of every fuzz property: fixed and modest under `npm test`,
 * long under `npm run fuzz` (FUZZ_RUNS cases each, FUZZ_SEED or a fresh seed, printed).
 */
export interface FuzzBudget {
  readonly seed: number;
  readonly numRuns: number;
}

/** `testRuns` cases under `npm test`; FUZZ_RUNS, scaled by `weight` (for slow properties), otherwise. */
export function fuzzBudget(testRuns: number, weight = 1): FuzzBudget {
  const runs = Number(process.env.FUZZ_RUNS);
  const seed = Number(process.env.FUZZ_SEED);
  return {
    seed: Number.isInteger(seed) ? seed : 20240611,
    numRuns: Number.isInteger(runs) && runs > 0 ? Math.max(1, Math.round(runs * weight)) : testRuns,
  };
}

/** Counts inputs and the slowest of them, for the figures a fuzz run reports. */
export class FuzzTally {
  inputs = 0;
  slowestMs = 0;
  /** Inputs slower than a second: what a fuzz run reports as a hang. */
  overOneSecond = 0;

  time<T>(run: () => T): T {
    const start = performance.now();
    try {
      return run();
    } finally {
      const ms = performance.now() - start;
      this.inputs++;
      this.slowestMs = Math.max(this.slowestMs, ms);
      if (ms > 1000) this.overOneSecond++;
    }
  }

  toString(): string {
    return `${this.inputs} inputs, slowest ${this.slowestMs.toFixed(1)} ms, ${this.overOneSecond} over 1 s`;
  }
}
