/**
 * The pure parts of the landscape's 3-D surface: the orthographic projection (seen from the side,
 * from above, and a tilted plane), the painter's order of quads at known depths, the downsampling
 * to at most 64 × 64 quads, and quads with an undefined corner left out.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { depthOrder, downsample, project, rotated, sampleIndices, surfaceQuads, type SurfaceView } from '../../../webview/surface';

const close = (a: number, b: number, what: string): void => assert.ok(Math.abs(a - b) < 1e-12, `${what}: ${a} against ${b}`);

describe('surface projection', () => {
  it('from the side (elevation 0, azimuth 0): x right, the value up, y away', () => {
    const p = project(0.3, 0.7, -0.2, { azimuth: 0, elevation: 0 });
    close(p.x, 0.3, 'x');
    close(p.y, -0.2, 'y');
    close(p.depth, 0.7, 'depth');
  });

  it('from straight above: the floor as it is, higher values nearer', () => {
    const p = project(0.3, 0.7, 0.5, { azimuth: 0, elevation: Math.PI / 2 });
    close(p.x, 0.3, 'x');
    close(p.y, 0.7, 'y');
    close(p.depth, -0.5, 'depth');
  });

  it('a quarter turn of azimuth takes x to where y was', () => {
    const p = project(1, 0, 0, { azimuth: Math.PI / 2, elevation: 0 });
    close(p.x, 0, 'x');
    close(p.depth, 1, 'depth');
  });

  it('the plane z = x projects to a line through the origin at any elevation seen along y', () => {
    for (const elevation of [0.1, 0.5, 1, 1.4]) {
      const view: SurfaceView = { azimuth: 0, elevation };
      // Points of the plane z = x at y = 0: on screen y = x·cos(e).
      for (const x of [-1, -0.5, 0, 0.5, 1]) {
        const p = project(x, 0, x, view);
        close(p.x, x, 'x');
        close(p.y, x * Math.cos(elevation), 'y');
      }
    }
  });

  it('keeps lengths: the projection is a rotation', () => {
    const view: SurfaceView = { azimuth: 0.7, elevation: 0.4 };
    const p = project(0.2, -0.6, 0.9, view);
    close(Math.hypot(p.x, p.y, p.depth), Math.hypot(0.2, -0.6, 0.9), 'length');
  });

  it('rotates with the elevation held between the floor and straight down, and the azimuth wrapped', () => {
    const v = rotated({ azimuth: 3, elevation: 1.5 }, 0.5, 1);
    close(v.elevation, Math.PI / 2, 'elevation');
    close(v.azimuth, 3.5 - 2 * Math.PI, 'azimuth');
    assert.ok(rotated({ azimuth: 0, elevation: 0.2 }, 0, -1).elevation > 0);
  });
});

describe('painter’s order', () => {
  it('lays the farthest quad first', () => {
    assert.deepEqual(depthOrder([{ depth: -0.5 }, { depth: 0.8 }, { depth: 0.1 }]), [1, 2, 0]);
  });

  it('on a surface, a quad at the far edge comes before one at the near edge', () => {
    // Flat 3 × 3 grid seen from the side: row j = 1..2 (y up to +1) is farther than row 0..1.
    const flat = new Float64Array(9).fill(0);
    const quads = surfaceQuads(flat, 3, () => 0.5, { azimuth: 0, elevation: 0.3 });
    assert.equal(quads.length, 4);
    const order = depthOrder(quads);
    const firstTwo = order.slice(0, 2).sort();
    assert.deepEqual(firstTwo, [2, 3], 'the two quads of the far row first');
  });
});

describe('downsampling and undefined values', () => {
  it('keeps at most 65 points a side (64 quads), first and last included', () => {
    const keep = sampleIndices(256);
    assert.equal(keep.length, 65);
    assert.equal(keep[0], 0);
    assert.equal(keep.at(-1), 255);
    assert.deepEqual(
      sampleIndices(32),
      Array.from({ length: 32 }, (_, i) => i),
    );
  });

  it('samples the row-major grid at the kept indices', () => {
    const n = 5;
    const grid = Float32Array.from({ length: n * n }, (_, k) => k);
    const d = downsample(grid, n, 2);
    assert.equal(d.size, 3);
    assert.deepEqual(Array.from(d.values), [0, 2, 4, 10, 12, 14, 20, 22, 24]);
  });

  it('leaves out a quad with a NaN corner', () => {
    const values = Float64Array.from([0, 1, 2, 3, NaN, 5, 6, 7, 8]);
    assert.equal(surfaceQuads(values, 3, (v) => v / 8, { azimuth: 0, elevation: 0.5 }).length, 0);
    values[4] = 4;
    const quads = surfaceQuads(values, 3, (v) => v / 8, { azimuth: 0, elevation: 0.5 });
    assert.equal(quads.length, 4);
    close(quads[0]?.value ?? NaN, (0 + 1 + 4 + 3) / 4, 'mean value');
  });

  it('a flat surface faces a light from above more squarely than a steep one', () => {
    const flat = surfaceQuads(new Float64Array(4).fill(1), 2, () => 0.5, { azimuth: 0, elevation: 0.5 });
    const steep = surfaceQuads(Float64Array.from([0, 1, 0, 1]), 2, (v) => v, { azimuth: 0, elevation: 0.5 });
    assert.ok((flat[0]?.light ?? 0) > (steep[0]?.light ?? 1));
  });
});
