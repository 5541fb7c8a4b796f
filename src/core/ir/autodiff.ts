/**
 * Reverse-mode symbolic differentiation over the IR: derivatives are new nodes in the same
 * graph, so they can be simplified, shown, differentiated again (Hessians) and compiled by the
 * same backends as the loss. Each op's rule lives beside the op in `ops.ts`.
 */
import type { Graph, NodeId } from './graph';
import { OPS, type OpSpec } from './ops';
import { broadcastsTo, isScalar, sameShape, type Shape } from './shape';

/**
 * A contribution to the adjoint of a value of shape `to`: summed down where the value was
 * broadcast in its use. A scalar meeting a vector of K sums with `sum`, as the fused kernels know
 * it; a smaller contribution (a scalar that stands for a constant row) stays as it is, to be
 * broadcast where it is used or at the end.
 */
function conformed(g: Graph, contribution: NodeId, to: Shape): NodeId {
  const from = g.shape(contribution);
  if (sameShape(from, to) || broadcastsTo(from, to)) return contribution;
  if (isScalar(to)) return g.apply('sum', contribution);
  return g.applyWith('sum_to', { shape: to }, contribution);
}

/** The nodes on which `output` depends through some node of `wrt`. */
function dependents(g: Graph, output: NodeId, wrt: ReadonlySet<NodeId>): boolean[] {
  const depends = new Array<boolean>(output + 1).fill(false);
  for (let id = 0; id <= output; id++) {
    const n = g.node(id);
    if (wrt.has(id)) depends[id] = true;
    else if (n.tag === 'op') depends[id] = n.args.some((a) => depends[a] === true);
  }
  return depends;
}

/**
 * The gradient of the scalar `output` with respect to each leaf of `wrt`, as IR nodes. A vector
 * leaf gets a vector-shaped gradient (a broadcast scalar when all its entries share one value).
 */
export function gradient(g: Graph, output: NodeId, wrt: readonly NodeId[]): NodeId[] {
  if (g.shape(output).length !== 0) throw new Error('bug: gradient of a vector-valued node');
  const wrtSet = new Set(wrt);
  const depends = dependents(g, output, wrtSet);
  const adjoint = new Map<NodeId, NodeId>([[output, g.constant(1)]]);

  // Ids are topologically ordered, so walking down visits every node after all its users.
  for (let id = output; id >= 0; id--) {
    const adj = adjoint.get(id);
    const n = g.node(id);
    if (adj === undefined || n.tag !== 'op' || !depends[id]) continue;
    const spec: OpSpec = OPS[n.op];
    const contributions = spec.vjp(g, n.args, id, adj, n.attrs ?? {});
    n.args.forEach((arg, i) => {
      const contribution = contributions[i];
      if (contribution === undefined || !depends[arg]) return;
      // A value broadcast in its use receives the sum of its use's adjoint.
      const shaped = conformed(g, contribution, g.shape(arg));
      const previous = adjoint.get(arg);
      adjoint.set(arg, previous === undefined ? shaped : g.apply('add', previous, shaped));
    });
  }

  return wrt.map((leaf) => {
    const grad = adjoint.get(leaf) ?? g.constant(0);
    const shape = g.shape(leaf);
    if (sameShape(g.shape(grad), shape)) return grad;
    return shape.length === 1 && shape[0] === g.classes && isScalar(g.shape(grad)) ? g.apply('expand', grad) : g.applyWith('broadcast', { shape }, grad);
  });
}

/** d²output / d leaf², for a scalar leaf: the gradient of the gradient. */
export function secondDerivative(g: Graph, output: NodeId, leaf: NodeId): NodeId {
  const [first] = gradient(g, output, [leaf]);
  const [second] = gradient(g, first as NodeId, [leaf]);
  return second as NodeId;
}
