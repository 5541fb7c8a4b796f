/**
 * Inputs at which the checks evaluate a loss, chosen from each input's role: typical points
 * (seeded random, inside the domain) and extreme points (where float32 overflows, underflows or
 * cancels: |z| up to 1e30, p within one float32 ulp of 0 and 1, logits up to 1e10).
 */
import { sizeOf } from '../ir/shape';
import type { InputRole } from '../lang/kinds';
import { drawRow, type DataDomain } from '../lang/tensorDomain';
import type { LoweredLoss } from '../lang/lower';
import { normal, seededRandom } from './random';

export interface InputSample {
  readonly rows: number;
  /** Each input has rows × (its row's entries: 1, K, B × D, ...) values, row-major. */
  readonly values: Readonly<Record<string, Float64Array>>;
}

/** `size` is the number of entries of one row of the input. */
type Draw = (random: () => number, row: number, K: number, size: number) => number[];

/** The entries of one row of each input of `loss`. */
export function inputWidths(loss: LoweredLoss): number[] {
  return loss.inputs.map(({ leaf }) => sizeOf(loss.graph.shape(leaf)));
}

/** A row of a tensor drawn from its declared domain (`@data m: [B] in {0, 1}`, `@shape p: [B, K] in (0, 1)`). */
function dataRow(domain: DataDomain, size: number, random: () => number): number[] {
  return drawRow(domain, size, random, () => normal(random));
}

/**
 * Extreme rows inside a declared domain of a differentiated tensor: near each end of an interval
 * (where log(p) and 1/p blow up in float32), tiny and huge positives, boxes thin and wide.
 */
function domainExtremes(domain: DataDomain, size: number): number[][] {
  const typical = dataRow(domain, size, seededRandom(19));
  if (domain.kind === 'boxes')
    return [1e-3, 1, 1e3].map((s) => typical.map((x, k) => (k % 4 < 2 ? x : (typical[k - 2] as number) + s * (x - (typical[k - 2] as number)))));
  if (domain.kind !== 'interval') return [typical];
  if (domain.hi === Infinity) return [1e-30, 1e-6, 1, 1e6, 1e30].map((s) => typical.map((x) => domain.lo + s * (x - domain.lo)));
  const width = domain.hi - domain.lo;
  return [typical, ...[1e-7, 1e-3].flatMap((e) => [typical.map(() => domain.lo + e * width), typical.map(() => domain.hi - e * width)])];
}

/** Labels for a row of `size` entries: each class in turn from a seeded start, so every class appears. */
function labelRow(random: () => number, size: number, K: number): number[] {
  const start = Math.floor(random() * K);
  return Array.from({ length: size }, (_, j) => 1 + ((start + j) % K));
}

const TYPICAL: Readonly<Record<InputRole, Draw>> = {
  real: (r) => [-4 + 8 * r()],
  probability: (r) => [0.02 + 0.96 * r()],
  binaryLabel: (_r, row) => [row % 2],
  logits: (r, _row, K) => Array.from({ length: K }, () => 2 * normal(r)),
  classIndex: (_r, row, K) => [1 + (row % K)],
  simplex: (r, _row, K) => {
    const e = Array.from({ length: K }, () => Math.exp(normal(r)));
    const s = e.reduce((a, b) => a + b, 0);
    return e.map((x) => x / s);
  },
  tensor: (r, _row, _K, size) => Array.from({ length: size }, () => normal(r)),
  data: (r, _row, _K, size) => Array.from({ length: size }, () => normal(r)),
  labels: (r, _row, K, size) => labelRow(r, size, K),
};

export function typicalSample(loss: LoweredLoss, rows: number, seed: number): InputSample {
  const K = loss.info.classes;
  const random = seededRandom(seed);
  const values: Record<string, Float64Array> = {};
  const widths = inputWidths(loss);
  loss.inputs.forEach(({ spec }, i) => (values[spec.name] = new Float64Array(rows * (widths[i] as number))));
  for (let row = 0; row < rows; row++) {
    for (const [i, { spec }] of loss.inputs.entries()) {
      const v =
        (spec.role === 'data' || spec.role === 'tensor') && spec.domain !== undefined
          ? dataRow(spec.domain, widths[i] as number, random)
          : TYPICAL[spec.role](random, row, K, widths[i] as number);
      (values[spec.name] as Float64Array).set(v, row * v.length);
    }
  }
  return { rows, values };
}

const MAGNITUDES = [0, 1e-30, 1e-8, 1e-4, 0.1, 0.5, 1, 2, 5, 10, 17, 20, 30, 50, 80, 88, 89, 100, 200, 1e3, 1e4, 1e6, 1e10, 1e20, 1e30];
const REALS = [...new Set(MAGNITUDES.flatMap((m) => [m, -m]))];
// Denormals are left out: backends may flush them to zero, which is no fault of the formula.
const PROBABILITIES = [1e-37, 1e-30, 1e-20, 1e-10, 1e-7, 1e-5, 1e-3, 0.01, 0.1, 0.3, 0.5, 0.7, 0.9, 0.99, 0.999, 1 - 1e-5, 1 - 1e-6, Math.fround(1 - 2 ** -24)];
const LOGIT_SCALES = [0, 1, 10, 30, 100, 1e3, 1e4, 1e6, 1e10];

function logitPatterns(K: number): number[][] {
  const unit = (k: number, v: number) => Array.from({ length: K }, (_, j) => (j === k ? v : 0));
  const directions = [
    unit(0, 1),
    unit(0, -1),
    unit(1, 1),
    Array.from({ length: K }, (_, j) => (j === 0 ? 1 : j === 1 ? -1 : 0)),
    Array.from({ length: K }, (_, j) => 1 - 2 * (j % 2)),
  ];
  return LOGIT_SCALES.flatMap((s) => directions.map((d) => d.map((x) => x * s)));
}

function simplexPatterns(K: number): number[][] {
  const out = [Array.from({ length: K }, () => 1 / K)];
  for (const d of [1e-3, 1e-7, 1e-20, 1e-37, 0]) {
    out.push(Array.from({ length: K }, (_, j) => (j === 0 ? 1 - (K - 1) * d : d)));
    out.push(Array.from({ length: K }, (_, j) => (j === K - 1 ? 1 - (K - 1) * d : d)));
  }
  return out;
}

/** A fixed direction scaled to each magnitude: where a batch loss's float32 arithmetic overflows or cancels. */
function tensorPatterns(size: number): number[][] {
  const random = seededRandom(17);
  const direction = Array.from({ length: size }, () => normal(random));
  return [0, 1, 10, 30, 100, 1e3, 1e4, 1e6].map((s) => direction.map((x) => x * s));
}

function extremesFor(role: InputRole, K: number, first: boolean, size: number): number[][] {
  switch (role) {
    case 'tensor':
      return tensorPatterns(size);
    case 'data':
      return [tensorPatterns(size)[1] as number[]];
    case 'labels':
      return [Array.from({ length: size }, (_, j) => 1 + (j % K))];
    case 'real':
      // Only the first real input sweeps; the others take a few values, to keep the product small.
      return (first ? REALS : [0, 1, -1, 1e3]).map((x) => [x]);
    case 'probability':
      return PROBABILITIES.map((p) => [p]);
    case 'binaryLabel':
      return [[0], [1]];
    case 'classIndex':
      return [[1], [Math.min(2, K)]];
    case 'logits':
      return logitPatterns(K);
    case 'simplex':
      return simplexPatterns(K);
  }
}

/** Every combination of each input's extreme values, rounded to float32 (what the backend sees). */
export function extremeSample(loss: LoweredLoss): InputSample {
  const K = loss.info.classes;
  const widths = inputWidths(loss);
  const options = loss.inputs.map(({ spec }, i) =>
    spec.role === 'data' && spec.domain !== undefined
      ? [dataRow(spec.domain, widths[i] as number, seededRandom(19))]
      : spec.role === 'tensor' && spec.domain !== undefined
        ? domainExtremes(spec.domain, widths[i] as number)
        : extremesFor(spec.role, K, i === 0, widths[i] as number),
  );
  // Tensor inputs move together (each scaled to the same magnitude): their product would be too many rows.
  const firstTensor = loss.inputs.findIndex(({ spec }) => spec.role === 'tensor');
  let combos: number[][] = [[]];
  loss.inputs.forEach(({ spec }, i) => {
    // A tensor with a domain has its own number of extremes: it cycles through them.
    if (spec.role === 'tensor' && i !== firstTensor) combos = combos.map((c) => [...c, (c[firstTensor] as number) % (options[i] as number[][]).length]);
    else combos = combos.flatMap((c) => (options[i] as number[][]).map((_, k) => [...c, k]));
  });
  const values: Record<string, Float64Array> = {};
  loss.inputs.forEach(({ spec }, i) => {
    const width = widths[i] as number;
    const col = new Float64Array(combos.length * width);
    combos.forEach((c, row) => col.set(((options[i] as number[][])[c[i] as number] as number[]).map(Math.fround), row * width));
    values[spec.name] = col;
  });
  return { rows: combos.length, values };
}

/** The inputs of one row, for a witness. */
export function rowOf(loss: LoweredLoss, sample: InputSample, row: number): Record<string, number | number[]> {
  const widths = inputWidths(loss);
  const out: Record<string, number | number[]> = {};
  loss.inputs.forEach(({ spec, leaf }, i) => {
    const col = sample.values[spec.name] as Float64Array;
    const width = widths[i] as number;
    if (loss.graph.shape(leaf).length > 0) out[spec.name] = Array.from(col.subarray(row * width, (row + 1) * width));
    else out[spec.name] = col[row] as number;
  });
  return out;
}
