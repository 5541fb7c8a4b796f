/**
 * Runs a tensor program's steps (kernel/tensorPlan.ts) on the fused engine with every value in
 * the kernels' memory: each instruction has a slot there, laid out once when the program is
 * compiled, so element-wise groups (kernel/entrywise.ts) and matrix products (kernel/gemm.ts)
 * read their arguments where the steps before wrote them, and only the inputs go in and the
 * outputs come out. What no kernel covers (reductions along the last axis, transposes) runs on
 * float32 loops over views of the same memory, or on the op's float64 rule. Values that depend
 * on no input (the masks of `eye`, positions from `iota`) are computed by the first call and
 * kept, as a compiled PyTorch graph keeps its constants.
 */
import type { Bindings, LeafValue } from '../ir/bindings';
import type { IrNode } from '../ir/graph';
import { opContext, type Program } from '../ir/program';
import { broadcastStrides, sameShape, sizeOf, type Shape } from '../ir/shape';
import { stridedOffsets } from '../ir/tensorOps';
import { DATA_BASE, MAX_PAGES, WASM_PAGE } from '../kernel/compile';
import { entrywiseHeader, FLAT_COLUMNS, type EntryRead } from '../kernel/entrywise';
import { productScratch, productSlot, type GemmRunner } from '../kernel/gemm';
import type { KernelMemory } from '../kernel/kernelMemory';
import type { KernelPool } from '../kernel/kernelPool';
import { rowReduceHeader, type RowReduction } from '../kernel/rowReduce';
import type { TensorPlan, TensorStep } from '../kernel/tensorPlan';
import { runReference } from './reference';

/** A compiled element-wise group: its module (for the pool's threads) and this thread's instance. */
export interface EntrywiseKernel {
  readonly id: number;
  readonly module: WebAssembly.Module;
  readonly run: (begin: number, end: number, header: number) => void;
}

export interface TensorKernels {
  readonly memory: KernelMemory;
  readonly pool: KernelPool;
  readonly gemm: GemmRunner;
  /** The kernel for a group read so (the executor keeps the recently used ones); null when it cannot be compiled. */
  readonly entrywise: (program: Program, reads: readonly EntryRead[]) => EntrywiseKernel | null;
  /** The kernel for a sum, max or min along the last axis (rowReduce.ts). */
  readonly rowReduction: (op: RowReduction) => EntrywiseKernel;
}

export type TensorRun = (bindings: Bindings) => Promise<Float32Array[]>;
export type TensorCompilation = { readonly ok: true; readonly run: TensorRun } | { readonly ok: false; readonly reason: string };

/** Below this many entries one thread is quicker than waking another. */
const THREADED_ENTRIES = 32768;
/** Below this many entries a reduction's loop in JavaScript is quicker than a kernel call. */
const KERNEL_REDUCTION_ENTRIES = 4096;
/** Slots start on cache lines, and hold whole rows of FLAT_COLUMNS (a flat kernel's last row runs past the value). */
const SLOT_ALIGN = FLAT_COLUMNS;

const ceilTo = (n: number, m: number): number => Math.ceil(n / m) * m;

/** `x`, of shape `from`, broadcast to `to` by NumPy's rules. */
export function broadcastEntries(x: Float32Array, from: Shape, to: Shape): Float32Array {
  const offsets = stridedOffsets(to, broadcastStrides(from, to));
  const out = new Float32Array(offsets.length);
  for (let j = 0; j < out.length; j++) out[j] = x[offsets[j] as number] as number;
  return out;
}

/** How a fused group reads an input of shape `s` for a result of shape `to`, or undefined when it must be broadcast first. */
function readOf(s: Shape, to: Shape): EntryRead | undefined {
  if (sizeOf(s) === 1) return 'scalar';
  if (sameShape(s, to)) return 'full';
  const last = to[to.length - 1] as number;
  if (last % 4 !== 0) return undefined;
  if (s.length === to.length && s[s.length - 1] === 1 && s.slice(0, -1).every((d, i) => d === to[i])) return 'rows';
  if (s[s.length - 1] === last && sizeOf(s) === last) return 'columns';
  return undefined;
}

function reduceLastAxis(op: RowReduction, x: Float32Array, length: number, out: Float32Array): void {
  for (let r = 0; r < out.length; r++) {
    const at = r * length;
    let acc = op === 'sum_axis' ? 0 : (x[at] as number);
    if (op === 'sum_axis') for (let j = 0; j < length; j++) acc += x[at + j] as number;
    else if (op === 'max_axis') for (let j = 1; j < length; j++) acc = Math.max(acc, x[at + j] as number);
    else for (let j = 1; j < length; j++) acc = Math.min(acc, x[at + j] as number);
    out[r] = acc;
  }
}

function singleOp(p: Program, at: number): Program {
  const n = p.instructions[at] as IrNode & { tag: 'op' };
  const leaves: IrNode[] = n.args.map((a, j) => ({ tag: 'leaf', name: `a${j}`, role: 'input', shape: p.shapes[a] as Shape }));
  return {
    classes: p.classes,
    instructions: [...leaves, { ...n, args: n.args.map((_, j) => j) }],
    shapes: [...n.args.map((a) => p.shapes[a] as Shape), p.shapes[at] as Shape],
    outputs: [n.args.length],
  };
}

/** An op step: float32 loops where written, else the op's float64 rule; writes into `out`. */
function opRule(p: Program, at: number): (args: readonly Float32Array[], out: Float32Array) => void {
  const n = p.instructions[at] as IrNode & { tag: 'op' };
  const argShape = opContext(p, at).argShapes[0] ?? [];
  const lastAxis = argShape.length - 1;
  if ((n.op === 'sum_axis' || n.op === 'max_axis' || n.op === 'min_axis') && lastAxis >= 0 && n.attrs?.axis === lastAxis) {
    const op = n.op;
    return ([x], out) => reduceLastAxis(op, x as Float32Array, argShape[lastAxis] as number, out);
  }
  if (n.op === 'transpose' && argShape.length === 2) {
    const [rows, cols] = argShape as [number, number];
    return ([x], out) => {
      for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = (x as Float32Array)[r * cols + c] as number;
    };
  }
  const program = singleOp(p, at);
  return (args, out) => out.set(runReference(program, { rows: 1, values: Object.fromEntries(args.map((a, j) => [`a${j}`, a])) })[0] as Float64Array);
}

/** A sum, max or min along the last axis that runs on the row kernel: whole v128 rows, enough of them. */
function kernelReduction(p: Program, at: number): { readonly op: RowReduction; readonly length: number; readonly rows: number } | undefined {
  const n = p.instructions[at] as IrNode & { tag: 'op' };
  if (n.op !== 'sum_axis' && n.op !== 'max_axis' && n.op !== 'min_axis') return undefined;
  const shape = p.shapes[n.args[0] as number] as Shape;
  const length = shape[shape.length - 1] as number;
  if (shape.length === 0 || n.attrs?.axis !== shape.length - 1 || length % 4 !== 0 || sizeOf(shape) < KERNEL_REDUCTION_ENTRIES) return undefined;
  return { op: n.op, length, rows: sizeOf(shape) / length };
}

interface FusedRun {
  readonly reads: readonly (EntryRead | 'broadcast')[];
  /** Slots that inputs read as 'broadcast' are first broadcast into. */
  readonly temps: readonly number[];
  readonly header: number;
  kernel?: EntrywiseKernel | null;
}

export function compileTensorSteps(plan: TensorPlan, kernels: TensorKernels): TensorCompilation {
  const p = plan.program;
  const slot: number[] = [];
  let cursor = DATA_BASE / 4;
  const alloc = (floats: number): number => {
    const at = cursor;
    cursor += ceilTo(Math.max(1, floats), SLOT_ALIGN);
    return at;
  };
  const size = (i: number): number => sizeOf(p.shapes[i] as Shape);
  p.instructions.forEach((n, i) => {
    if (n.tag !== 'op') slot[i] = alloc(size(i));
  });
  let scratch = 0;
  const fusedRuns = new Map<TensorStep, FusedRun>();
  const reductions = new Map<TensorStep, { readonly op: RowReduction; readonly length: number; readonly rows: number; readonly header: number }>();
  for (const step of plan.steps) {
    if (step.kind === 'alias') slot[step.at] = slot[step.source] as number;
    else if (step.kind === 'matmul') {
      const [m, n] = p.shapes[step.at] as [number, number];
      slot[step.at] = alloc(productSlot(m, n));
      scratch = Math.max(scratch, productScratch(m, (p.shapes[step.a.source] as Shape)[step.a.transposed ? 0 : 1] as number, n, step.a.transposed));
    } else if (step.kind === 'op') {
      slot[step.at] = alloc(size(step.at));
      const reduction = kernelReduction(p, step.at);
      if (reduction !== undefined) reductions.set(step, { ...reduction, header: alloc(3) });
    } else {
      for (const o of step.outputs) slot[o] = alloc(size(o));
      const reads = step.inputs.map((id) => readOf(p.shapes[id] as Shape, step.shape) ?? 'broadcast');
      const temps = reads.map((r) => (r === 'broadcast' ? alloc(sizeOf(step.shape)) : -1));
      fusedRuns.set(step, { reads, temps, header: alloc(1 + step.inputs.length + step.outputs.length) });
    }
  }
  const scratchAt = alloc(scratch);
  const bytes = 4 * cursor;
  if (bytes > MAX_PAGES * WASM_PAGE)
    return { ok: false, reason: `the batch needs ${Math.ceil(bytes / 2 ** 20)} MiB of kernel memory; the kernels have ${(MAX_PAGES * WASM_PAGE) / 2 ** 20}` };

  const opRules = new Map(plan.steps.flatMap((s) => (s.kind === 'op' ? [[s, opRule(p, s.at)] as const] : [])));
  const users = new Map<number, TensorStep[]>();
  const reads = (s: TensorStep): readonly number[] =>
    s.kind === 'fused'
      ? s.inputs
      : s.kind === 'matmul'
        ? [s.a.source, s.b.source]
        : s.kind === 'alias'
          ? [s.source]
          : (p.instructions[s.at] as IrNode & { tag: 'op' }).args;
  for (const s of plan.steps) for (const r of reads(s)) users.set(r, [...(users.get(r) ?? []), s]);
  const outputs = new Set(p.outputs);
  const producedBy = (s: TensorStep): readonly number[] => (s.kind === 'fused' ? s.outputs : [s.at]);
  // The constants a later call must find in their slots: those that a per-call step or the caller reads.
  const kept = plan.steps
    .filter((s) => s.constant)
    .flatMap(producedBy)
    .filter((at) => outputs.has(at) || (users.get(at) ?? []).some((u) => !u.constant));
  let constants: Map<number, Float32Array> | undefined;

  const view = (f32: Float32Array, i: number): Float32Array => f32.subarray(slot[i] as number, (slot[i] as number) + size(i));

  const runFused = async (f32: Float32Array, step: TensorStep & { kind: 'fused' }, run: FusedRun): Promise<void> => {
    const entries = sizeOf(step.shape);
    const inputAt = step.inputs.map((id, j) => {
      if (run.reads[j] !== 'broadcast') return slot[id] as number;
      const temp = run.temps[j] as number;
      f32.set(broadcastEntries(view(f32, id), p.shapes[id] as Shape, step.shape), temp);
      return temp;
    });
    const reads: EntryRead[] = run.reads.map((r) => (r === 'broadcast' ? 'full' : r));
    run.kernel ??= kernels.entrywise(step.program, reads);
    const kernel = run.kernel;
    if (kernel === null) {
      // Too many registers for one kernel: the group's ops on their float64 rules, entry by entry.
      const values = Object.fromEntries(
        step.inputs.map((id, j) => [
          `t${id}`,
          reads[j] === 'scalar' ? (f32[inputAt[j] as number] as number) : f32.subarray(inputAt[j] as number, (inputAt[j] as number) + entries),
        ]),
      );
      runReference(step.program, { rows: entries, values }).forEach((v, j) => f32.set(v, slot[step.outputs[j] as number] as number));
      return;
    }
    const twoD = reads.some((r) => r === 'rows' || r === 'columns');
    const columns = twoD ? (step.shape[step.shape.length - 1] as number) : FLAT_COLUMNS;
    const rows = Math.ceil(entries / columns);
    // The kernel reads its header as i32 words.
    const header = entrywiseHeader(
      columns,
      inputAt.map((a) => 4 * a),
      step.outputs.map((o) => 4 * (slot[o] as number)),
    );
    new Int32Array(f32.buffer, 4 * run.header, header.length).set(header);
    if (entries < THREADED_ENTRIES || kernels.pool.threads === 1) kernel.run(0, 16 * rows, 4 * run.header);
    else await kernels.pool.run(kernel.id, kernel.module, kernel.run, 16 * rows, 4 * run.header);
  };

  const run: TensorRun = async (bindings) => {
    if (bindings.rows !== 1) throw new Error(`bug: a tensor program runs one batch at a time, not ${bindings.rows} rows`);
    const f32 = kernels.memory.reserve(bytes);
    p.instructions.forEach((n, i) => {
      const at = slot[i] as number;
      if (n.tag === 'const') f32[at] = n.value;
      else if (n.tag === 'leaf') writeLeaf(f32, at, bindings.values[n.name], n.name, size(i));
    });
    if (constants !== undefined) for (const [at, v] of constants) f32.set(v, slot[at] as number);
    for (const step of plan.steps) {
      if (constants !== undefined && step.constant) continue;
      if (step.kind === 'alias') continue;
      if (step.kind === 'matmul') {
        const [ar, ac] = p.shapes[step.a.source] as [number, number];
        const [br, bc] = p.shapes[step.b.source] as [number, number];
        await kernels.gemm.multiplyInMemory(f32, {
          a: { at: slot[step.a.source] as number, rows: step.a.transposed ? ac : ar, cols: step.a.transposed ? ar : ac, transposed: step.a.transposed },
          b: { data: view(f32, step.b.source), rows: step.b.transposed ? bc : br, cols: step.b.transposed ? br : bc, transposed: step.b.transposed },
          c: slot[step.at] as number,
          scratch: scratchAt,
        });
      } else if (step.kind === 'op' && reductions.has(step)) {
        const r = reductions.get(step) as { op: RowReduction; length: number; rows: number; header: number };
        const source = slot[(p.instructions[step.at] as IrNode & { tag: 'op' }).args[0] as number] as number;
        const header = rowReduceHeader(r.length, 4 * source, 4 * (slot[step.at] as number));
        new Int32Array(f32.buffer, 4 * r.header, header.length).set(header);
        const kernel = kernels.rowReduction(r.op);
        if (r.rows * r.length < THREADED_ENTRIES || kernels.pool.threads === 1) kernel.run(0, 16 * r.rows, 4 * r.header);
        else await kernels.pool.run(kernel.id, kernel.module, kernel.run, 16 * r.rows, 4 * r.header);
      } else if (step.kind === 'op') {
        const n = p.instructions[step.at] as IrNode & { tag: 'op' };
        const rule = opRules.get(step) as (args: readonly Float32Array[], out: Float32Array) => void;
        rule(
          n.args.map((a) => view(f32, a)),
          view(f32, step.at),
        );
      } else await runFused(f32, step, fusedRuns.get(step) as FusedRun);
    }
    constants ??= new Map(kept.map((at) => [at, view(f32, at).slice()]));
    return p.outputs.map((o) => view(f32, o).slice());
  };
  return { ok: true, run };
}

function writeLeaf(f32: Float32Array, at: number, value: LeafValue | undefined, name: string, size: number): void {
  if (value === undefined) throw new Error(`no value bound for '${name}'`);
  if (typeof value === 'number') {
    f32.fill(value, at, at + size);
    return;
  }
  if (value.length !== size) throw new Error(`'${name}' has ${value.length} values; expected ${size}`);
  f32.set(value, at);
}
