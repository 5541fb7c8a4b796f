/**
 * The multiclass conditional risk C_eta(s) = sum_k eta_k l(s, k) and its minimisation over the
 * logits s in R^K, for the consistency check. Many problems are solved at once, in float64, on
 * LossLab's symbolic gradient: limited-memory BFGS with a backtracking (Armijo) line search, all
 * runs advancing together so that each round is one batched evaluation. A run may be held on the
 * face s_i = s_j (the boundary of the set where class j ties or beats class i): its gradient is
 * projected onto that face and every step keeps the two entries equal.
 */
import type { NodeId } from '../ir/graph';
import type { LoweredLoss } from '../lang/lower';
import { evaluate64, inputGradients } from './float64';
import { everyClassBatch, multiclassInputs } from './multiclassBatch';

export interface RiskProblem {
  readonly eta: Float64Array;
  readonly start: Float64Array;
  /** Two classes whose logits stay equal, or none. */
  readonly tie?: readonly [number, number];
}

export interface RiskMinimum {
  readonly s: Float64Array;
  readonly value: number;
  /** The largest entry of the (projected) gradient at `s`. */
  readonly gradient: number;
  /**
   * How the run ended: `stationary` (gradient below tolerance), `stalled` (no step along the
   * search direction lowers the risk: a kink, or rounding), `infinity` (the logits ran past 1e9:
   * the infimum is approached at infinity), `unbounded` (the risk fell without bound), `budget`
   * (out of rounds), `undefined` (the risk is not finite at the start).
   */
  readonly end: 'stationary' | 'stalled' | 'infinity' | 'unbounded' | 'budget' | 'undefined';
}

const MEMORY = 6;
const ARMIJO = 1e-4;
const GRADIENT_TOLERANCE = 1e-10;
const MAX_ROUNDS = 160;
const UNBOUNDED = 1e6;
const FAR = 1e9;
const PATIENCE = 12;
const PROGRESS = 1e-10;

interface Run {
  readonly problem: RiskProblem;
  x: Float64Array;
  f: number;
  g: Float64Array;
  d: Float64Array;
  alpha: number;
  trial: Float64Array;
  readonly pairs: { s: Float64Array; y: Float64Array; rho: number }[];
  end: RiskMinimum['end'] | undefined;
  readonly f0: number;
  /** The risk PATIENCE rounds ago, to stop runs that no longer make progress (kinks). */
  fMark: number;
}

const dot = (a: Float64Array, b: Float64Array): number => {
  let t = 0;
  for (let i = 0; i < a.length; i++) t += (a[i] as number) * (b[i] as number);
  return t;
};
const maxAbs = (a: Float64Array): number => a.reduce((m, x) => Math.max(m, Math.abs(x)), 0);

const logitGradients = new WeakMap<LoweredLoss, NodeId>();

/** The node of d l / d s, built once per loss (the minimisers ask for it every round). */
function logitGradient(loss: LoweredLoss): NodeId {
  let node = logitGradients.get(loss);
  if (node === undefined) {
    const { logits } = multiclassInputs(loss);
    node = inputGradients(loss).find((g) => g.name === logits)?.node;
    if (node === undefined) throw new Error('bug: no gradient with respect to the logits');
    logitGradients.set(loss, node);
  }
  return node;
}

/** The risk and its gradient at many points: one row per (point, class), one batched call. */
export function multiclassConditionalRisks(
  loss: LoweredLoss,
  params: Readonly<Record<string, number>>,
  points: readonly { readonly eta: Float64Array; readonly s: Float64Array }[],
): { value: number; gradient: Float64Array }[] {
  const K = loss.info.classes;
  const batch = everyClassBatch(
    loss,
    points.map((p) => p.s),
  );
  const [values, grads] = evaluate64(loss, [loss.value, logitGradient(loss)], params, batch.rows, batch.inputs) as [Float64Array, Float64Array];
  return points.map((p, i) => {
    let value = 0;
    const gradient = new Float64Array(K);
    for (let k = 0; k < K; k++) {
      const w = p.eta[k] as number;
      // A class of probability zero contributes nothing, even where its loss is infinite.
      if (w === 0) continue;
      const r = i * K + k;
      value += w * (values[r] as number);
      for (let j = 0; j < K; j++) gradient[j] = (gradient[j] as number) + w * (grads[r * K + j] as number);
    }
    return { value, gradient };
  });
}

/** Makes `v` tangent to the face s_i = s_j (or leaves it), in place. */
function project(v: Float64Array, tie: RiskProblem['tie']): Float64Array {
  if (tie) {
    const [i, j] = tie;
    const m = ((v[i] as number) + (v[j] as number)) / 2;
    v[i] = m;
    v[j] = m;
  }
  return v;
}

/** -H g by the two-loop recursion, H the L-BFGS inverse-Hessian estimate. */
function searchDirection(run: Run): Float64Array {
  const q = Float64Array.from(run.g);
  const alphas: number[] = [];
  for (let m = run.pairs.length - 1; m >= 0; m--) {
    const p = run.pairs[m] as Run['pairs'][number];
    const a = p.rho * dot(p.s, q);
    alphas[m] = a;
    for (let i = 0; i < q.length; i++) q[i] = (q[i] as number) - a * (p.y[i] as number);
  }
  const last = run.pairs[run.pairs.length - 1];
  // With no curvature pairs yet, the first step moves at most one unit in any logit.
  const gamma = last ? dot(last.s, last.y) / dot(last.y, last.y) : 1 / Math.max(1, maxAbs(run.g));
  for (let i = 0; i < q.length; i++) q[i] = gamma * (q[i] as number);
  for (let m = 0; m < run.pairs.length; m++) {
    const p = run.pairs[m] as Run['pairs'][number];
    const b = p.rho * dot(p.y, q);
    for (let i = 0; i < q.length; i++) q[i] = (q[i] as number) + (p.s[i] as number) * ((alphas[m] as number) - b);
  }
  return project(
    q.map((v) => -v),
    run.problem.tie,
  );
}

/** Minimises the conditional risk of every problem; `rounds` bounds the batched evaluations. */
export function minimizeMulticlassRisks(
  loss: LoweredLoss,
  params: Readonly<Record<string, number>>,
  problems: readonly RiskProblem[],
  rounds = MAX_ROUNDS,
): RiskMinimum[] {
  const starts = problems.map((p) => project(Float64Array.from(p.start), p.tie));
  const first = multiclassConditionalRisks(
    loss,
    params,
    problems.map((p, i) => ({ eta: p.eta, s: starts[i] as Float64Array })),
  );
  const runs: Run[] = problems.map((problem, i) => {
    const { value, gradient } = first[i] as { value: number; gradient: Float64Array };
    const x = starts[i] as Float64Array;
    const g = project(gradient, problem.tie);
    const run: Run = { problem, x, f: value, g, d: g, alpha: 1, trial: x, pairs: [], end: undefined, f0: value, fMark: value };
    if (!Number.isFinite(value) || !g.every(Number.isFinite)) run.end = 'undefined';
    else if (maxAbs(g) <= GRADIENT_TOLERANCE * Math.max(1, Math.abs(value))) run.end = 'stationary';
    else run.d = searchDirection(run);
    return run;
  });

  for (let round = 0; round < rounds; round++) {
    if (round > 0 && round % PATIENCE === 0) {
      for (const r of runs) {
        if (r.end === undefined && r.fMark - r.f <= PROGRESS * (1 + Math.abs(r.f))) r.end = 'stalled';
        r.fMark = r.f;
      }
    }
    const active = runs.filter((r) => r.end === undefined);
    if (active.length === 0) break;
    for (const r of active)
      r.trial = project(
        r.x.map((v, i) => v + r.alpha * (r.d[i] as number)),
        r.problem.tie,
      );
    const results = multiclassConditionalRisks(
      loss,
      params,
      active.map((r) => ({ eta: r.problem.eta, s: r.trial })),
    );
    active.forEach((r, i) => {
      const { value, gradient } = results[i] as { value: number; gradient: Float64Array };
      const g = project(gradient, r.problem.tie);
      const slope = dot(r.g, r.d);
      if (Number.isFinite(value) && g.every(Number.isFinite) && value <= r.f + ARMIJO * r.alpha * slope) {
        const s = r.trial.map((v, k) => v - (r.x[k] as number));
        const y = g.map((v, k) => v - (r.g[k] as number));
        const sy = dot(s, y);
        // Keep only pairs of positive curvature, so that H stays positive definite.
        if (sy > 1e-12 * Math.sqrt(dot(s, s) * dot(y, y))) {
          r.pairs.push({ s, y, rho: 1 / sy });
          if (r.pairs.length > MEMORY) r.pairs.shift();
        }
        r.x = r.trial;
        r.f = value;
        r.g = g;
        // A full step with no curvature to go by (a linear stretch) doubles the next one.
        r.alpha = r.alpha >= 1 && r.pairs.length === 0 ? 2 * r.alpha : 1;
        if (value < r.f0 - UNBOUNDED * (1 + Math.abs(r.f0))) r.end = 'unbounded';
        else if (maxAbs(r.x) > FAR) r.end = 'infinity';
        else if (maxAbs(g) <= GRADIENT_TOLERANCE * Math.max(1, Math.abs(value))) r.end = 'stationary';
        else {
          r.d = searchDirection(r);
          if (dot(r.d, r.g) >= 0) {
            r.pairs.length = 0;
            r.d = searchDirection(r);
          }
        }
        return;
      }
      r.alpha *= 0.25;
      // The step no longer changes the point: restart from steepest descent once, then stop.
      if (r.alpha * maxAbs(r.d) <= 1e-15 * Math.max(1, maxAbs(r.x))) {
        if (r.pairs.length > 0) {
          r.pairs.length = 0;
          r.d = searchDirection(r);
          r.alpha = 1;
        } else r.end = 'stalled';
      }
    });
  }
  return runs.map((r) => ({ s: r.x, value: r.f, gradient: maxAbs(r.g), end: r.end ?? 'budget' }));
}
