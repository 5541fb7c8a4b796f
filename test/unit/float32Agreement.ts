/** A float32 engine against LossLab's float64 reference on one program: the tests' usual comparison. */
import assert from 'node:assert/strict';
import type { Executor } from '../../src/core/engine/executor';
import { runReference } from '../../src/core/engine/reference';
import type { Bindings } from '../../src/core/ir/bindings';
import type { Program } from '../../src/core/ir/program';

/** Every output of `program` on `bindings`, entry by entry, within `tolerance` of the reference's, relative to 1 + |x|. */
export async function assertFloat32MatchesReference(executor: Executor, program: Program, bindings: Bindings, tolerance = 1e-5): Promise<void> {
  const reference = runReference(program, bindings);
  const float32 = await executor.compile(program)(bindings);
  reference.forEach((expected, k) => {
    const got = float32[k] as Float32Array;
    assert.equal(got.length, expected.length, `output ${k}: ${got.length} entries against ${expected.length}`);
    expected.forEach((e, i) => assert.ok(Math.abs((got[i] as number) - e) <= tolerance * (1 + Math.abs(e)), `output ${k} entry ${i}: ${got[i]} against ${e}`));
  });
}
