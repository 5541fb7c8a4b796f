/**
 * How the fused engine runs a program over tensors (a batch loss's matrices): as steps in the
 * order of their dependencies. Element-wise ops over one shape that need nothing computed in
 * between become one fused kernel over the tensor's entries (the per-sample kernel compiler,
 * each entry a row); matrix products go to the SIMD product kernel, reading a transposed operand
 * in place; reshapes are the same numbers; what is left (reductions along an axis, gathers,
 * sorts) runs on the op's own rule. Softmax and logsumexp along an axis are first spelled as
 * max, exp and sum along it, so that their exponentials run in a kernel.
 */
import type { IrNode } from '../ir/graph';
import { OPS } from '../ir/ops';
import type { Program } from '../ir/program';
import { keepAxis, sameShape, sizeOf, type Shape } from '../ir/shape';
import { ELEMENTWISE } from './kernelOps';

/** Below this many entries a kernel call costs more than the op's own loop. */
export const FUSED_ENTRIES = 64;

/** A matrix product's operand: an instruction's value, or the transpose of one (never computed on its own). */
export interface Operand {
  readonly source: number;
  readonly transposed: boolean;
}

export type TensorStep =
  | {
      readonly kind: 'fused';
      readonly shape: Shape;
      /** Instructions the kernel reads, in the order of the sub-program's leaves `t<id>`. */
      readonly inputs: readonly number[];
      /** Instructions it writes, in the order of `program.outputs`. */
      readonly outputs: readonly number[];
      /** The group as a per-sample program: every value a scalar, one row per entry. */
      readonly program: Program;
      readonly constant: boolean;
    }
  | { readonly kind: 'matmul'; readonly at: number; readonly a: Operand; readonly b: Operand; readonly constant: boolean }
  | { readonly kind: 'alias'; readonly at: number; readonly source: number; readonly constant: boolean }
  | { readonly kind: 'op'; readonly at: number; readonly constant: boolean };

export interface TensorPlan {
  /** The program the steps index: the input with softmax and logsumexp along axes expanded. */
  readonly program: Program;
  readonly steps: readonly TensorStep[];
}

const AXIS_SOFTMAX = new Set(['logsumexp_axis', 'softmax_axis']);

/** softmax_a(x) = e / sum_a(e) and logsumexp_a(x) = m + log(sum_a(e)), with m = max_a(x) and e = exp(x - m). */
export function expandAxisSoftmax(p: Program): Program {
  const instructions: IrNode[] = [];
  const shapes: Shape[] = [];
  const interned = new Map<string, number>();
  const emit = (n: IrNode, shape: Shape): number => {
    const key = JSON.stringify(n);
    const found = interned.get(key);
    if (found !== undefined) return found;
    instructions.push(n);
    shapes.push(shape);
    interned.set(key, instructions.length - 1);
    return instructions.length - 1;
  };
  const op = (name: IrNode & { tag: 'op' }, shape: Shape): number => emit(name, shape);
  const at: number[] = [];
  p.instructions.forEach((n, i) => {
    const shape = p.shapes[i] as Shape;
    if (n.tag !== 'op') {
      at[i] = emit(n, shape);
      return;
    }
    const args = n.args.map((a) => at[a] as number);
    if (!AXIS_SOFTMAX.has(n.op)) {
      at[i] = emit({ ...n, args }, shape);
      return;
    }
    const x = args[0] as number;
    const xShape = shapes[x] as Shape;
    const axis = n.attrs?.axis as number;
    const kept = keepAxis(xShape, axis);
    const m = op({ tag: 'op', op: 'max_axis', args: [x], attrs: { axis } }, kept);
    const e = op({ tag: 'op', op: 'exp', args: [op({ tag: 'op', op: 'sub', args: [x, m] }, xShape)] }, xShape);
    const s = op({ tag: 'op', op: 'sum_axis', args: [e], attrs: { axis } }, kept);
    at[i] =
      n.op === 'softmax_axis'
        ? op({ tag: 'op', op: 'div', args: [e, s] }, shape)
        : op({ tag: 'op', op: 'add', args: [m, op({ tag: 'op', op: 'log', args: [s] }, kept)] }, shape);
  });
  return { classes: p.classes, instructions, shapes, outputs: p.outputs.map((o) => at[o] as number) };
}

function isFusable(p: Program, i: number): boolean {
  const n = p.instructions[i];
  return n?.tag === 'op' && ELEMENTWISE[n.op] !== undefined && OPS[n.op].f64 !== undefined && sizeOf(p.shapes[i] as Shape) >= FUSED_ENTRIES;
}

/**
 * Each instruction's level: a fused op shares the level of its arguments of its own shape (they
 * join its kernel) and comes after the others; any other op comes after all its arguments. A
 * kernel at level l then reads only values of lower levels, so running the levels in order runs
 * every step after what it reads, and no kernel waits on a value that waits on the kernel.
 */
function levels(p: Program, fusable: readonly boolean[], constant: readonly boolean[]): number[] {
  const level: number[] = [];
  p.instructions.forEach((n, i) => {
    if (n.tag !== 'op') {
      level[i] = 0;
      return;
    }
    let l = 0;
    for (const a of n.args) {
      const joins = fusable[i] === true && fusable[a] === true && constant[a] === constant[i] && sameShape(p.shapes[a] as Shape, p.shapes[i] as Shape);
      l = Math.max(l, (level[a] as number) + (joins ? 0 : 1));
    }
    level[i] = l;
  });
  return level;
}

/** The group's ops as a per-sample program over scalars: leaf `t<id>` for each value it reads. */
function groupProgram(p: Program, members: readonly number[], inputs: readonly number[], outputs: readonly number[]): Program {
  const instructions: IrNode[] = [];
  const local = new Map<number, number>();
  for (const id of inputs) {
    local.set(id, instructions.length);
    instructions.push({ tag: 'leaf', name: `t${id}`, role: 'input', shape: [] });
  }
  for (const id of members) {
    const n = p.instructions[id];
    if (n?.tag !== 'op') throw new Error(`bug: fused member ${id} is not an op`);
    const args = n.args.map((a) => {
      const found = local.get(a);
      if (found !== undefined) return found;
      const c = p.instructions[a];
      if (c?.tag !== 'const') throw new Error(`bug: fused argument ${a} is neither an input nor a constant`);
      local.set(a, instructions.length);
      instructions.push(c);
      return instructions.length - 1;
    });
    local.set(id, instructions.length);
    instructions.push({ tag: 'op', op: n.op, args });
  }
  return { classes: p.classes, instructions, shapes: instructions.map(() => []), outputs: outputs.map((o) => local.get(o) as number) };
}

export function planTensorSteps(written: Program): TensorPlan {
  const program = expandAxisSoftmax(written);
  const p = program;
  const fusable = p.instructions.map((_, i) => isFusable(p, i));
  const constant: boolean[] = [];
  p.instructions.forEach((n, i) => {
    constant[i] = n.tag === 'const' || (n.tag === 'op' && n.args.every((a) => constant[a]));
  });
  const level = levels(p, fusable, constant);
  const users: number[][] = p.instructions.map(() => []);
  p.instructions.forEach((n, i) => {
    if (n.tag === 'op') for (const a of n.args) users[a]?.push(i);
  });
  const isOutput = new Set(p.outputs);

  const isMatmul = (i: number): boolean => {
    const n = p.instructions[i];
    return n?.tag === 'op' && n.op === 'matmul';
  };
  // A transpose of a matrix that only matrix products read is read in place by them.
  const readInPlace = (a: number): boolean => {
    const n = p.instructions[a];
    const readers = users[a] as number[];
    return n?.tag === 'op' && n.op === 'transpose' && (p.shapes[a] as Shape).length === 2 && !isOutput.has(a) && readers.length > 0 && readers.every(isMatmul);
  };
  const operand = (a: number): Operand => {
    const n = p.instructions[a];
    return readInPlace(a) && n?.tag === 'op' ? { source: n.args[0] as number, transposed: true } : { source: a, transposed: false };
  };

  const groups = new Map<string, number[]>();
  const steps: { level: number; order: number; step: TensorStep | number[] }[] = [];
  p.instructions.forEach((n, i) => {
    if (n.tag !== 'op') return;
    const l = level[i] as number;
    const c = constant[i] === true;
    if (fusable[i]) {
      const key = `${l}|${c}|${(p.shapes[i] as Shape).join(',')}`;
      let members = groups.get(key);
      if (members === undefined) {
        groups.set(key, (members = []));
        steps.push({ level: l, order: i, step: members });
      }
      members.push(i);
      return;
    }
    if (readInPlace(i)) return;
    let step: TensorStep;
    if (n.op === 'matmul') step = { kind: 'matmul', at: i, a: operand(n.args[0] as number), b: operand(n.args[1] as number), constant: c };
    else if (n.op === 'reshape') step = { kind: 'alias', at: i, source: n.args[0] as number, constant: c };
    else step = { kind: 'op', at: i, constant: c };
    steps.push({ level: l, order: i, step });
  });

  const ordered = steps.sort((x, y) => x.level - y.level || x.order - y.order);
  return {
    program,
    steps: ordered.map(({ step }) => {
      if (!Array.isArray(step)) return step;
      const members = step;
      const inGroup = new Set(members);
      const inputs = [...new Set(members.flatMap((m) => (p.instructions[m] as IrNode & { tag: 'op' }).args))].filter(
        (a) => !inGroup.has(a) && p.instructions[a]?.tag !== 'const',
      );
      const outputs = members.filter((m) => isOutput.has(m) || (users[m] as number[]).some((u) => !inGroup.has(u)));
      const first = members[0] as number;
      return {
        kind: 'fused',
        shape: p.shapes[first] as Shape,
        inputs,
        outputs,
        program: groupProgram(p, members, inputs, outputs),
        constant: constant[first] === true,
      };
    }),
  };
}
