/**
 * Which executor runs the loss's programs: LossLab's fused WebAssembly SIMD kernels (the default:
 * one pass over the inputs instead of one per op, bench/results.md), the same programs as WGSL
 * compute shaders on a WebGPU adapter, or TensorFlow.js alone. Each falls back to the next for a
 * program it cannot compile: WGSL to fused WebAssembly, fused WebAssembly to TensorFlow.js.
 */
import type { Executor } from './executor';
import { createFusedExecutor } from './fused';
import type { KernelChoice } from './kernelChoice';
import { createWebGpuKernelExecutor } from './webgpuKernel';

export interface ChosenKernels {
  readonly executor: Executor;
  /** What runs the programs, for the status bar: 'fused-wasm (2 threads)', 'fused-webgpu (...)' or 'tfjs'. */
  readonly engine: string;
  /** Why the kernels asked for are not the ones in use. */
  readonly notice?: string;
}

const reason = (e: unknown): string => (e instanceof Error ? e.message : String(e));

export async function chooseKernels(tensors: Executor, choice: KernelChoice = 'fused', threads?: number): Promise<ChosenKernels> {
  if (choice === 'tfjs') return { executor: tensors, engine: 'tfjs' };
  let wasm: ChosenKernels;
  try {
    const fused = await createFusedExecutor(tensors, threads === undefined ? {} : { threads });
    wasm = { executor: fused, engine: `fused-wasm (${fused.threads} thread${fused.threads === 1 ? '' : 's'})` };
  } catch (e) {
    // A runtime without WebAssembly SIMD or shared memory still computes, on TensorFlow.js.
    wasm = { executor: tensors, engine: 'tfjs', notice: `the fused kernels could not start (${reason(e)}); computing with TensorFlow.js` };
  }
  if (choice !== 'webgpu') return wasm;
  try {
    const gpu = await createWebGpuKernelExecutor(wasm.executor);
    if (gpu.ok) return { executor: gpu.executor, engine: `fused-webgpu (${gpu.executor.adapter})`.slice(0, 64) };
    return { ...wasm, notice: `the WebGPU kernels could not start (${gpu.why}); computing with ${wasm.engine}` };
  } catch (e) {
    return { ...wasm, notice: `the WebGPU kernels could not start (${reason(e)}); computing with ${wasm.engine}` };
  }
}
