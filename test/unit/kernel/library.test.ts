/**
 * Differential test over the whole library: every loss's value, gradient with respect to each
 * differentiable input and a second derivative (d²/dx² of the first input; H·1 for a vector),
 * through the fused kernels, TensorFlow.js (wasm) and the float64 reference, at typical inputs and
 * at the stability check's extreme inputs, agree to the tolerance of agreement.ts. And the
 * stability check reaches the same verdict on the fused executor as on tfjs for every loss.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { extremeSample, typicalSample } from '../../../src/core/checks/sampling';
import { stabilityCheck } from '../../../src/core/checks/stability';
import { startBackend } from '../../../src/core/engine/backend';
import type { Executor } from '../../../src/core/engine/executor';
import { createFusedExecutor, type FusedExecutor } from '../../../src/core/engine/fused';
import { runReference } from '../../../src/core/engine/reference';
import { tensorExecutor } from '../../../src/core/engine/tensor';
import { gradient } from '../../../src/core/ir/autodiff';
import type { NodeId } from '../../../src/core/ir/graph';
import { lowerToProgram } from '../../../src/core/ir/program';
import { isDifferentiableRole } from '../../../src/core/lang/kinds';
import { parseLossText } from '../../../src/core/lang/parse';
import { LIBRARY_FILES, libraryLoss } from '../library/reference';
import { compareColumns } from './agreement';
import { perturbedReference } from './perturbed';

let tfjs: Executor;
let fused: FusedExecutor;
before(async () => {
  const s = await startBackend('wasm');
  tfjs = tensorExecutor(s.tf, s.backend);
  fused = await createFusedExecutor(tfjs, { threads: 2 });
});
after(() => fused.dispose());

// Batch losses (tensor arguments) are left out: this suite's second derivative is along one scalar
// input. fusedTensors.test.ts runs their values and gradients on the kernels, and
// tensors-pytorch.test.ts checks them against PyTorch.
const LOSSES = [...LIBRARY_FILES].flatMap(([file, text]) =>
  parseLossText(text)
    .definitions.filter((d) => !d.helper && libraryLoss(d.name).info.kind !== 'batch')
    .map((d) => ({ file, name: d.name })),
);

function programOf(name: string) {
  const loss = libraryLoss(name);
  const g = loss.graph;
  const wrt = loss.inputs.filter((i) => isDifferentiableRole(i.spec.role));
  const grads = gradient(
    g,
    loss.value,
    wrt.map((i) => i.leaf),
  );
  const outputs: NodeId[] = [loss.value, ...grads];
  const first = grads[0];
  if (first !== undefined)
    outputs.push(gradient(g, g.shape(first).length === 1 ? g.apply('sum', first) : first, [(wrt[0] as { leaf: NodeId }).leaf])[0] as NodeId);
  return { loss, program: lowerToProgram(g, outputs) };
}

describe('fused kernels against tfjs and float64 on every library loss', () => {
  for (const { file, name } of LOSSES) {
    it(`${name} (${file}): value, gradient and second derivative agree at typical and extreme inputs`, async (t) => {
      const { loss, program } = programOf(name);
      const compiled = fused.compile(program);
      assert.equal(compiled.engine, 'fused-wasm', compiled.fallbackReason);
      const params = Object.fromEntries(loss.params.map((p) => [p.decl.name, Math.fround(p.decl.value)]));
      for (const sample of [typicalSample(loss, 64, 7), extremeSample(loss)]) {
        const bindings = { rows: sample.rows, values: { ...params, ...sample.values } };
        const reference = runReference(program, bindings);
        const [ours, theirs] = [await compiled(bindings), await tfjs.compile(program)(bindings)];
        const monteCarlo = [1, 2, 3].map((seed) => perturbedReference(program, bindings, seed));
        reference.forEach((ref, o) => {
          const a = compareColumns(ours[o] as Float32Array, ref, [theirs[o] as Float32Array, ...monteCarlo.map((m) => m[o] as Float64Array)]);
          if (a.byYardstick > 0) t.diagnostic(`output ${o}: ${a.byYardstick} of ${a.compared} entries within float32's expected error only`);
          const d = a.disagreements[0];
          assert.equal(
            a.disagreements.length,
            0,
            d && `output ${o}[${d.index}] of ${sample.rows} rows: fused ${d.fused}, float64 ${d.reference}, tfjs ${d.tfjs}`,
          );
        });
      }
    });
  }

  it('never changes a verdict of the stability check', async () => {
    const changed: string[] = [];
    for (const { name } of LOSSES) {
      const loss = libraryLoss(name);
      const params = Object.fromEntries(loss.params.map((p) => [p.decl.name, p.decl.value]));
      const [a, b] = [await stabilityCheck.run({ loss, params, executor: fused }), await stabilityCheck.run({ loss, params, executor: tfjs })];
      if (a.verdict !== b.verdict) changed.push(`${name}: fused ${a.verdict} (${a.summary}), tfjs ${b.verdict}`);
    }
    assert.deepEqual(changed, []);
  });
});
