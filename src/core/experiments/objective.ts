/**
 * A loss as a function of the model's outputs, differentiated by LossLab. The loss's inputs are
 * replaced, in its own graph, by expressions of an output leaf f and a label leaf:
 *   multiclass l(s, y): s = f (K logits), y = the class, 1-based;
 *   margin phi(z):      z = y f, with y in {-1, +1};
 *   probability l(p, y): p = sigmoid(f), y in {0, 1};
 *   probability l(p):   p = sigmoid(y f), y in {-1, +1}: the probability of the observed class
 *                       (the p_t of the focal loss).
 * A probability is kept in [ε, 1 - ε], with 1 - ε the largest value the precision tells apart
 * from 1 with room to spare (2^-22 in float32, 2^-50 in float64): beyond it sigmoid(f) rounds to
 * 1, and a formula such as y log p + (1 - y) log(1 - p) becomes 0 · log 0 = NaN. PyTorch's
 * binary_cross_entropy clamps log p at -100 for the same reason. The gradient is zero beyond the
 * clamp (as PyTorch's is once p rounds to 1), where the model is more confident than the
 * precision can express.
 * The gradient with respect to f (and, for the Hessian, the product of the Hessian in f with a
 * direction) are symbolic derivatives of that composite, compiled once per run.
 */
import { gradient } from '../ir/autodiff';
import type { NodeId } from '../ir/graph';
import { lowerToProgram } from '../ir/program';
import { substitute } from '../ir/substitute';
import type { Kind } from '../lang/kinds';
import type { LoweredLoss } from '../lang/lower';
import type { ProgramEngine, RunProgram } from './programEngine';
import { SCALAR } from '../ir/shape';

export type TrainableKind = 'margin' | 'probability' | 'multiclass';

export function isTrainableKind(kind: Kind): kind is TrainableKind {
  return kind === 'margin' || kind === 'probability' || kind === 'multiclass';
}

/** Not valid identifiers, so they never collide with a loss's own names. */
const OUTPUT = '@output';
const LABEL = '@label';
const DIRECTION = '@direction';

export interface Objective {
  readonly loss: LoweredLoss;
  /** Width of the model's output: K for a multiclass loss, 1 otherwise. */
  readonly outputs: number;
  /** The label leaf's values for classes 0..K-1 (exact in float32). */
  labelColumn(classes: Int32Array): Float32Array;
  /** The loss of each row and its gradient with respect to the row's outputs (rows × outputs). */
  valueAndGradient(outputs: Float64Array, labels: Float32Array, rows: number): Promise<{ values: ArrayLike<number>; gradient: ArrayLike<number> }>;
  values(outputs: Float64Array, labels: Float32Array, rows: number): Promise<ArrayLike<number>>;
  /** For each row, the Hessian of its loss in the outputs times that row of `direction`. */
  hessianVector(outputs: Float64Array, direction: Float64Array, labels: Float32Array, rows: number): Promise<ArrayLike<number>>;
}

export function compileObjective(engine: ProgramEngine, loss: LoweredLoss, params: Readonly<Record<string, number>>): Objective {
  const kind = loss.info.kind;
  if (!isTrainableKind(kind)) throw new Error(`bug: a ${kind} loss cannot train a classifier`);
  const g = loss.graph;
  const [first, second] = loss.inputs;
  if (first === undefined) throw new Error('bug: a loss without inputs');
  const vector = kind === 'multiclass';
  const f = g.leaf(OUTPUT, 'input', vector ? g.vector : SCALAR);
  const y = g.leaf(LABEL, 'input', SCALAR);
  const replacements = new Map<NodeId, NodeId>();
  // Which values the label leaf takes: the class + 1, ±1, or the class itself (0/1).
  let labelOf: (cls: number) => number;
  if (kind === 'multiclass') {
    replacements.set(first.leaf, f);
    if (second) replacements.set(second.leaf, y);
    labelOf = (cls) => cls + 1;
  } else if (kind === 'margin') {
    replacements.set(first.leaf, g.apply('mul', y, f));
    labelOf = (cls) => 2 * cls - 1;
  } else {
    const epsilon = engine.precision === 'float32' ? 2 ** -22 : 2 ** -50;
    const probability = (logit: NodeId) => g.apply('clip', g.apply('sigmoid', logit), g.constant(epsilon), g.constant(1 - epsilon));
    if (second) {
      replacements.set(first.leaf, probability(f));
      replacements.set(second.leaf, y);
      labelOf = (cls) => cls;
    } else {
      replacements.set(first.leaf, probability(g.apply('mul', y, f)));
      labelOf = (cls) => 2 * cls - 1;
    }
  }
  const value = substitute(g, loss.value, replacements);
  const [grad] = gradient(g, value, [f]) as [NodeId];
  const valueAndGradient = engine.compile(lowerToProgram(g, [value, grad]));
  const valueOnly = engine.compile(lowerToProgram(g, [value]));
  let hvp: RunProgram | undefined;
  const width = vector ? g.classes : 1;

  const bind = (outputs: Float64Array, labels: Float32Array, rows: number, extra: Record<string, Float64Array | Float32Array> = {}) => ({
    rows,
    values: {
      ...params,
      [OUTPUT]: engine.precision === 'float32' ? Float32Array.from(outputs) : outputs,
      [LABEL]: labels,
      ...extra,
    },
  });

  return {
    loss,
    outputs: width,
    labelColumn: (classes) => Float32Array.from(classes, labelOf),
    async valueAndGradient(outputs, labels, rows) {
      const [values, gradient] = (await valueAndGradient(bind(outputs, labels, rows))) as [ArrayLike<number>, ArrayLike<number>];
      return { values, gradient };
    },
    async values(outputs, labels, rows) {
      return (await valueOnly(bind(outputs, labels, rows)))[0] as ArrayLike<number>;
    },
    async hessianVector(outputs, direction, labels, rows) {
      if (!hvp) {
        // H u = d/df <grad, u>, with u a direction leaf of the output's shape.
        const u = g.leaf(DIRECTION, 'input', vector ? g.vector : SCALAR);
        const inner = vector ? g.apply('sum', g.apply('mul', grad, u)) : g.apply('mul', grad, u);
        hvp = engine.compile(lowerToProgram(g, gradient(g, inner, [f])));
      }
      const u = engine.precision === 'float32' ? Float32Array.from(direction) : direction;
      return (await hvp(bind(outputs, labels, rows, { [DIRECTION]: u })))[0] as ArrayLike<number>;
    },
  };
}
