/**
 * Global minimisation of a one-dimensional function on an interval, for conditional risks and
 * elicited statistics. It assumes nothing of convexity: a dense grid finds the basin, then
 * golden-section search refines inside the grid cells around the best point. `f` is evaluated
 * in batches (one call per grid and per refinement round).
 */
export type BatchFunction = (xs: Float64Array) => Float64Array;

export interface Minimum {
  readonly x: number;
  readonly value: number;
}

const GOLDEN = (Math.sqrt(5) - 1) / 2;

/**
 * Minimises `count` functions at once. `f` receives blocks of equal length, block j holding
 * points for function j, and returns the values in the same layout.
 */
export function minimizeMany(f: BatchFunction, count: number, lo: number, hi: number, gridSize = 801, iterations = 80): Minimum[] {
  const xs = new Float64Array(count * gridSize);
  for (let j = 0; j < count; j++) for (let i = 0; i < gridSize; i++) xs[j * gridSize + i] = lo + ((hi - lo) * i) / (gridSize - 1);
  const values = f(xs);
  const a = new Float64Array(count);
  const b = new Float64Array(count);
  const best: Minimum[] = [];
  for (let j = 0; j < count; j++) {
    let k = 0;
    let v = Infinity;
    for (let i = 0; i < gridSize; i++) {
      const y = values[j * gridSize + i] as number;
      if (y < v) {
        v = y;
        k = i;
      }
    }
    best.push({ x: xs[j * gridSize + k] as number, value: v });
    a[j] = xs[j * gridSize + Math.max(0, k - 1)] as number;
    b[j] = xs[j * gridSize + Math.min(gridSize - 1, k + 1)] as number;
  }
  // Golden-section search in [a, b] for every function at once: two points per function per round.
  const probe = new Float64Array(2 * count);
  for (let it = 0; it < iterations; it++) {
    for (let j = 0; j < count; j++) {
      const d = GOLDEN * ((b[j] as number) - (a[j] as number));
      probe[2 * j] = (b[j] as number) - d;
      probe[2 * j + 1] = (a[j] as number) + d;
    }
    const y = f(probe);
    for (let j = 0; j < count; j++) {
      const [x1, x2] = [probe[2 * j] as number, probe[2 * j + 1] as number];
      const [y1, y2] = [y[2 * j] as number, y[2 * j + 1] as number];
      if (y1 <= y2) b[j] = x2;
      else a[j] = x1;
      const m = y1 <= y2 ? { x: x1, value: y1 } : { x: x2, value: y2 };
      if (m.value < (best[j] as Minimum).value) best[j] = m;
    }
  }
  return best;
}

export function minimize(f: (x: number) => number, lo: number, hi: number, gridSize = 801, iterations = 80): Minimum {
  return minimizeMany((xs) => xs.map(f), 1, lo, hi, gridSize, iterations)[0] as Minimum;
}
