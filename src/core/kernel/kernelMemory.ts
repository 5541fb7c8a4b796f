/**
 * The kernels' linear memory: one shared `WebAssembly.Memory` that grows with the largest batch
 * seen and is then reused, and the copies between bindings and its planes (a vector leaf's
 * row-major rows become K planes, and back for vector outputs).
 */
import type { Bindings, LeafValue } from '../ir/bindings';
import { DATA_BASE, MAX_PAGES, UNIFORM_BASE, WASM_PAGE, type KernelPlan } from './compile';

/** Bytes per plane for `rows` rows: whole v128s, and 64-byte aligned so planes start on cache lines. */
export function planeBytesFor(rows: number): number {
  return Math.ceil((rows * 4) / 64) * 64;
}

export class KernelMemory {
  readonly memory = new WebAssembly.Memory({ initial: DATA_BASE / WASM_PAGE + 1, maximum: MAX_PAGES, shared: true });
  private view = new Float32Array(this.memory.buffer);

  /** The float32 view of the whole memory after growing it to at least `bytes`. */
  reserve(bytes: number): Float32Array {
    const have = this.memory.buffer.byteLength;
    if (bytes > have) this.memory.grow(Math.ceil((bytes - have) / WASM_PAGE));
    if (this.view.buffer.byteLength !== this.memory.buffer.byteLength) this.view = new Float32Array(this.memory.buffer);
    return this.view;
  }
}

function rowValues(value: LeafValue | undefined, name: string, rows: number, width: number): ArrayLike<number> {
  if (value === undefined) throw new Error(`no value bound for '${name}'`);
  if (typeof value === 'number' || value.length !== rows * width)
    throw new Error(`'${name}' has ${typeof value === 'number' ? 1 : value.length} values; expected ${width} or ${rows * width} (${rows} rows of ${width})`);
  return value;
}

/** Writes the plan's inputs into memory; returns the float32 view to read outputs from. */
export function writeInputs(mem: KernelMemory, plan: KernelPlan, bindings: Bindings, planeBytes: number): Float32Array {
  const f32 = mem.reserve(DATA_BASE + plan.planes * planeBytes);
  const planeWords = planeBytes / 4;
  const rows = bindings.rows;
  for (const leaf of plan.broadcastLeaves) {
    const v = bindings.values[leaf.name];
    if (v === undefined) throw new Error(`no value bound for '${leaf.name}'`);
    for (let k = 0; k < leaf.width; k++) f32[UNIFORM_BASE / 4 + leaf.first + k] = typeof v === 'number' ? v : (v[k] as number);
  }
  for (const leaf of plan.rowLeaves) {
    const src = rowValues(bindings.values[leaf.name], leaf.name, rows, leaf.width);
    const at = DATA_BASE / 4 + leaf.first * planeWords;
    if (leaf.width === 1) {
      // One memcpy (with the float64 to float32 rounding done by the engine).
      f32.set(src, at);
      continue;
    }
    for (let k = 0; k < leaf.width; k++) {
      const plane = at + k * planeWords;
      for (let r = 0; r < rows; r++) f32[plane + r] = src[r * leaf.width + k] as number;
    }
  }
  return f32;
}

/** Fresh output arrays, one per output, rows × width long. */
export function allocateOutputs(plan: KernelPlan, rows: number): Float32Array[] {
  return plan.outputs.map(({ width }) => new Float32Array(rows * width));
}

/**
 * Copies rows [from, to) of every output out of memory into `into`, row-major as the tensor
 * executor returns them. Scalar outputs are one `set` from a view of the shared memory; copying a
 * range lets the calling thread copy the rows it computed while the other threads still work.
 */
export function copyOutputs(f32: Float32Array, plan: KernelPlan, planeBytes: number, into: readonly Float32Array[], from: number, to: number): void {
  const planeWords = planeBytes / 4;
  plan.outputs.forEach(({ first, width }, o) => {
    const at = DATA_BASE / 4 + first * planeWords;
    const out = into[o] as Float32Array;
    if (width === 1) {
      out.set(f32.subarray(at + from, at + to), from);
      return;
    }
    for (let k = 0; k < width; k++) {
      const plane = at + k * planeWords;
      for (let r = from; r < to; r++) out[r * width + k] = f32[plane + r] as number;
    }
  });
}

/** The outputs, row-major as the tensor executor returns them: in fresh arrays, or in `into` (one per output, rows × width long). */
export function readOutputs(f32: Float32Array, plan: KernelPlan, rows: number, planeBytes: number, into?: readonly Float32Array[]): Float32Array[] {
  const out = into ? [...into] : allocateOutputs(plan, rows);
  copyOutputs(f32, plan, planeBytes, out, 0, rows);
  return out;
}

/** Whether a leaf is bound once for the batch (a number, or exactly `width` values, as leafColumn decides) or per row. */
export function isBroadcast(value: LeafValue | undefined, width: number): boolean {
  return value === undefined || typeof value === 'number' || value.length === width;
}
