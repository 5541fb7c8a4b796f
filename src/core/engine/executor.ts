/**
 * The one seam between the IR and whatever runs it. An `Executor` turns a `Program` into a
 * function from bindings to float32 outputs. TensorFlow.js is the general path today; a fused
 * kernel compiler (WebAssembly SIMD, WGSL) is another implementation of this same interface.
 */
import type { Program } from '../ir/program';
import type { Bindings } from '../ir/bindings';

export type BackendName = 'tensorflow' | 'webgpu' | 'wasm' | 'cpu';
export const BACKEND_NAMES: readonly BackendName[] = ['tensorflow', 'webgpu', 'wasm', 'cpu'];

export type CompiledProgram = (bindings: Bindings) => Promise<Float32Array[]>;

export interface Executor {
  readonly backend: BackendName;
  /** What runs the programs when it is not the backend's tensor ops (e.g. 'fused-wasm'). */
  readonly engine?: string;
  compile(program: Program): CompiledProgram;
}

/**
 * What ran `compiled`: the executor's engine, or, where the fused kernels declined the program
 * (a tensor of matrices, an op without a kernel), the fallback with the reason, so that a plot
 * never claims the kernels that did not draw it.
 */
export function engineOf(executor: Executor, compiled: CompiledProgram): string | undefined {
  const c = compiled as CompiledProgram & { readonly engine?: string; readonly fallbackReason?: string };
  if (c.engine === 'fallback') return `tfjs-${executor.backend} (not fused: ${c.fallbackReason ?? 'no kernel'})`;
  return executor.engine;
}
