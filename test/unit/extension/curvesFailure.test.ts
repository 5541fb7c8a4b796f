/**
 * A parameter that makes the loss NaN at every point is a failure with a message, not an empty
 * plot (issue 5). log(c) is NaN for c < 0 (IEEE 754), whatever the input.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { findLoss } from '../../../src/core/analyze';
import { computeCurves } from '../../../src/core/engine/curves';
import type { Executor } from '../../../src/core/engine/executor';
import { runReference } from '../../../src/core/engine/reference';
import { nonFiniteCurvesMessage } from '../../../src/extension/curvesFailure';
import type { CurvesResult } from '../../../src/protocol';

/** The float64 reference as an executor: no backend to start. */
const reference: Executor = {
  backend: 'cpu',
  compile: (program) => (bindings) => Promise.resolve(runReference(program, bindings).map((a) => Float32Array.from(a))),
};

async function curves(text: string, params: Record<string, number>): Promise<CurvesResult> {
  const found = findLoss(text);
  if (!found.ok) throw new Error(JSON.stringify(found.diagnostics));
  const r = await computeCurves(reference, found.loss, params, 16, [-2, 2]);
  if (!r.ok) throw new Error(r.message);
  return r.value;
}

const LOG_OF_PARAM = 'param c = 1 in [-1, 2]\nl(z) = log(c) + softplus(-z)';

describe('nonFiniteCurvesMessage', () => {
  it('names NaN everywhere with the range and the parameter value', async () => {
    const message = nonFiniteCurvesMessage(await curves(LOG_OF_PARAM, { c: -0.5 }));
    assert.equal(message, 'the loss is NaN at every point of the range z in [-2, 2] with c = -0.5');
  });

  it('says nothing when the loss is finite', async () => {
    assert.equal(nonFiniteCurvesMessage(await curves(LOG_OF_PARAM, { c: 1 })), undefined);
  });

  it('says nothing when only part of the range is NaN: that curve is still worth drawing', async () => {
    // sqrt(z) is NaN for z < 0 and finite for z >= 0.
    assert.equal(nonFiniteCurvesMessage(await curves('l(z) = sqrt(z)', {})), undefined);
  });

  it('calls an infinite loss infinite: log(0) = -Infinity', async () => {
    const message = nonFiniteCurvesMessage(await curves(LOG_OF_PARAM, { c: 0 }));
    assert.equal(message, 'the loss is infinite at every point of the range z in [-2, 2] with c = 0');
  });
});
