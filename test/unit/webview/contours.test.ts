/** Marching squares against level sets known in closed form: a plane, a circle, a saddle. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { contourSegments, evenLevels } from '../../../webview/contours';

function grid(nx: number, ny: number, f: (i: number, j: number) => number): number[] {
  return Array.from({ length: nx * ny }, (_, k) => f(k % nx, Math.floor(k / nx)));
}

function endpoints(segments: readonly number[]): [number, number][] {
  const points: [number, number][] = [];
  for (let k = 0; k < segments.length; k += 2) points.push([segments[k] as number, segments[k + 1] as number]);
  return points;
}

describe('contourSegments', () => {
  it('on a plane, every crossing lies exactly on the level line x + 2y = c', () => {
    const values = grid(11, 7, (i, j) => i + 2 * j);
    for (const level of [0.5, 3.25, 9.9]) {
      const segments = contourSegments(values, 11, 7, level);
      assert.ok(segments.length > 0);
      for (const [x, y] of endpoints(segments)) assert.ok(Math.abs(x + 2 * y - level) < 1e-12, `(${x}, ${y}) at level ${level}`);
    }
  });

  it('on a bowl, the level set x² + y² = r² is a closed curve within the grid step of the circle', () => {
    const n = 41;
    const h = 0.1;
    const at = (k: number) => -2 + k * h;
    const values = grid(n, n, (i, j) => at(i) ** 2 + at(j) ** 2);
    const r = 1.23;
    const segments = contourSegments(values, n, n, r * r);
    const seen = new Map<string, number>();
    for (const [x, y] of endpoints(segments)) {
      const radius = Math.hypot(at(0) + x * h, at(0) + y * h);
      // Linear interpolation of r² along an edge of length h errs by at most h²/(8r) in r... loosely h².
      assert.ok(Math.abs(radius - r) < h * h, `radius ${radius}`);
      const key = `${x.toFixed(9)},${y.toFixed(9)}`;
      seen.set(key, (seen.get(key) ?? 0) + 1);
    }
    // Closed: every crossing is shared by the two cells on either side of its edge.
    assert.ok([...seen.values()].every((c) => c === 2));
    // Its length approaches the circumference.
    let length = 0;
    for (let k = 0; k < segments.length; k += 4)
      length += h * Math.hypot((segments[k + 2] as number) - (segments[k] as number), (segments[k + 3] as number) - (segments[k + 1] as number));
    assert.ok(Math.abs(length - 2 * Math.PI * r) < 0.01 * 2 * Math.PI * r, `length ${length}`);
  });

  it('resolves a saddle cell by its centre', () => {
    // Corners (0,0) and (1,1) at 1, the others at 0: the centre, 0.5, is above 0.4 and below 0.6.
    const values = [1, 0, 0, 1];
    const above = contourSegments(values, 2, 2, 0.4);
    assert.deepEqual(
      above.map((v) => Number(v.toFixed(6))),
      [0.6, 0, 1, 0.4, 0.4, 1, 0, 0.6],
    );
    const below = contourSegments(values, 2, 2, 0.6);
    assert.deepEqual(
      below.map((v) => Number(v.toFixed(6))),
      [0, 0.4, 0.4, 0, 1, 0.6, 0.6, 1],
    );
  });

  it('skips cells with a non-finite corner and draws nothing where the level is not crossed', () => {
    const values = grid(3, 3, (i, j) => (i === 0 && j === 0 ? Number.NaN : i + j));
    const segments = contourSegments(values, 3, 3, 1.5);
    // The cell at the origin has the NaN corner; 1.5 crosses the two cells next to it (their
    // lowest corner is 1), not the far one (corners 2 to 4).
    assert.equal(segments.length, 2 * 4);
    assert.deepEqual(contourSegments(values, 3, 3, 10), []);
  });
});

describe('evenLevels', () => {
  it('spaces levels evenly strictly inside the range', () => {
    assert.deepEqual(evenLevels(0, 10, 4), [2, 4, 6, 8]);
    assert.deepEqual(evenLevels(1, 1, 3), []);
  });
});
