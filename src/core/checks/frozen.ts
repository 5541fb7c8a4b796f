/**
 * The loss as its symbolic derivative sees it: every `stop_gradient(e)` held at its value at the
 * unshifted point. A finite difference of this function estimates the derivative that autodiff
 * computes (which passes nothing through stop_gradient); one of the loss itself would not.
 */
import { sizeOf } from '../ir/shape';
import type { Graph, NodeId } from '../ir/graph';
import { substitute } from '../ir/substitute';

export interface FrozenLoss {
  /** The value with each stop_gradient replaced by a leaf of its own. */
  readonly value: NodeId;
  /** Those leaves, with the expression whose value each must be bound to. */
  readonly frozen: readonly { readonly name: string; readonly expression: NodeId; readonly width: number }[];
}

export function freezeStopGradients(g: Graph, value: NodeId): FrozenLoss {
  const stops: NodeId[] = [];
  const seen = new Set<NodeId>();
  const visit = (id: NodeId): void => {
    if (seen.has(id)) return;
    seen.add(id);
    const n = g.node(id);
    if (n.tag !== 'op') return;
    // An inner stop_gradient sits inside an outer one, which is held whole.
    if (n.op === 'stop_gradient') stops.push(id);
    else n.args.forEach(visit);
  };
  visit(value);
  if (stops.length === 0) return { value, frozen: [] };
  // '#' cannot occur in a .loss name, so these never meet an input or a param.
  const frozen = stops.map((id, k) => ({
    name: `stop_gradient#${k}`,
    expression: (g.node(id) as { readonly args: readonly NodeId[] }).args[0] as NodeId,
    width: sizeOf(g.shape(id)),
    leaf: g.leaf(`stop_gradient#${k}`, 'input', g.shape(id)),
  }));
  return {
    value: substitute(g, value, new Map(stops.map((id, k) => [id, (frozen[k] as { leaf: NodeId }).leaf]))),
    frozen: frozen.map(({ name, expression, width }) => ({ name, expression, width })),
  };
}
