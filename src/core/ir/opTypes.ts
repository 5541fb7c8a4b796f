/**
 * The types of the op table (`ops.ts`): the op names, what a rule sees, and the spec every op
 * fills in. Apart so that the table's parts (`tensorOps.ts`) can be typed without importing it.
 */
import type * as tfc from '@tensorflow/tfjs-core';
import type { Shape } from './shape';

/** A node of the IR's graph (`graph.ts`): ids are topologically ordered. */
export type NodeId = number;

/**
 * What a derivative rule builds its adjoints with: the graph's two constructors. `graph.ts`'s
 * Graph is one; the rules never see more of it, so this table does not import the graph.
 */
export interface NodeBuilder {
  readonly classes: number;
  apply(op: OpName, ...args: NodeId[]): NodeId;
  applyWith(op: OpName, attrs: OpAttrs, ...args: NodeId[]): NodeId;
  constant(value: number): NodeId;
  shape(id: NodeId): Shape;
}

/**
 * The static part of an op that is not a value: the axis a reduction runs along (0-based, of a
 * row's shape), the shape a broadcast or reshape makes. Part of a node's identity.
 */
export interface OpAttrs {
  readonly axis?: number;
  readonly shape?: Shape;
  /** The first entry (0-based) along `axis` that a slice reads or a pad writes. */
  readonly start?: number;
  /** The entries a slice keeps along `axis`, or the k of topk. */
  readonly length?: number;
}

/** What an op's float64 and tensor rules know besides their arguments' values. */
export interface OpContext {
  readonly classes: number;
  readonly argShapes: readonly Shape[];
  readonly shape: Shape;
  readonly attrs: OpAttrs;
}

export type TfModule = typeof tfc;
type T = tfc.Tensor;

export const OP_NAMES = [
  'add',
  'sub',
  'mul',
  'div',
  'pow',
  'neg',
  'abs',
  'sign',
  'exp',
  'log',
  'log1p',
  'expm1',
  'sqrt',
  'tanh',
  'sin',
  'cos',
  'sinh',
  'cosh',
  'asin',
  'acos',
  'atan',
  'atan2',
  'erf',
  'lgamma',
  'polygamma',
  'stop_gradient',
  'sigmoid',
  'softplus',
  'relu',
  'max2',
  'min2',
  'clip',
  'where',
  'lt',
  'le',
  'gt',
  'ge',
  'eq',
  'ne',
  'and',
  'or',
  'not',
  'sum',
  'vmax',
  'vmin',
  'logsumexp',
  'softmax',
  'cumsum',
  'revcumsum',
  'sort_by',
  'unsort_by',
  'onehot',
  'expand',
  'broadcast',
  'sum_to',
  'reshape',
  'iota',
  'sum_axis',
  'max_axis',
  'min_axis',
  'logsumexp_axis',
  'softmax_axis',
  'cumsum_axis',
  'revcumsum_axis',
  'diff_axis',
  'revdiff_axis',
  'matmul',
  'transpose',
  'slice_axis',
  'pad_axis',
  'concat',
  'topk',
] as const;
export type OpName = (typeof OP_NAMES)[number];

/** Builds the adjoint of each argument from the node, its arguments and its own adjoint. */
type VectorJacobianProduct = (g: NodeBuilder, args: readonly NodeId[], out: NodeId, adjoint: NodeId, attrs: OpAttrs) => (NodeId | undefined)[];

export interface OpSpec {
  readonly arity: number;
  /** The shape of the result; throws a ShapeMismatch when the arguments do not fit. */
  readonly shape: (args: readonly Shape[], attrs: OpAttrs, classes: number) => Shape;
  /** Element-wise float64 rule; absent for ops that act on whole rows (see `vectorF64`). */
  readonly f64?: (...x: number[]) => number;
  /** Rule on one row: each argument is its row's entries, row-major, of the shape `ctx.argShapes` says. */
  readonly vectorF64?: (args: readonly Float64Array[], ctx: OpContext) => Float64Array;
  /**
   * A value of row shape s is a tensor [rows, ...s] ([rows, 1] for a scalar; rows may be 1 for a
   * value shared by all rows); element-wise ops get their arguments aligned to one rank.
   */
  readonly tensor: (tf: TfModule, args: readonly T[], ctx: OpContext) => T;
  readonly vjp: VectorJacobianProduct;
  readonly latex: (args: readonly string[], attrs: OpAttrs) => string;
  /** Binding strength for LaTeX parentheses: higher binds tighter. */
  readonly precedence: number;
}
