/**
 * How each IR op compiles to four float32 lanes: the kernel's counterpart of the `tensor` column
 * of `OPS` (ir/ops.ts). Element-wise ops map lanes to a lane; row ops (sum, logsumexp, softmax,
 * ...) see a vector as K registers, K being known when the kernel is compiled. An op missing from
 * both tables cannot be compiled, and its program runs on the fallback executor.
 */
import type { OpName } from '../ir/ops';
import { f32x4, type Lanes, type Value } from './lanes';
import { acos, asin, atan, atan2, cosh, erf, exp, expm1, log, log1p, pow, sigmoid, sinh, softplus, tanh } from './simdMath';
import type { SimdOp } from './wasmBinary';

type ElementwiseRule = (L: Lanes, args: readonly Value[]) => Value;
type RowRule = (L: Lanes, args: readonly (readonly Value[])[], classes: number) => Value[];

const ONE = f32x4(1);
const ZERO = f32x4(0);

const binary =
  (op: SimdOp): ElementwiseRule =>
  (L, [a, b]) =>
    L.bin(op, a as Value, b as Value);
const unary =
  (f: (L: Lanes, x: Value) => Value): ElementwiseRule =>
  (L, [a]) =>
    f(L, a as Value);
/** A comparison is 1 or 0 in float32, as the tensor rule casts it. */
const indicator = (L: Lanes, mask: Value): Value => L.bin('v128.and', mask, ONE);
const comparison =
  (op: SimdOp): ElementwiseRule =>
  (L, [a, b]) =>
    indicator(L, L.bin(op, a as Value, b as Value));
const truth = (L: Lanes, x: Value): Value => L.bin('f32x4.ne', x, ZERO);

export const ELEMENTWISE: Partial<Record<OpName, ElementwiseRule>> = {
  add: binary('f32x4.add'),
  sub: binary('f32x4.sub'),
  mul: binary('f32x4.mul'),
  div: binary('f32x4.div'),
  pow: (L, [a, b]) => pow(L, a as Value, b as Value),
  neg: unary((L, x) => L.un('f32x4.neg', x)),
  abs: unary((L, x) => L.un('f32x4.abs', x)),
  // 1 above 0, -1 below, 0 at 0 and NaN: the tensor rule's (x > 0) - (x < 0).
  sign: unary((L, x) => L.bin('f32x4.sub', indicator(L, L.bin('f32x4.gt', x, ZERO)), indicator(L, L.bin('f32x4.lt', x, ZERO)))),
  exp: unary(exp),
  log: unary(log),
  log1p: unary(log1p),
  expm1: unary(expm1),
  sqrt: unary((L, x) => L.un('f32x4.sqrt', x)),
  tanh: unary(tanh),
  sinh: unary(sinh),
  cosh: unary(cosh),
  asin: unary(asin),
  acos: unary(acos),
  atan: unary(atan),
  atan2: (L, [y, x]) => atan2(L, y as Value, x as Value),
  erf: unary(erf),
  // The value passes as it is; only the derivative (built in the IR) differs.
  stop_gradient: (_L, [x]) => x as Value,
  sigmoid: unary(sigmoid),
  softplus: unary(softplus),
  relu: unary((L, x) => L.bin('f32x4.max', x, ZERO)),
  max2: binary('f32x4.max'),
  min2: binary('f32x4.min'),
  clip: (L, [x, lo, hi]) => L.bin('f32x4.min', L.bin('f32x4.max', x as Value, lo as Value), hi as Value),
  where: (L, [c, a, b]) => L.select(truth(L, c as Value), a as Value, b as Value),
  lt: comparison('f32x4.lt'),
  le: comparison('f32x4.le'),
  gt: comparison('f32x4.gt'),
  ge: comparison('f32x4.ge'),
  eq: comparison('f32x4.eq'),
  ne: comparison('f32x4.ne'),
  and: (L, [a, b]) => indicator(L, L.bin('v128.and', truth(L, a as Value), truth(L, b as Value))),
  or: (L, [a, b]) => indicator(L, L.bin('v128.or', truth(L, a as Value), truth(L, b as Value))),
  not: (L, [a]) => indicator(L, L.bin('f32x4.eq', a as Value, ZERO)),
};

const fold = (L: Lanes, op: SimdOp, v: readonly Value[]): Value => v.slice(1).reduce<Value>((acc, x) => L.bin(op, acc, x), v[0] as Value);

/** Row max; a row holding -inf or NaN everywhere has no finite shift, as in the float64 rule. */
function shiftedExponentials(L: Lanes, v: readonly Value[]): { m: Value; e: Value[]; total: Value } {
  const m = fold(L, 'f32x4.max', v);
  const e = v.map((x) => exp(L, L.bin('f32x4.sub', x, m)));
  return { m, e, total: fold(L, 'f32x4.add', e) };
}

/** Running sums in the order given: each lane adds the entries one by one, as the float64 rule does. */
function runningSums(L: Lanes, v: readonly Value[]): Value[] {
  const out: Value[] = [];
  v.forEach((x, k) => out.push(k === 0 ? x : L.bin('f32x4.add', out[k - 1] as Value, x)));
  return out;
}

/** Each entry's rank in its row (permutation.ts's rule: ascending, stable, NaN last), as exact float32 counts. */
function ranks(L: Lanes, key: readonly Value[]): Value[] {
  const nan = key.map((k) => L.bin('f32x4.ne', k, k));
  return key.map((ki, i) =>
    key.reduce<Value>((count, kj, j) => {
      if (j === i) return count;
      const before =
        j < i
          ? L.bin('v128.or', L.bin('f32x4.le', kj, ki), nan[i] as Value)
          : L.bin('v128.or', L.bin('f32x4.lt', kj, ki), L.bin('v128.andnot', nan[i] as Value, nan[j] as Value));
      return L.bin('f32x4.add', count, indicator(L, before));
    }, ZERO),
  );
}

/** out_p = x_i for the i whose rank is p: one match per lane, so a chain of selects is exact. */
const placeAt = (L: Lanes, x: readonly Value[], rank: readonly Value[], p: number): Value =>
  x.reduce<Value>((acc, xi, i) => L.select(L.bin('f32x4.eq', rank[i] as Value, f32x4(p)), xi, acc), ZERO);

export const ROWWISE: Partial<Record<OpName, RowRule>> = {
  cumsum: (L, [v]) => runningSums(L, v as Value[]),
  revcumsum: (L, [v]) => runningSums(L, [...(v as Value[])].reverse()).reverse(),
  sort_by: (L, [x, key]) => {
    const rank = ranks(L, key as Value[]);
    return (x as Value[]).map((_, p) => placeAt(L, x as Value[], rank, p));
  },
  unsort_by: (L, [x, key]) => {
    // Entry i takes x at its rank: the select chain over positions p.
    const rank = ranks(L, key as Value[]);
    return rank.map((r) => (x as Value[]).reduce<Value>((acc, xp, p) => L.select(L.bin('f32x4.eq', r, f32x4(p)), xp, acc), ZERO));
  },
  sum: (L, [v]) => [fold(L, 'f32x4.add', v as Value[])],
  vmax: (L, [v]) => [fold(L, 'f32x4.max', v as Value[])],
  vmin: (L, [v]) => [fold(L, 'f32x4.min', v as Value[])],
  logsumexp: (L, [v]) => {
    const { m, e } = shiftedExponentials(L, v as Value[]);
    // m + log(t) + log1p(r / t), t the entries at the max and r the others' e^(x - m), as the
    // tensor rule (ops.ts): r keeps its digits. An infinite or NaN max is the answer itself.
    const top = (v as Value[]).map((x) => L.bin('f32x4.eq', x, m));
    const ties = fold(
      L,
      'f32x4.add',
      top.map((t) => indicator(L, t)),
    );
    const rest = fold(
      L,
      'f32x4.add',
      e.map((x, k) => L.select(top[k] as Value, ZERO, x)),
    );
    const stable = L.bin('f32x4.add', L.bin('f32x4.add', m, log(L, ties)), log1p(L, L.bin('f32x4.div', rest, ties)));
    const finite = L.bin('f32x4.lt', L.un('f32x4.abs', m), f32x4(Infinity));
    return [L.select(finite, stable, m)];
  },
  softmax: (L, [v]) => {
    const { e, total } = shiftedExponentials(L, v as Value[]);
    return e.map((x) => L.bin('f32x4.div', x, total));
  },
  // e_i for a 1-based class i; NaN in every entry when i is not one of 1..K.
  onehot: (L, [i], classes) => {
    const hits = Array.from({ length: classes }, (_, k) => L.bin('f32x4.eq', (i as Value[])[0] as Value, f32x4(k + 1)));
    const valid = fold(L, 'v128.or', hits);
    return hits.map((h) => L.select(valid, indicator(L, h), f32x4(NaN)));
  },
  expand: (_L, [x], classes) => new Array<Value>(classes).fill((x as Value[])[0] as Value),
};
