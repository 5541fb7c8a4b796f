/**
 * Where a loss is not smooth. Every non-smooth op has a switch: an expression whose sign says
 * which smooth piece is active (the argument of abs and relu, a - b for max(a, b), the condition
 * of `c ? a : b`, ...). Between two points where no switch changes sign the loss is one smooth
 * piece, so finite differences there are valid; a point whose neighbourhood changes a switch
 * is at a kink.
 */
import type { Graph, NodeId } from '../ir/graph';

export function kinkSwitches(g: Graph, root: NodeId): NodeId[] {
  const switches = new Set<NodeId>();
  const seen = new Set<NodeId>();
  const visit = (id: NodeId): void => {
    if (seen.has(id)) return;
    seen.add(id);
    const n = g.node(id);
    if (n.tag !== 'op') return;
    n.args.forEach(visit);
    const [a, b, c] = n.args as [NodeId, NodeId, NodeId];
    switch (n.op) {
      case 'abs':
      case 'relu':
      case 'sign':
        switches.add(a);
        break;
      case 'max2':
      case 'min2':
      case 'lt':
      case 'le':
      case 'gt':
      case 'ge':
      case 'eq':
      case 'ne':
        switches.add(g.apply('sub', a, b));
        break;
      case 'clip':
        switches.add(g.apply('sub', a, b));
        switches.add(g.apply('sub', a, c));
        break;
      case 'where':
        switches.add(a);
        break;
      case 'vmax':
      case 'vmin':
      case 'max_axis':
      case 'min_axis':
        // Which entry is the extreme: each entry minus it (broadcast back along the reduced axis).
        switches.add(g.apply('sub', a, id));
        break;
      case 'sort_by':
      case 'unsort_by':
      case 'topk': {
        // The permutation changes where two keys cross: the signs of key - key_j for every j.
        // Along the last axis: each key against the j-th of its own slice. topk's key is x itself.
        const key = n.op === 'topk' ? a : b;
        const shape = g.shape(key);
        const last = shape.length - 1;
        const entries = shape[last] as number;
        const legacy = shape.length === 1 && entries === g.classes;
        const position = legacy ? undefined : g.applyWith('iota', { shape, axis: last });
        for (let j = 1; j <= entries; j++) {
          if (position === undefined) {
            switches.add(g.apply('sub', key, g.apply('sum', g.apply('mul', key, g.apply('onehot', g.constant(j))))));
            continue;
          }
          const keyJ = g.applyWith('sum_axis', { axis: last }, g.apply('mul', key, g.apply('eq', position, g.constant(j))));
          switches.add(g.apply('sub', key, keyJ));
        }
        break;
      }
    }
  };
  visit(root);
  // Constants cannot switch; dropping them keeps the programs small.
  return [...switches].filter((s) => g.node(s).tag !== 'const');
}

/** -1, 0 or 1 per entry: two points are on one smooth piece when their patterns agree. */
export function samePattern(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  for (let i = 0; i < a.length; i++) if (Math.sign(a[i] as number) !== Math.sign(b[i] as number)) return false;
  return true;
}
