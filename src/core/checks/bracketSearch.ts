/**
 * Minimisation in two stages for checks that minimise many related functions: the caller scans
 * its own candidate points (a grid shared by all functions, or the data points of a sample), and
 * each function is then refined by golden section inside its own bracket, the candidates on
 * either side of its best one (minimize.ts, one batched call per round for all functions).
 * Nothing assumes convexity: the scan finds the basin, the refinement only polishes it.
 */
import { minimizeMany, type Minimum } from './minimize';

/** Values at `xs`, whose entries [j*block, (j+1)*block) are points of function j. */
export type BlockFunction = (xs: Float64Array, block: number) => Float64Array;

export interface Bracket {
  readonly lo: number;
  readonly hi: number;
}

/** The index of the smallest value, the first one on ties; -1 when no value is a number. */
export function indexOfMinimum(values: ArrayLike<number>): number {
  let best = -1;
  let v = Infinity;
  for (let i = 0; i < values.length; i++) {
    const y = values[i] as number;
    if (y < v || (best < 0 && y === Infinity)) {
      v = y;
      best = i;
    }
  }
  return best;
}

/** The candidates on either side of candidate `k` of the sorted `xs`. */
export function bracketAround(xs: ArrayLike<number>, k: number): Bracket {
  return { lo: xs[Math.max(0, k - 1)] as number, hi: xs[Math.min(xs.length - 1, k + 1)] as number };
}

/** Golden-section refinement of function j inside `brackets[j]`, for every j at once. */
export function minimizeInBrackets(f: BlockFunction, brackets: readonly Bracket[], iterations = 50): Minimum[] {
  const count = brackets.length;
  const at = (t: number, j: number): number => {
    const b = brackets[j] as Bracket;
    return b.lo + t * (b.hi - b.lo);
  };
  // minimizeMany searches t in [0, 1]; each function maps t into its own bracket.
  const minima = minimizeMany(
    (ts) => {
      const block = ts.length / count;
      return f(
        ts.map((t, i) => at(t, Math.floor(i / block))),
        block,
      );
    },
    count,
    0,
    1,
    3,
    iterations,
  );
  return minima.map((m, j) => ({ x: at(m.x, j), value: m.value }));
}
