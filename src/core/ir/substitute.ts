/** Rebuilds an expression with some nodes replaced: how curves run a loss along a path. */
import type { Graph, NodeId } from './graph';

export function substitute(g: Graph, root: NodeId, replacements: ReadonlyMap<NodeId, NodeId>): NodeId {
  const memo = new Map<NodeId, NodeId>(replacements);
  const rebuild = (id: NodeId): NodeId => {
    const done = memo.get(id);
    if (done !== undefined) return done;
    const n = g.node(id);
    const out = n.tag === 'op' ? g.rebuild(n, n.args.map(rebuild)) : id;
    memo.set(id, out);
    return out;
  };
  return rebuild(root);
}
