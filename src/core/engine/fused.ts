/**
 * The fused-kernel executor: each `Program` becomes one WebAssembly SIMD kernel
 * (src/core/kernel) that computes every output in one pass over the rows, on the calling thread
 * for small batches and shared between `threads` threads for large ones. A program with an op the
 * kernels lack (sin, cos) runs on the fallback executor instead, and says so in its `engine`.
 */
import { stableForFloat32 } from '../ir/float32Forms';
import { availableParallelism } from 'node:os';
import { tensorReason, type Program } from '../ir/program';
import { isPerSample } from '../ir/shape';
import { compileKernel, DATA_BASE, MAX_PAGES, unsupportedOps, WASM_PAGE, type KernelPlan, type LeafLayout } from '../kernel/compile';
import { allocateOutputs, copyOutputs, isBroadcast, KernelMemory, planeBytesFor, readOutputs, writeInputs } from '../kernel/kernelMemory';
import { KernelPool } from '../kernel/kernelPool';
import { GemmRunner } from '../kernel/gemm';
import { planTensorSteps } from '../kernel/tensorPlan';
import { compileTensorSteps, type EntrywiseKernel } from './fusedTensor';
import { compileEntrywise, type EntryRead } from '../kernel/entrywise';
import { rowReduceModule, type RowReduction } from '../kernel/rowReduce';
import type { Bindings } from '../ir/bindings';
import type { CompiledProgram, Executor } from './executor';

/** Compiled kernels kept (by program and leaf layout); a module is a few kilobytes. */
export const KERNELS_KEPT = 256;

/** Below this many rows the hand-off to other threads costs more than it saves. */
const THREADED_ROWS = 32768;
/**
 * How far the calling thread's share of the rows moves per threaded call. It computes its share
 * and then copies the outputs, its own rows while the workers still compute theirs; so its fair
 * share is less than 1/threads, by how much depends on the copy (fresh arrays fault their pages in,
 * reused ones do not) and the machine. Each call nudges the share toward the point where both
 * finish together.
 */
const SHARE_STEP = 0.01;

export type FusedProgram = CompiledProgram & {
  /** 'fused-wasm', or 'fallback' when the program runs on the fallback executor. */
  readonly engine: 'fused-wasm' | 'fallback';
  readonly fallbackReason?: string;
};

export interface FusedExecutor extends Executor {
  readonly engine: 'fused-wasm';
  readonly threads: number;
  /** Kernels in the cache now: at most KERNELS_KEPT. */
  readonly kernelsCached: number;
  compile(program: Program): FusedProgram;
  dispose(): Promise<void>;
}

interface Kernel {
  readonly id: number;
  readonly plan: KernelPlan;
  readonly module: WebAssembly.Module;
  readonly run: (begin: number, end: number, planeBytes: number) => void;
}

type KernelEntry = { readonly ok: true; readonly kernel: Kernel } | { readonly ok: false; readonly reason: string };

export interface FusedOptions {
  /** Threads that run a large batch, the calling thread included (default: os.availableParallelism()). */
  readonly threads?: number;
  /**
   * Return the same output arrays from every call of a program with the same row count, so a warm
   * call allocates nothing. The next such call overwrites them: only for callers that are done with
   * the numbers before they call again (a benchmark loop, a slider's redraw).
   */
  readonly reuseOutputs?: boolean;
}

function fitsInMemory(plan: KernelPlan, rows: number): boolean {
  return DATA_BASE + plan.planes * planeBytesFor(rows) <= MAX_PAGES * WASM_PAGE;
}

export async function createFusedExecutor(fallback: Executor, options: FusedOptions = {}): Promise<FusedExecutor> {
  const threads = Math.max(1, Math.floor(options.threads ?? availableParallelism()));
  const memory = new KernelMemory();
  const pool = new KernelPool(memory.memory, threads);
  /** Kernels by program text and leaf layout: equal programs share one kernel. */
  const kernels = new Map<string, KernelEntry>();
  const programKeys = new WeakMap<Program, string>();
  let nextId = 0;
  let disposed = false;
  const outputArrays = new Map<Kernel, { length: number; arrays: Float32Array[] }>();
  let localShare = 1 / threads;
  // Calls share the memory, so they take turns.
  let tail: Promise<unknown> = Promise.resolve();

  const keyOf = (program: Program): string => {
    let key = programKeys.get(program);
    if (key === undefined) {
      key = JSON.stringify([program.classes, program.instructions, program.shapes, program.outputs]);
      programKeys.set(program, key);
    }
    return key;
  };

  /** The least recently used kernel goes first: a long session edits its losses thousands of times. */
  const remember = (key: string, entry: KernelEntry): void => {
    kernels.set(key, entry);
    if (kernels.size <= KERNELS_KEPT) return;
    const [oldestKey, oldest] = kernels.entries().next().value as [string, KernelEntry];
    kernels.delete(oldestKey);
    if (oldest.ok) {
      pool.unload(oldest.kernel.id);
      outputArrays.delete(oldest.kernel);
    }
  };

  const kernelFor = (program: Program, layout: ReadonlyMap<string, LeafLayout>, layoutKey: string): KernelEntry => {
    const key = `${keyOf(program)}|${layoutKey}`;
    let entry = kernels.get(key);
    if (entry !== undefined) {
      // Most recently used: to the back of the eviction order.
      kernels.delete(key);
      kernels.set(key, entry);
    } else {
      const compiled = compileKernel(program, (name) => layout.get(name) ?? 'broadcast');
      if (compiled.ok) {
        const module = new WebAssembly.Module(compiled.plan.bytes);
        const { run } = new WebAssembly.Instance(module, { env: { memory: memory.memory } }).exports as { run: Kernel['run'] };
        entry = { ok: true, kernel: { id: nextId++, plan: compiled.plan, module, run } };
      } else entry = compiled;
      remember(key, entry);
    }
    return entry;
  };

  const runKernel = async (kernel: Kernel, bindings: Bindings): Promise<Float32Array[]> => {
    const rows = bindings.rows;
    const planeBytes = planeBytesFor(rows);
    const f32 = writeInputs(memory, kernel.plan, bindings, planeBytes);
    const bytes = Math.ceil(rows / 4) * 16;
    const out = options.reuseOutputs ? reusedOutputs(kernel, rows) : allocateOutputs(kernel.plan, rows);
    if (rows < THREADED_ROWS || threads === 1) {
      kernel.run(0, bytes, planeBytes);
      return readOutputs(f32, kernel.plan, rows, planeBytes, out);
    }
    let copied = 0;
    const copyOwnRows = (end: number): void => copyOutputs(f32, kernel.plan, planeBytes, out, 0, (copied = Math.min(rows, end / 4)));
    const workersDone = await pool.run(kernel.id, kernel.module, kernel.run, bytes, planeBytes, localShare, copyOwnRows);
    copyOutputs(f32, kernel.plan, planeBytes, out, copied, rows);
    localShare = Math.min(0.9, Math.max(0.1, localShare + (workersDone ? -SHARE_STEP : SHARE_STEP)));
    return out;
  };

  const reusedOutputs = (kernel: Kernel, rows: number): Float32Array[] => {
    let reused = outputArrays.get(kernel);
    if (reused?.length !== rows) outputArrays.set(kernel, (reused = { length: rows, arrays: allocateOutputs(kernel.plan, rows) }));
    return reused.arrays;
  };

  const gemm = new GemmRunner(memory, pool, () => nextId++);
  /** The tensor programs' element-wise kernels by group and reads, least recently used first, as `kernels`. */
  const entrywiseKernels = new Map<string, EntrywiseKernel | null>();
  const rowReductions = new Map<RowReduction, EntrywiseKernel>();
  const rowReduction = (op: RowReduction): EntrywiseKernel => {
    let kernel = rowReductions.get(op);
    if (kernel === undefined) {
      const module = new WebAssembly.Module(rowReduceModule(op));
      kernel = {
        id: nextId++,
        module,
        run: (new WebAssembly.Instance(module, { env: { memory: memory.memory } }).exports as { run: EntrywiseKernel['run'] }).run,
      };
      rowReductions.set(op, kernel);
    }
    return kernel;
  };
  const entrywise = (program: Program, reads: readonly EntryRead[]): EntrywiseKernel | null => {
    const key = JSON.stringify([program.instructions, program.outputs, reads]);
    let kernel = entrywiseKernels.get(key);
    if (kernel !== undefined) entrywiseKernels.delete(key);
    else {
      const bytes = compileEntrywise(program, reads);
      const module = bytes === undefined ? undefined : new WebAssembly.Module(bytes);
      kernel =
        module === undefined
          ? null
          : {
              id: nextId++,
              module,
              run: (new WebAssembly.Instance(module, { env: { memory: memory.memory } }).exports as { run: EntrywiseKernel['run'] }).run,
            };
    }
    entrywiseKernels.set(key, kernel);
    if (entrywiseKernels.size > KERNELS_KEPT) {
      const [oldestKey, oldest] = entrywiseKernels.entries().next().value as [string, EntrywiseKernel | null];
      entrywiseKernels.delete(oldestKey);
      // A program still holding it runs it here; the threads load it again if they are asked to.
      if (oldest !== null) pool.unload(oldest.id);
    }
    return kernel;
  };

  /**
   * A batch loss's program: its steps on the kernels, one batch per call, every value in the
   * kernels' memory for the whole call (so the call takes one turn). Many rows at once (a curve
   * or landscape across held batches) run on the fallback, and the program says so for the call
   * it last ran.
   */
  const compileTensor = (program: Program): FusedProgram => {
    const compiled = compileTensorSteps(planTensorSteps(program), { memory, pool, gemm, entrywise, rowReduction });
    if (!compiled.ok) return Object.assign(fallback.compile(program), { engine: 'fallback' as const, fallbackReason: compiled.reason });
    let fallbackFn: CompiledProgram | undefined;
    let lastRows = 1;
    const run = (bindings: Bindings): Promise<Float32Array[]> => {
      if (disposed) return Promise.reject(new Error('bug: a fused executor used after dispose()'));
      lastRows = bindings.rows;
      if (bindings.rows !== 1) {
        fallbackFn ??= fallback.compile(program);
        return fallbackFn(bindings);
      }
      const turn = tail.then(() => compiled.run(bindings));
      tail = turn.catch(() => undefined);
      return turn;
    };
    return Object.defineProperties(run, {
      engine: { get: () => (lastRows === 1 ? 'fused-wasm' : 'fallback') },
      fallbackReason: { get: () => (lastRows === 1 ? undefined : `${lastRows} batches in one call: the fused kernels take a batch loss one batch at a time`) },
    }) as FusedProgram;
  };

  const compile = (written: Program): FusedProgram => {
    const program = stableForFloat32(written);
    // A batch loss's matrices run as tensor steps; a per-sample program with an op the per-sample
    // kernels lack (topk, a slice of a vector of K) runs on the fallback, with the reason.
    if (program.shapes.some((s) => !isPerSample(s, program.classes))) return compileTensor(program);
    const unfused = tensorReason(program);
    if (unfused !== undefined) return Object.assign(fallback.compile(program), { engine: 'fallback' as const, fallbackReason: unfused });
    const missing = unsupportedOps(program);
    if (missing.length > 0)
      return Object.assign(fallback.compile(program), { engine: 'fallback' as const, fallbackReason: `no kernel for ${missing.join(', ')}` });
    const leaves = program.instructions.flatMap((n, i) =>
      n.tag === 'leaf' ? [{ name: n.name, width: program.shapes[i]?.length === 1 ? program.classes : 1 }] : [],
    );
    let fallbackFn: CompiledProgram | undefined;
    const byLayout = new Map<string, KernelEntry>();
    const run = (bindings: Bindings): Promise<Float32Array[]> => {
      if (disposed) return Promise.reject(new Error('bug: a fused executor used after dispose()'));
      let layoutKey = '';
      for (const l of leaves) layoutKey += isBroadcast(bindings.values[l.name], l.width) ? 'b' : 'r';
      let entry = byLayout.get(layoutKey);
      if (entry === undefined) {
        const layout = new Map<string, LeafLayout>(leaves.map((l, j) => [l.name, layoutKey[j] === 'r' ? 'row' : 'broadcast']));
        byLayout.set(layoutKey, (entry = kernelFor(program, layout, layoutKey)));
      }
      const found = entry;
      if (!found.ok || !fitsInMemory(found.kernel.plan, bindings.rows)) {
        // Too large for one kernel (registers, broadcast values, memory): correct numbers from the fallback.
        fallbackFn ??= fallback.compile(program);
        return fallbackFn(bindings);
      }
      const turn = tail.then(() => runKernel(found.kernel, bindings));
      tail = turn.catch(() => undefined);
      return turn;
    };
    return Object.assign(run, { engine: 'fused-wasm' as const });
  };

  return {
    backend: fallback.backend,
    engine: 'fused-wasm',
    threads,
    compile,
    get kernelsCached() {
      return kernels.size;
    },
    dispose: () => {
      disposed = true;
      return pool.dispose();
    },
  };
}
