/**
 * The fused executor's kernel cache is bounded: a long session edits its losses thousands of
 * times, and each edit is a new program. The least recently used kernel goes, in this thread
 * and in the pool's; a program whose kernel went is compiled again and computes the same numbers.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startBackend } from '../../../src/core/engine/backend';
import { createFusedExecutor, KERNELS_KEPT, type FusedExecutor } from '../../../src/core/engine/fused';
import { tensorExecutor } from '../../../src/core/engine/tensor';
import { Graph } from '../../../src/core/ir/graph';
import { lowerToProgram, type Program } from '../../../src/core/ir/program';
import { SCALAR } from '../../../src/core/ir/shape';

let fused: FusedExecutor;
before(async () => {
  const s = await startBackend('wasm');
  fused = await createFusedExecutor(tensorExecutor(s.tf, s.backend), { threads: 2 });
});
after(() => fused.dispose());

/** z * c + c²: a different program for every c. */
function program(c: number): Program {
  const g = new Graph(1);
  const z = g.leaf('z', 'input', SCALAR);
  return lowerToProgram(g, [g.apply('add', g.apply('mul', z, g.constant(c)), g.constant(c * c))]);
}

// Enough rows that the pool's thread runs part of each batch (its instances are unloaded too).
const ROWS = 40_000;
const z = Float32Array.from({ length: ROWS }, (_, i) => (i % 200) / 100 - 1);

async function check(c: number): Promise<void> {
  const [out] = await fused.compile(program(c))({ rows: ROWS, values: { z } });
  assert.ok(out);
  for (const i of [0, 1, 17_777, ROWS - 1]) {
    const expected = Math.fround(Math.fround((z[i] as number) * Math.fround(c)) + Math.fround(c * c));
    assert.ok(Math.abs((out[i] as number) - expected) <= 1e-6 * Math.max(1, Math.abs(expected)), `c = ${c}, row ${i}: ${out[i]} vs ${expected}`);
  }
}

describe('the fused kernel cache', () => {
  it(`keeps at most ${KERNELS_KEPT} kernels, and an evicted program computes the same numbers again`, async () => {
    for (let k = 0; k < KERNELS_KEPT + 40; k++) await check(k + 0.5);
    assert.equal(fused.kernelsCached, KERNELS_KEPT);
    // c = 0.5 was the first in and has been evicted: compiled again, on both threads.
    await check(0.5);
    assert.equal(fused.kernelsCached, KERNELS_KEPT);
  });
});
