/**
 * The matrix whose gradient the panel draws for a batch loss: the B x B matrix of pairs that a
 * contrastive loss is built on (InfoNCE's S = z1 z2' / tau, where dL/dS_ij says how hard
 * candidate j pulls on anchor i), found in this order:
 *   1. the first `where` name of shape [B, B] that the loss reads (what the author called it);
 *   2. else the first B x B value in the graph that the loss reads and that depends on an input;
 *   3. else the first differentiable input itself, its rows the samples (a B x D heatmap).
 * Each comes with what it is, so the view never passes off one for another.
 */
import type { Graph, NodeId } from '../ir/graph';
import { latexName, toLatex } from '../ir/latex';
import { sizeOf } from '../ir/shape';
import { toText } from '../ir/text';
import type { LoweredLoss } from '../lang/lower';
import { movingInput } from './heldBatch';
import { inputDependents } from './perSample';

export interface GradientMatrix {
  /** `local`: a where-bound name; `intermediate`: a B x B value without a name; `input`: the first differentiable input. */
  readonly of: 'local' | 'intermediate' | 'input';
  readonly node: NodeId;
  /** The name (S, z1), or the expression text of an unnamed value (`matmul(z1, transpose(z2))`). */
  readonly name: string;
  readonly latex: string;
  readonly rows: number;
  readonly cols: number;
  readonly rowLabel: string;
  readonly colLabel: string;
}

/** The nodes `output` reads, directly or not. */
function readBy(g: Graph, output: NodeId): Set<NodeId> {
  const live = new Set<NodeId>();
  const stack = [output];
  for (let id = stack.pop(); id !== undefined; id = stack.pop()) {
    if (live.has(id)) continue;
    live.add(id);
    const n = g.node(id);
    if (n.tag === 'op') stack.push(...n.args);
  }
  return live;
}

/** The batch size: the first axis of the first tensor input, with its declared name. */
export function batchSize(loss: LoweredLoss): { readonly name: string; readonly size: number } | undefined {
  const input = loss.inputs.find((i) => loss.graph.shape(i.leaf).length > 0);
  if (!input) return undefined;
  const dim = input.spec.dims?.[0];
  const size = loss.graph.shape(input.leaf)[0] as number;
  return { name: typeof dim === 'string' ? dim : String(size), size };
}

export function gradientMatrix(loss: LoweredLoss, B: number): GradientMatrix | undefined {
  const g = loss.graph;
  const read = readBy(g, loss.value);
  const depends = inputDependents(
    g,
    loss.value,
    loss.inputs.map((i) => i.leaf),
  );
  const pairs = (id: NodeId): boolean => {
    const s = g.shape(id);
    return s.length === 2 && s[0] === B && s[1] === B && read.has(id) && depends[id] === true;
  };
  const pairLabels = { rows: B, cols: B, rowLabel: 'anchor i', colLabel: 'candidate j' };
  for (const [name, node] of loss.locals ?? []) {
    if (pairs(node)) return { of: 'local', node, name, latex: latexName(name), ...pairLabels };
  }
  for (let id = 0; id < g.nodes.length; id++) {
    if (pairs(id)) return { of: 'intermediate', node: id, name: toText(g, id), latex: toLatex(g, id), ...pairLabels };
  }
  const input = movingInput(loss);
  if (!input) return undefined;
  const shape = g.shape(input.leaf);
  // A rank-3 input [B, T, K] is drawn as B rows of T K entries, row-major as the language stores it.
  const rows = shape.length > 1 ? (shape[0] as number) : 1;
  return {
    of: 'input',
    node: input.leaf,
    name: input.spec.name,
    latex: latexName(input.spec.name),
    rows,
    cols: sizeOf(shape) / rows,
    rowLabel: rows > 1 ? 'sample i' : '',
    colLabel: 'entry',
  };
}
