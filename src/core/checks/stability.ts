/**
 * stability: the loss and its gradient in float32 (the backend) against float64 (the reference)
 * at extreme inputs and at typical ones (where a cancellation such as cross-entropy's
 * logsumexp(s) - s[y] at confident logits shows), both fed the same float32-rounded inputs; the
 * worst relative error of the value on the typical inputs is reported as a metric. A result fails when float32 gives
 * NaN or Inf where the float64 value is finite and representable in float32 (overflow, 0/0,
 * log(0)), or when it loses precision: an error beyond 0.1% of the value plus 256 float32 ulps
 * of the input's magnitude (errors of the size of the input's own rounding are unavoidable).
 * Known unstable patterns come with their stable rewrite (rewrites.ts).
 */
import { gradient } from '../ir/autodiff';
import { lowerToProgram } from '../ir/program';
import { runReference } from '../engine/reference';
import { isDifferentiableRole } from '../lang/kinds';
import type { Check, CheckContext } from './context';
import type { CheckResult } from './report';
import { findStableRewrites } from './rewrites';
import { extremeSample, rowOf, typicalSample, type InputSample } from './sampling';

const FLOAT32_MAX = 3.4028234663852886e38;
const FLOAT32_EPSILON = 2 ** -23;
const RELATIVE_TOLERANCE = 1e-3;
const ULPS_OF_INPUT = 256;
const TYPICAL_POINTS = 64;

/** The extreme inputs, then typical ones rounded to float32 (the extremes are float32 values already). */
function extremeAndTypical(loss: CheckContext['loss']): { sample: InputSample; typicalFrom: number } {
  const extreme = extremeSample(loss);
  const typical = typicalSample(loss, TYPICAL_POINTS, 7);
  const values: Record<string, Float64Array> = {};
  for (const { spec } of loss.inputs) {
    const a = extreme.values[spec.name] as Float64Array;
    const b = (typical.values[spec.name] as Float64Array).map(Math.fround);
    const both = new Float64Array(a.length + b.length);
    both.set(a);
    both.set(b, a.length);
    values[spec.name] = both;
  }
  return { sample: { rows: extreme.rows + typical.rows, values }, typicalFrom: extreme.rows };
}

interface Finding {
  readonly row: number;
  readonly output: string;
  readonly float32: number;
  readonly float64: number;
  readonly problem: 'nan' | 'inf' | 'precision';
  readonly excess: number;
}

async function checkStability({ loss, params, executor }: CheckContext): Promise<CheckResult> {
  const g = loss.graph;
  const wrt = loss.inputs.filter((i) => isDifferentiableRole(i.spec.role));
  const grads = gradient(
    g,
    loss.value,
    wrt.map((i) => i.leaf),
  );
  const program = lowerToProgram(g, [loss.value, ...grads]);
  const { sample, typicalFrom } = extremeAndTypical(loss);
  const roundedParams = Object.fromEntries(Object.entries(params).map(([k, v]) => [k, Math.fround(v)]));
  const bindings = { rows: sample.rows, values: { ...roundedParams, ...sample.values } };
  const reference = runReference(program, bindings);
  const float32 = await executor.compile(program)(bindings);

  // The magnitude of each row's inputs, for the absolute part of the tolerance.
  const scale = new Float64Array(sample.rows).fill(1);
  for (const { spec } of loss.inputs) {
    const col = sample.values[spec.name] as Float64Array;
    const width = col.length / sample.rows;
    for (let i = 0; i < col.length; i++) {
      const r = Math.floor(i / width);
      scale[r] = Math.max(scale[r] as number, Math.abs(col[i] as number));
    }
  }

  const outputNames = ['value', ...wrt.map((i) => `d/d${i.spec.name}`)];
  const findings: Finding[] = [];
  let compared = 0;
  let undefinedPoints = 0;
  let typicalError = 0;
  outputNames.forEach((output, o) => {
    const ref = reference[o] as Float64Array;
    const f32 = float32[o] as Float32Array;
    const width = ref.length / sample.rows;
    for (let i = 0; i < ref.length; i++) {
      const want = ref[i] as number;
      const got = f32[i] as number;
      const row = Math.floor(i / width);
      // Where the loss itself is undefined or too large for float32, float32 is not to blame.
      if (!Number.isFinite(want) || Math.abs(want) > FLOAT32_MAX) {
        if (o === 0) undefinedPoints++;
        continue;
      }
      compared++;
      const out = width > 1 ? `${output}[${(i % width) + 1}]` : output;
      if (Number.isNaN(got)) findings.push({ row, output: out, float32: got, float64: want, problem: 'nan', excess: Infinity });
      else if (!Number.isFinite(got)) findings.push({ row, output: out, float32: got, float64: want, problem: 'inf', excess: Infinity });
      else {
        const tolerance = RELATIVE_TOLERANCE * Math.abs(want) + ULPS_OF_INPUT * FLOAT32_EPSILON * (scale[row] as number);
        const error = Math.abs(got - want);
        if (o === 0 && row >= typicalFrom && want !== 0) typicalError = Math.max(typicalError, error / Math.abs(want));
        if (error > tolerance) findings.push({ row, output: out, float32: got, float64: want, problem: 'precision', excess: error / tolerance });
      }
    }
  });

  const metrics = { points: sample.rows, compared, failures: findings.length, undefined_points: undefinedPoints, typical_max_rel_error: typicalError };
  if (compared === 0) return { id: 'stability', verdict: 'inconclusive', summary: 'the loss is not finite at any of the extreme inputs', metrics };
  if (findings.length === 0) {
    return {
      id: 'stability',
      verdict: 'pass',
      summary: `float32 on ${executor.backend} matches float64 at ${typicalFrom} extreme and ${sample.rows - typicalFrom} typical inputs (value and gradient; the value to ${typicalError.toExponential(1)} relative on the typical ones)`,
      metrics,
    };
  }
  // The worst finding: non-finite results first, then the largest excess over the tolerance.
  const worst = findings.reduce((a, b) => (b.excess > a.excess ? b : a));
  const rewrites = findStableRewrites(g, loss.value);
  const what =
    worst.problem === 'precision'
      ? `loses precision (${worst.float32} instead of ${worst.float64})`
      : `gives ${worst.float32} where float64 gives ${worst.float64}`;
  const inputs = rowOf(loss, sample, worst.row);
  const at = Object.entries(inputs)
    .map(([k, v]) => `${k} = ${Array.isArray(v) ? `[${v.join(', ')}]` : String(v)}`)
    .join(', ');
  const advice = rewrites.length > 0 ? `; rewrite ${rewrites.map((r) => `${r.pattern} as ${r.replacement}`).join(', and ')}` : '';
  return {
    id: 'stability',
    verdict: 'fail',
    summary: `in float32 the ${worst.output} ${what} at ${at}; ${findings.length} of ${compared} results are affected${advice}`,
    metrics,
    witness: {
      ...inputs,
      output: worst.output,
      float32: jsonNumber(worst.float32),
      float64: jsonNumber(worst.float64),
      ...(rewrites[0] ? { rewrite: `${rewrites[0].pattern} -> ${rewrites[0].replacement}` } : {}),
    },
  };
}

export const stabilityCheck: Check = { id: 'stability', title: 'Float32 stability', applies: () => true, run: checkStability };

/** JSON has no NaN or Infinity; a witness says them in words rather than as null. */
function jsonNumber(v: number): number | string {
  return Number.isFinite(v) ? v : String(v);
}
