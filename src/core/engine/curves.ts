/**
 * Curves of a loss along one axis: value, first and second derivative with respect to the
 * axis variable t, for each way the other inputs are held. Scalar inputs run along t directly;
 * vector inputs run along a path (the true-class logit against the others for multiclass, or
 * another direction in logit space: `curveDirection.ts`).
 */
import { gradient, secondDerivative } from '../ir/autodiff';
import type { Graph, NodeId } from '../ir/graph';
import { latexName, toLatex } from '../ir/latex';
import { lowerToProgram } from '../ir/program';
import { substitute } from '../ir/substitute';
import { isDifferentiableRole } from '../lang/kinds';
import type { LoweredLoss } from '../lang/lower';
import type { CurveSeries, CurvesResult } from '../results';
import { curveDirectionProblem, directionLogit, type CurveDirection } from './curveDirection';
import { engineOf, type CompiledProgram, type Executor } from './executor';
import { entryName, holdBatch, movingInput } from './heldBatch';
import { resolveParams, type ParamValues, type Resolved } from './point';
import { SCALAR } from '../ir/shape';

interface CurvePath {
  readonly axis: string;
  readonly label: string;
  readonly range: readonly [number, number];
  /** One series per way of holding the inputs that are not on the axis. */
  readonly series: readonly { readonly label: string; readonly replacements: ReadonlyMap<NodeId, NodeId> }[];
  /** Values of the leaves the path adds (a batch loss's held tensors). */
  readonly held?: Readonly<Record<string, readonly number[]>>;
}

/** Not a valid identifier, so it never collides with a user's input name. */
const AXIS_LEAF = '@axis';
const AXIS = 't';

/** A batch loss along its first entry, every other entry at the seeded default (heldBatch.ts). */
function batchPath(loss: LoweredLoss, g: Graph, t: NodeId): CurvePath {
  const moving = movingInput(loss);
  const held = holdBatch(loss, g, moving ? [{ entry: 0, leaf: t }] : []);
  const entry = moving ? entryName(moving.spec.name, g.shape(moving.leaf), 0) : AXIS;
  return {
    axis: entry,
    label: `${entry}, every other entry at the seeded default`,
    range: [-4, 4],
    series: [{ label: loss.info.name, replacements: held.replacements }],
    held: held.bindings,
  };
}

function pathFor(loss: LoweredLoss, g: Graph, t: NodeId, direction: CurveDirection): CurvePath {
  const K = loss.info.classes;
  const [first, second] = loss.inputs;
  if (first === undefined) throw new Error('bug: a loss without inputs');
  const one = (leaf: NodeId, to: NodeId) => new Map([[leaf, to]]);
  switch (loss.info.kind) {
    case 'batch':
      return batchPath(loss, g, t);
    case 'probability':
      if (second === undefined)
        return { axis: first.spec.name, label: first.spec.name, range: [0.001, 0.999], series: [{ label: loss.info.name, replacements: one(first.leaf, t) }] };
      return {
        axis: first.spec.name,
        label: first.spec.name,
        range: [0.001, 0.999],
        series: [1, 0].map((y) => ({
          label: `${second.spec.name} = ${y}`,
          replacements: new Map([
            [first.leaf, t],
            [second.leaf, g.constant(y)],
          ]),
        })),
      };
    case 'multiclass': {
      const along = multiclassDirection(g, t, direction, K);
      const label = second
        ? new Map([
            [first.leaf, along.s],
            [second.leaf, g.constant(1)],
          ])
        : one(first.leaf, along.s);
      return { axis: AXIS, label: along.label, range: [-6, 6], series: [{ label: loss.info.name, replacements: label }] };
    }
    case 'distribution': {
      // p = (t, (1-t)/(K-1), ...) against q uniform.
      const e1 = g.apply('onehot', g.constant(1));
      const rest = g.apply('div', g.apply('sub', g.constant(1), t), g.constant(K - 1));
      const p = g.apply('add', g.apply('mul', t, e1), g.apply('mul', rest, g.apply('sub', g.constant(1), e1)));
      const q = g.apply('expand', g.constant(1 / K));
      const repl = new Map([[first.leaf, p]]);
      if (second) repl.set(second.leaf, q);
      return {
        axis: AXIS,
        label: `t, with p = (t, (1−t)/${K - 1}, …) and q uniform`,
        range: [0.001, 0.999],
        series: [{ label: loss.info.name, replacements: repl }],
      };
    }
    default: {
      // margin, regression, pairwise: the first input on the axis, the others at 0.
      const repl = new Map<NodeId, NodeId>([[first.leaf, t]]);
      for (const other of loss.inputs.slice(1)) repl.set(other.leaf, g.constant(0));
      const held = loss.inputs.slice(1).map((i) => `${i.spec.name} = 0`);
      return {
        axis: first.spec.name,
        label: held.length ? `${first.spec.name} (${held.join(', ')})` : first.spec.name,
        range: [-4, 4],
        series: [{ label: loss.info.name, replacements: repl }],
      };
    }
  }
}

/** The logits s(t) along a direction, y = 1 throughout, and the axis label that says which. */
function multiclassDirection(g: Graph, t: NodeId, direction: CurveDirection, K: number): { s: NodeId; label: string } {
  const e = (k: number): NodeId => g.apply('onehot', g.constant(k));
  const k = directionLogit(direction) ?? 1;
  if (direction === 'rival') {
    // s = (t/2, -t/2, 0, ..., 0): class 1 ahead of class 2 by t, the others level at 0.
    const s = g.apply('mul', g.apply('div', t, g.constant(2)), g.apply('sub', e(1), e(2)));
    return { s, label: `t, with s = (t/2, −t/2, 0, …, 0) and y = 1: class 1 against class 2 (K = ${K})` };
  }
  if (k === 1) {
    // s = (t, 0, ..., 0) with y = 1: t is the margin of the true class over the others.
    return { s: g.apply('mul', t, e(1)), label: `t, with s = (t, 0, …, 0) and y = 1 (K = ${K})` };
  }
  return { s: g.apply('mul', t, e(k)), label: `t, with s_${k} = t, the other logits 0, and y = 1 (K = ${K})` };
}

/** The symbolic derivative shown beside the formula: with respect to the first input. */
function derivativeLatex(loss: LoweredLoss): { derivative: string; derivativeOf: string } {
  const input = loss.inputs.find((i) => isDifferentiableRole(i.spec.role));
  if (!input) return { derivative: '0', derivativeOf: '' };
  const [d] = gradient(loss.graph, loss.value, [input.leaf]);
  return {
    derivative: toLatex(loss.graph, d as NodeId),
    derivativeOf: `\\frac{\\partial ${latexName(loss.info.name)}}{\\partial ${latexName(input.spec.name)}}`,
  };
}

interface CurvePlan {
  readonly path: CurvePath;
  readonly run: CompiledProgram;
  readonly latex: CurvesResult['latex'];
}

/**
 * What does not change while a slider is dragged: the path, the derivative program compiled
 * for the executor, and the LaTeX. Params are leaves, so one plan serves every value.
 */
const plans = new WeakMap<LoweredLoss, WeakMap<Executor, Map<CurveDirection, CurvePlan>>>();

function curvePlan(loss: LoweredLoss, executor: Executor, direction: CurveDirection): CurvePlan {
  let byExecutor = plans.get(loss);
  if (!byExecutor) plans.set(loss, (byExecutor = new WeakMap()));
  let byDirection = byExecutor.get(executor);
  if (!byDirection) byExecutor.set(executor, (byDirection = new Map()));
  const cached = byDirection.get(direction);
  if (cached) return cached;
  const g = loss.graph;
  const t = g.leaf(AXIS_LEAF, 'input', SCALAR);
  const path = pathFor(loss, g, t, direction);
  const outputs: NodeId[] = [];
  for (const s of path.series) {
    const along = substitute(g, loss.value, s.replacements);
    outputs.push(along, gradient(g, along, [t])[0] as NodeId, secondDerivative(g, along, t));
  }
  const signature = loss.inputs.map((i) => latexName(i.spec.name)).join(', ');
  const plan: CurvePlan = {
    path,
    run: executor.compile(lowerToProgram(g, outputs)),
    latex: { formula: `${latexName(loss.info.name)}\\left(${signature}\\right) = ${toLatex(g, loss.value)}`, ...derivativeLatex(loss) },
  };
  byDirection.set(direction, plan);
  return plan;
}

export async function computeCurves(
  executor: Executor,
  loss: LoweredLoss,
  params: ParamValues,
  points: number,
  range?: readonly [number, number],
  /** Multiclass losses only (others have one axis and ignore it); absent: the true-class margin. */
  direction?: CurveDirection,
): Promise<Resolved<CurvesResult>> {
  const started = performance.now();
  const p = resolveParams(loss, params);
  if (!p.ok) return p;
  const multiclass = loss.info.kind === 'multiclass';
  const problem = direction !== undefined && multiclass ? curveDirectionProblem(direction, loss.info.classes) : undefined;
  if (problem) return { ok: false, message: problem };
  const plan = curvePlan(loss, executor, (multiclass && direction) || 'margin');
  const { path } = plan;
  const [lo, hi] = range ?? path.range;
  const n = Math.max(2, Math.min(Math.floor(points), 1 << 16));
  const axis = Float32Array.from({ length: n }, (_, i) => lo + ((hi - lo) * i) / (n - 1));
  const results = await plan.run({ rows: n, values: { ...p.value, ...path.held, [AXIS_LEAF]: axis } });
  const curves: CurveSeries[] = path.series.map((s, k) => ({
    label: s.label,
    value: Array.from(results[3 * k] as Float32Array),
    first: Array.from(results[3 * k + 1] as Float32Array),
    second: Array.from(results[3 * k + 2] as Float32Array),
  }));
  return {
    ok: true,
    value: {
      loss: loss.info.name,
      kind: loss.info.kind,
      backend: executor.backend,
      ...(engineOf(executor, plan.run) !== undefined ? { engine: engineOf(executor, plan.run) } : {}),
      params: p.value,
      axis: { name: path.axis, label: path.label, values: Array.from(axis) },
      curves,
      latex: plan.latex,
      // Said only when asked for, so a request without one is answered as before.
      ...(multiclass && direction !== undefined ? { direction } : {}),
      elapsedMs: performance.now() - started,
    },
  };
}
