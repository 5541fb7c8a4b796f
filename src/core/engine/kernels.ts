/**
 * Which executor runs the loss's programs: LossLab's fused WebAssembly SIMD kernels, with the
 * TensorFlow.js executor for what they cannot compile, or TensorFlow.js alone. Fused is the
 * default: one pass over the inputs instead of one per op (issue #8, bench/results.md).
 */
import type { Executor } from './executor';
import { createFusedExecutor } from './fused';
import type { KernelChoice } from './kernelChoice';

export interface ChosenKernels {
  readonly executor: Executor;
  /** What runs the programs, for the status bar: 'fused-wasm (2 threads)' or 'tfjs'. */
  readonly engine: string;
  /** Why the fused kernels are not in use although they were asked for. */
  readonly notice?: string;
}

export async function chooseKernels(tensors: Executor, choice: KernelChoice = 'fused', threads?: number): Promise<ChosenKernels> {
  if (choice === 'tfjs') return { executor: tensors, engine: 'tfjs' };
  try {
    const fused = await createFusedExecutor(tensors, threads === undefined ? {} : { threads });
    return { executor: fused, engine: `fused-wasm (${fused.threads} thread${fused.threads === 1 ? '' : 's'})` };
  } catch (e) {
    // A runtime without WebAssembly SIMD or shared memory still computes, on TensorFlow.js.
    return {
      executor: tensors,
      engine: 'tfjs',
      notice: `the fused kernels could not start (${e instanceof Error ? e.message : String(e)}); computing with TensorFlow.js`,
    };
  }
}
