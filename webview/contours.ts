/**
 * Contour lines of a grid by marching squares: for each cell, the edges where the level is
 * crossed, the crossing placed by linear interpolation. A saddle cell (two opposite corners
 * above) is resolved by the mean of its corners, as the cell's centre. Cells with a non-finite
 * corner are skipped: a line never runs into a region where the loss is undefined.
 */

/** Edges of a cell, as [corner, corner]: corners 0 (i, j), 1 (i+1, j), 2 (i+1, j+1), 3 (i, j+1). */
const EDGES = [
  [0, 1], // bottom
  [1, 2], // right
  [3, 2], // top
  [0, 3], // left
] as const;
const BOTTOM = 0;
const RIGHT = 1;
const TOP = 2;
const LEFT = 3;
const CORNER_X = [0, 1, 1, 0] as const;
const CORNER_Y = [0, 0, 1, 1] as const;

/**
 * Segments of {f = level} for `values`, row-major with `nx` columns and `ny` rows (entry
 * j * nx + i at column i, row j). Each segment is four numbers x0, y0, x1, y1 in grid
 * coordinates (column and row, fractional), in one flat array.
 */
export function contourSegments(values: ArrayLike<number>, nx: number, ny: number, level: number): number[] {
  const out: number[] = [];
  const f = [0, 0, 0, 0];
  const crossed: number[] = [];
  for (let j = 0; j + 1 < ny; j++) {
    for (let i = 0; i + 1 < nx; i++) {
      f[0] = values[j * nx + i] as number;
      f[1] = values[j * nx + i + 1] as number;
      f[2] = values[(j + 1) * nx + i + 1] as number;
      f[3] = values[(j + 1) * nx + i] as number;
      if (!f.every(Number.isFinite)) continue;
      crossed.length = 0;
      for (let e = 0; e < 4; e++) {
        const [p, q] = EDGES[e] as readonly [number, number];
        if ((f[p] as number) >= level !== (f[q] as number) >= level) crossed.push(e);
      }
      const point = (e: number): void => {
        const [p, q] = EDGES[e] as readonly [0 | 1 | 2 | 3, 0 | 1 | 2 | 3];
        const fp = f[p] as number;
        const t = (level - fp) / ((f[q] as number) - fp);
        out.push(i + CORNER_X[p] + t * (CORNER_X[q] - CORNER_X[p]), j + CORNER_Y[p] + t * (CORNER_Y[q] - CORNER_Y[p]));
      };
      const segment = (a: number, b: number): void => {
        point(a);
        point(b);
      };
      if (crossed.length === 2) segment(crossed[0] as number, crossed[1] as number);
      else if (crossed.length === 4) {
        const centreAbove = ((f[0] as number) + (f[1] as number) + (f[2] as number) + (f[3] as number)) / 4 >= level;
        // Corners 0 and 2 above with the centre above, or 1 and 3 above with it below: the
        // line cuts off corners 1 and 3. Otherwise it cuts off corners 0 and 2.
        const cutsOneAndThree = (f[0] as number) >= level === centreAbove;
        if (cutsOneAndThree) {
          segment(BOTTOM, RIGHT);
          segment(TOP, LEFT);
        } else {
          segment(LEFT, BOTTOM);
          segment(RIGHT, TOP);
        }
      }
    }
  }
  return out;
}

/** `count` levels evenly inside (lo, hi), never at the ends, where a line would hug the edge. */
export function evenLevels(lo: number, hi: number, count: number): number[] {
  if (!(hi > lo) || count < 1) return [];
  return Array.from({ length: count }, (_, k) => lo + ((hi - lo) * (k + 1)) / (count + 1));
}
