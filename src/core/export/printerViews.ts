/**
 * How the Python printer reads the IR: patterns that span several nodes and print as one idiom
 * (s[y] is a gather, -softplus(-u) a log-sigmoid, sum(v) / K a mean over the classes), the
 * subexpressions worth a local, and the branches whose derivative can be infinite.
 */
import type { Graph, NodeId } from '../ir/graph';
import type { OpName } from '../ir/ops';

/** How a node prints: as its op, or as a pattern that spans several nodes. */
export type View =
  | { readonly kind: 'component'; readonly vector: NodeId; readonly index: NodeId }
  | { readonly kind: 'logSigmoid'; readonly arg: NodeId; readonly negated: boolean }
  | { readonly kind: 'classMean'; readonly vector: NodeId }
  | { readonly kind: 'node' };

export function viewOf(g: Graph, id: NodeId): View {
  const n = g.node(id);
  if (n.tag !== 'op') return { kind: 'node' };
  const opArgs = (x: NodeId, op: OpName): readonly NodeId[] | undefined => {
    const m = g.node(x);
    return m.tag === 'op' && m.op === op ? m.args : undefined;
  };
  if (n.op === 'sum') {
    // s[y] is lowered as sum(s .* onehot(y)): the gather it stands for.
    const product = opArgs(n.args[0] as NodeId, 'mul');
    if (product) {
      const [a, b] = product as [NodeId, NodeId];
      const hotA = opArgs(a, 'onehot');
      const hotB = opArgs(b, 'onehot');
      if (hotB) return { kind: 'component', vector: a, index: hotB[0] as NodeId };
      if (hotA) return { kind: 'component', vector: b, index: hotA[0] as NodeId };
    }
  }
  if (n.op === 'div' && g.constValue(n.args[1] as NodeId) === g.classes) {
    // mean(v) is lowered as sum(v) / K with LossLab's K: a mean reads K from the array instead.
    const sum = opArgs(n.args[0] as NodeId, 'sum');
    if (sum && g.shape(sum[0] as NodeId).length === 1) return { kind: 'classMean', vector: sum[0] as NodeId };
  }
  // -softplus(x) = log sigmoid(-x), and softplus(-u) = -log sigmoid(u): the framework's fused
  // log-sigmoid, the way DPO and logistic losses are written.
  if (n.op === 'neg') {
    const inner = opArgs(n.args[0] as NodeId, 'softplus');
    if (inner) return { kind: 'logSigmoid', arg: g.apply('neg', inner[0] as NodeId), negated: false };
  }
  if (n.op === 'softplus') {
    const inner = opArgs(n.args[0] as NodeId, 'neg');
    if (inner) return { kind: 'logSigmoid', arg: inner[0] as NodeId, negated: true };
  }
  return { kind: 'node' };
}

function children(g: Graph, id: NodeId): readonly NodeId[] {
  const view = viewOf(g, id);
  if (view.kind === 'component') return [view.vector, view.index];
  if (view.kind === 'logSigmoid') return [view.arg];
  if (view.kind === 'classMean') return [view.vector];
  const n = g.node(id);
  return n.tag === 'op' ? n.args : [];
}

/** Every node `root` reaches, itself included. */
export function reachable(g: Graph, root: NodeId): Set<NodeId> {
  const seen = new Set<NodeId>();
  const visit = (id: NodeId): void => {
    if (seen.has(id)) return;
    seen.add(id);
    children(g, id).forEach(visit);
  };
  visit(root);
  return seen;
}

/** Ops whose entry k reads other entries of the row than k. */
const ACROSS_ENTRIES: ReadonlySet<OpName> = new Set<OpName>(['sum', 'vmax', 'vmin', 'logsumexp', 'softmax', 'cumsum', 'revcumsum', 'sort_by', 'unsort_by']);
/** Ops whose entry k is another entry of their argument: a top-k, a slice, a concatenation. */
const MOVES_ENTRIES: ReadonlySet<OpName> = new Set<OpName>(['topk', 'slice_axis', 'concat']);

/**
 * The nodes that `root` reads through an op that mixes the entries of a row (a sum, a sort, a
 * running sum, a gather s[y]). A condition that holds entry by entry cannot guard those: entry k
 * of the branch depends on other entries of the input than k.
 */
export function readAcrossEntries(g: Graph, root: NodeId): Set<NodeId> {
  const across = new Set<NodeId>();
  const seen = new Set<string>();
  const visit = (id: NodeId, mixed: boolean): void => {
    const key = `${id}:${mixed}`;
    if (seen.has(key)) return;
    seen.add(key);
    if (mixed) across.add(id);
    const view = viewOf(g, id);
    const n = g.node(id);
    const mixes = view.kind === 'component' || view.kind === 'classMean' || (n.tag === 'op' && (ACROSS_ENTRIES.has(n.op) || MOVES_ENTRIES.has(n.op)));
    children(g, id).forEach((c) => visit(c, mixed || mixes));
  };
  visit(root, false);
  return across;
}

/** Op nodes reached more than once from the root: each is computed once, into a local. */
export function sharedNodes(g: Graph, root: NodeId): Set<NodeId> {
  const uses = new Map<NodeId, number>();
  const visit = (id: NodeId): void => {
    const seen = uses.has(id);
    uses.set(id, (uses.get(id) ?? 0) + 1);
    if (!seen) children(g, id).forEach(visit);
  };
  visit(root);
  return new Set([...uses].filter(([id, count]) => count > 1 && g.node(id).tag === 'op').map(([id]) => id));
}

/** -x, not worth a local of its own. */
export function isTrivial(g: Graph, id: NodeId): boolean {
  const n = g.node(id);
  return n.tag === 'op' && n.op === 'neg' && g.node(n.args[0] as NodeId).tag !== 'op';
}

/** Ops whose derivative can be infinite at a finite point: log(0), sqrt(0), 1/0, 0^(-1). */
export function hasSingularDerivative(g: Graph, id: NodeId): boolean {
  return [...reachable(g, id)].some((x) => {
    const n = g.node(x);
    if (n.tag !== 'op') return false;
    // asin and acos have infinite slopes at +-1, atan2 at the origin.
    if (n.op === 'log' || n.op === 'log1p' || n.op === 'sqrt' || n.op === 'asin' || n.op === 'acos' || n.op === 'atan2') return true;
    if (n.op === 'div') return g.constValue(n.args[1] as NodeId) === undefined;
    if (n.op === 'pow') {
      const b = g.constValue(n.args[1] as NodeId);
      return b === undefined || !(Number.isInteger(b) && b >= 1);
    }
    return false;
  });
}
