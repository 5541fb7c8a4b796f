/**
 * A batch loss as a sum over its samples: L = sum_i c_i + offset, where c_i is what sample i
 * contributes. Found by walking down from the loss through what is linear in the per-sample
 * terms (+, -, negation, scaling by a constant or a param) to the reductions over all entries of
 * a tensor whose first axis is the batch: sum(x) contributes the row sums of x, mean(x) the same
 * over x's size. Anything else at the top (a logsumexp over the whole batch, a product of two
 * means) does not split over samples, and the reason says where.
 */
import type { Graph, NodeId } from '../ir/graph';
import { sizeOf } from '../ir/shape';
import { reduceAlong } from '../lang/tensorLowering';

export interface SampleSplit {
  /** c, a vector of B: sample i's contribution to the loss. */
  readonly contributions: NodeId;
  /** What the loss adds that depends on no input (a constant, a param): the loss is sum(c) + offset. */
  readonly offset: NodeId | undefined;
  /** Every reduction reached was a mean over its tensor: then B c_i is sample i's loss and L = mean_i of them. */
  readonly mean: boolean;
}

export type SampleSplitting = { readonly ok: true; readonly split: SampleSplit } | { readonly ok: false; readonly reason: string };

interface Part {
  readonly rows: NodeId | undefined;
  readonly offset: NodeId | undefined;
  readonly mean: boolean;
}

/** The nodes up to `output` that depend on some input leaf (not on params or constants alone). */
export function inputDependents(g: Graph, output: NodeId, inputs: readonly NodeId[]): boolean[] {
  const leaves = new Set(inputs);
  const depends = new Array<boolean>(output + 1).fill(false);
  for (let id = 0; id <= output; id++) {
    const n = g.node(id);
    depends[id] = leaves.has(id) || (n.tag === 'op' && n.args.some((a) => depends[a] === true));
  }
  return depends;
}

/** x summed over every axis but the first: the row sums of a [B, ...] tensor. */
function rowSums(g: Graph, x: NodeId): NodeId {
  let rows = x;
  for (let axis = g.shape(x).length - 1; axis >= 1; axis--) rows = reduceAlong(g, 'sum_axis', rows, axis);
  return rows;
}

/** Splits the scalar `loss` over a batch of `B` samples (the first axis of its tensors). */
export function splitOverSamples(g: Graph, loss: NodeId, inputs: readonly NodeId[], B: number): SampleSplitting {
  const depends = inputDependents(g, loss, inputs);
  const constant = (id: NodeId): boolean => g.shape(id).length === 0 && depends[id] !== true;
  let problem: string | undefined;
  const refuse = (reason: string): undefined => {
    problem ??= reason;
    return undefined;
  };
  const scaled = (p: Part, op: 'mul' | 'div', c: NodeId): Part => ({
    rows: p.rows === undefined ? undefined : op === 'mul' ? g.apply('mul', c, p.rows) : g.apply('div', p.rows, c),
    offset: p.offset === undefined ? undefined : op === 'mul' ? g.apply('mul', c, p.offset) : g.apply('div', p.offset, c),
    mean: p.mean,
  });
  const combine = (op: 'add' | 'sub', a: NodeId | undefined, b: NodeId | undefined): NodeId | undefined =>
    b === undefined ? a : a === undefined ? (op === 'add' ? b : g.apply('neg', b)) : g.apply(op, a, b);
  const reduction = (x: NodeId): Part | undefined => {
    const shape = g.shape(x);
    if (shape.length === 0 || shape[0] !== B) return refuse(`the loss sums a value whose first axis is not the batch of ${B} samples`);
    return { rows: rowSums(g, x), offset: undefined, mean: false };
  };
  const walk = (id: NodeId): Part | undefined => {
    if (constant(id)) return { rows: undefined, offset: id, mean: true };
    const n = g.node(id);
    if (n.tag !== 'op') return refuse('the loss is an input itself, not a sum or mean over samples');
    const [a, b] = n.args as [NodeId, NodeId];
    switch (n.op) {
      case 'sum':
        return reduction(a);
      case 'neg': {
        const p = walk(a);
        return p && { rows: combine('sub', undefined, p.rows), offset: combine('sub', undefined, p.offset), mean: p.mean };
      }
      case 'add':
      case 'sub': {
        const [p, q] = [walk(a), walk(b)];
        if (!p || !q) return undefined;
        // A part with no rows (a constant) says nothing about how the samples are reduced.
        const mean = (p.rows === undefined || p.mean) && (q.rows === undefined || q.mean);
        return { rows: combine(n.op, p.rows, q.rows), offset: combine(n.op, p.offset, q.offset), mean };
      }
      case 'mul': {
        const [c, x] = constant(a) ? [a, b] : constant(b) ? [b, a] : [undefined, undefined];
        if (c === undefined || x === undefined) return refuse('the loss multiplies two terms that both depend on the batch');
        const p = walk(x);
        return p && scaled(p, 'mul', c);
      }
      case 'div': {
        if (!constant(b)) return refuse('the loss divides by a term that depends on the batch');
        const inner = g.node(a);
        // mean(x) is lowered as sum(x) / size(x): that is a mean over the samples' rows.
        if (inner.tag === 'op' && inner.op === 'sum' && g.constValue(b) === sizeOf(g.shape(inner.args[0] as NodeId))) {
          const p = reduction(inner.args[0] as NodeId);
          return p && { ...scaled(p, 'div', b), mean: true };
        }
        const p = walk(a);
        return p && scaled(p, 'div', b);
      }
      default:
        return refuse(`the loss's outermost step is ${n.op}, not a sum or mean over the ${B} samples`);
    }
  };
  const part = walk(loss);
  if (part === undefined) return { ok: false, reason: problem ?? 'the loss is not a sum or mean over samples' };
  if (part.rows === undefined) return { ok: false, reason: 'the loss does not depend on the batch' };
  return { ok: true, split: { contributions: part.rows, offset: part.offset, mean: part.mean } };
}
