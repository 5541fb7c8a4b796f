/**
 * Known unstable patterns and their stable rewrites, found in the IR of a loss:
 *   log(1 + exp(u))     -> softplus(u)        exp overflows float32 for u > 88
 *   log1p(exp(u))       -> softplus(u)
 *   log(sigmoid(u))     -> -softplus(-u)      sigmoid underflows to 0 for u < -88, log(0) = -inf
 *   log(1 - sigmoid(u)) -> -softplus(u)
 *   log(sum(exp(v)))    -> logsumexp(v)
 *   log(softmax(v)[i])  -> v[i] - logsumexp(v)
 *   1 / (1 + exp(-u))   -> sigmoid(u)
 *   exp(u) - 1          -> expm1(u)           cancels for small u
 *   log(1 + u)          -> log1p(u)           cancels for small u
 */
import type { Graph, NodeId } from '../ir/graph';
import type { OpName } from '../ir/ops';
import { toText } from '../ir/text';

export interface Rewrite {
  readonly pattern: string;
  readonly replacement: string;
  readonly why: string;
  /** The unstable node and its stable replacement, in the same graph (the exporters apply them). */
  readonly from: NodeId;
  readonly to: NodeId;
}

type Match = (g: Graph, id: NodeId) => Rewrite | undefined;

const opOf = (g: Graph, id: NodeId | undefined, op: OpName): readonly NodeId[] | undefined => {
  if (id === undefined) return undefined;
  const n = g.node(id);
  return n.tag === 'op' && n.op === op ? n.args : undefined;
};

/** `1 + x` in either order: x. */
const onePlus = (g: Graph, id: NodeId | undefined): NodeId | undefined => {
  const args = opOf(g, id, 'add');
  if (!args) return undefined;
  const [a, b] = args as [NodeId, NodeId];
  return g.isConst(a, 1) ? b : g.isConst(b, 1) ? a : undefined;
};

const rewrite = (g: Graph, from: NodeId, to: NodeId, why: string): Rewrite => ({ pattern: toText(g, from), replacement: toText(g, to), why, from, to });

const MATCHERS: readonly Match[] = [
  (g, id) => {
    const [arg] = opOf(g, id, 'log') ?? [];
    const x = onePlus(g, arg);
    const [u] = opOf(g, x, 'exp') ?? [];
    return u === undefined ? undefined : rewrite(g, id, g.apply('softplus', u), `exp(${toText(g, u)}) overflows float32 when ${toText(g, u)} > 88`);
  },
  (g, id) => {
    const [arg] = opOf(g, id, 'log1p') ?? [];
    const [u] = opOf(g, arg, 'exp') ?? [];
    return u === undefined ? undefined : rewrite(g, id, g.apply('softplus', u), `exp(${toText(g, u)}) overflows float32 when ${toText(g, u)} > 88`);
  },
  (g, id) => {
    const [arg] = opOf(g, id, 'log') ?? [];
    const [u] = opOf(g, arg, 'sigmoid') ?? [];
    return u === undefined
      ? undefined
      : rewrite(g, id, g.apply('neg', g.apply('softplus', g.apply('neg', u))), 'sigmoid underflows to 0 for large negative arguments, and log(0) = -inf');
  },
  (g, id) => {
    const [arg] = opOf(g, id, 'log') ?? [];
    const [one, s] = opOf(g, arg, 'sub') ?? [];
    const [u] = opOf(g, s, 'sigmoid') ?? [];
    return u === undefined || one === undefined || !g.isConst(one, 1)
      ? undefined
      : rewrite(g, id, g.apply('neg', g.apply('softplus', u)), '1 - sigmoid(u) rounds to 0 for large u, and log(0) = -inf');
  },
  (g, id) => {
    const [arg] = opOf(g, id, 'log') ?? [];
    const [e] = opOf(g, arg, 'sum') ?? [];
    const [v] = opOf(g, e, 'exp') ?? [];
    return v === undefined ? undefined : rewrite(g, id, g.apply('logsumexp', v), 'exp overflows float32 for logits above 88');
  },
  (g, id) => {
    const [arg] = opOf(g, id, 'log') ?? [];
    const [prod] = opOf(g, arg, 'sum') ?? [];
    const [a, b] = opOf(g, prod, 'mul') ?? [];
    if (a === undefined || b === undefined) return undefined;
    const [v] = opOf(g, a, 'softmax') ?? opOf(g, b, 'softmax') ?? [];
    const hot = opOf(g, a, 'onehot') ? a : b;
    const [i] = opOf(g, hot, 'onehot') ?? [];
    if (v === undefined || i === undefined) return undefined;
    const component = g.apply('sum', g.apply('mul', v, g.apply('onehot', i)));
    return rewrite(g, id, g.apply('sub', component, g.apply('logsumexp', v)), 'softmax underflows to 0 for a class far below the others, and log(0) = -inf');
  },
  (g, id) => {
    const [one, d] = opOf(g, id, 'div') ?? [];
    const x = onePlus(g, d);
    const [e] = opOf(g, x, 'exp') ?? [];
    const [u] = opOf(g, e, 'neg') ?? [];
    return u === undefined || one === undefined || !g.isConst(one, 1)
      ? undefined
      : rewrite(g, id, g.apply('sigmoid', u), `exp(-${toText(g, u)}) overflows float32 for ${toText(g, u)} < -88`);
  },
  (g, id) => {
    const [e, one] = opOf(g, id, 'sub') ?? [];
    const [u] = opOf(g, e, 'exp') ?? [];
    return u === undefined || one === undefined || !g.isConst(one, 1) ? undefined : rewrite(g, id, g.apply('expm1', u), 'exp(u) - 1 cancels for small u');
  },
  (g, id) => {
    const [arg] = opOf(g, id, 'log') ?? [];
    const u = onePlus(g, arg);
    if (u === undefined || opOf(g, u, 'exp') !== undefined) return undefined;
    return rewrite(g, id, g.apply('log1p', u), 'log(1 + u) cancels for small u');
  },
];

/** Every unstable pattern in the expression, outermost first, each once. */
export function findStableRewrites(g: Graph, root: NodeId): Rewrite[] {
  const found = new Map<string, Rewrite>();
  const seen = new Set<NodeId>();
  const visit = (id: NodeId): void => {
    if (seen.has(id)) return;
    seen.add(id);
    for (const m of MATCHERS) {
      const r = m(g, id);
      if (r && !found.has(r.pattern)) found.set(r.pattern, r);
    }
    const n = g.node(id);
    if (n.tag === 'op') n.args.forEach(visit);
  };
  visit(root);
  return [...found.values()];
}
