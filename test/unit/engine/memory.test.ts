/**
 * Long sessions: 10,000 evaluations of the panel's two requests (curves, and the value and
 * gradient at a point) on the wasm backend leave the tfjs tensor count, the loss's IR graph and
 * the heap where they were after a warm-up. The heap is read after a forced collection.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { findLoss } from '../../../src/core/analyze';
import { startBackend, type StartedBackend } from '../../../src/core/engine/backend';
import { computeCurves } from '../../../src/core/engine/curves';
import type { Executor } from '../../../src/core/engine/executor';
import { evaluatePoint } from '../../../src/core/engine/point';
import { tensorExecutor } from '../../../src/core/engine/tensor';
import type { LoweredLoss } from '../../../src/core/lang/lower';

// `node --test` runs without --expose-gc; the flag can still be set, and a fresh context sees gc.
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

function heapAfterCollection(): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

const EVALUATIONS = 10_000;
/** Far above what retained results would cost (10,000 curves of 64 points is tens of MB), far below noise. */
const HEAP_BOUND = 8 * 1024 * 1024;

let started: StartedBackend;
let executor: Executor;
let loss: LoweredLoss;
before(async () => {
  started = await startBackend('wasm');
  executor = tensorExecutor(started.tf, started.backend);
  const found = findLoss('param gamma = 2 in [0, 5]\nparam alpha = 0.25 in [0, 1]\nfocal(p) = -alpha * (1 - p)^gamma * log(p)');
  if (!found.ok) throw new Error(JSON.stringify(found.diagnostics));
  loss = found.loss;
});

/** One slider step as the panel sends it: curves at the new gamma, then the value at a point. */
async function evaluateOnce(i: number): Promise<void> {
  const gamma = (i % 50) / 10;
  const curves = await computeCurves(executor, loss, { gamma }, 64);
  assert.ok(curves.ok);
  const point = await evaluatePoint(executor, loss, { gamma }, { p: 0.1 + (i % 80) / 100 });
  assert.ok(point.ok);
}

describe('memory over a long session', () => {
  it(`keeps tensors, graph and heap flat over ${EVALUATIONS} evaluations on wasm`, async (t) => {
    assert.equal(started.backend, 'wasm');
    for (let i = 0; i < 200; i++) await evaluateOnce(i);
    const tensors = started.tf.memory().numTensors;
    const graphNodes = loss.graph.nodes.length;
    const baseline = heapAfterCollection();
    let largestGrowth = 0;
    for (let i = 0; i < EVALUATIONS; i++) {
      await evaluateOnce(i);
      if ((i + 1) % 1000 === 0) largestGrowth = Math.max(largestGrowth, heapAfterCollection() - baseline);
    }
    const mib = (n: number) => `${(n / 1024 / 1024).toFixed(2)} MiB`;
    t.diagnostic(
      `${EVALUATIONS} evaluations: tensors ${tensors} -> ${started.tf.memory().numTensors}, graph ${graphNodes} -> ${loss.graph.nodes.length} nodes, largest heap growth ${mib(largestGrowth)} over ${mib(baseline)}`,
    );
    assert.equal(started.tf.memory().numTensors, tensors, 'tfjs tensors leaked');
    assert.equal(loss.graph.nodes.length, graphNodes, 'the IR graph grew: derivatives were rebuilt, not interned');
    assert.ok(largestGrowth < HEAP_BOUND, `the heap grew by ${mib(largestGrowth)}`);
  });
});
