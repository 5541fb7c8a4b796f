/**
 * A `Program` is the straight-line form of some outputs of a graph: only the nodes they need,
 * renumbered densely in evaluation order. It is what every executor consumes: the float64
 * reference, the TensorFlow.js compiler, and any future fused-kernel compiler.
 */
import type { Graph, IrNode, LeafRole, NodeId, Shape } from './graph';
import type { OpContext, OpName } from './ops';
import { isPerSample, showShape } from './shape';

export interface ProgramLeaf {
  readonly name: string;
  readonly role: LeafRole;
  readonly shape: Shape;
}

export interface Program {
  readonly classes: number;
  /** Instruction i's arguments are instructions with smaller indices. */
  readonly instructions: readonly IrNode[];
  readonly shapes: readonly Shape[];
  readonly outputs: readonly number[];
}

export function lowerToProgram(g: Graph, outputs: readonly NodeId[]): Program {
  const live = new Set<NodeId>();
  const visit = (id: NodeId): void => {
    if (live.has(id)) return;
    live.add(id);
    const n = g.node(id);
    if (n.tag === 'op') n.args.forEach(visit);
  };
  outputs.forEach(visit);

  const order = [...live].sort((a, b) => a - b);
  const slot = new Map(order.map((id, i) => [id, i]));
  const at = (id: NodeId): number => slot.get(id) as number;
  const instructions = order.map((id): IrNode => {
    const n = g.node(id);
    return n.tag === 'op' ? { ...n, args: n.args.map(at) } : n;
  });
  return { classes: g.classes, instructions, shapes: order.map((id) => g.shape(id)), outputs: outputs.map(at) };
}

export function programLeaves(p: Program): ProgramLeaf[] {
  const leaves: ProgramLeaf[] = [];
  for (const n of p.instructions) if (n.tag === 'leaf') leaves.push({ name: n.name, role: n.role, shape: n.shape });
  return leaves;
}

/** What instruction `i`'s rules know besides its arguments' values: K, the shapes, its attributes. */
export function opContext(p: Program, i: number): OpContext {
  const n = p.instructions[i];
  if (n?.tag !== 'op') throw new Error(`bug: instruction ${i} is not an op`);
  return { classes: p.classes, argShapes: n.args.map((a) => p.shapes[a] ?? []), shape: p.shapes[i] ?? [], attrs: n.attrs ?? {} };
}

/**
 * Ops that move entries between positions of a row (slices, concatenation, top-k): the fused
 * kernels have no form for them yet, even on a vector of K (topk(s, K), concat of two halves).
 */
const UNFUSED: ReadonlySet<OpName> = new Set<OpName>(['slice_axis', 'pad_axis', 'concat', 'topk']);

/**
 * Why the fused kernels (WebAssembly, WGSL) cannot run `p`: a value that is neither a scalar nor
 * a vector of K (a batch loss's matrices), or an op of UNFUSED. Undefined when neither occurs.
 */
export function tensorReason(p: Program): string | undefined {
  const unfused = p.instructions.find((n): n is IrNode & { tag: 'op' } => n.tag === 'op' && UNFUSED.has(n.op));
  if (unfused !== undefined) return `${OP_WORDS[unfused.op] ?? unfused.op}: the fused kernels have no form for it yet (TensorFlow.js runs it)`;
  const shape = p.shapes.find((s) => !isPerSample(s, p.classes));
  return shape === undefined ? undefined : `a value of shape ${showShape(shape)}: the fused kernels take scalars and vectors of K`;
}

/** How the language spells the UNFUSED ops, for the reason a person reads. */
const OP_WORDS: Partial<Record<OpName, string>> = { slice_axis: 'a slice x[a:b]', pad_axis: 'a slice x[a:b]', concat: 'concat', topk: 'topk' };
