/**
 * The engines `npm run bench` puts side by side: TensorFlow.js (the general path), the fused
 * WebAssembly kernels (src/core/engine/fused.ts, when it is there) and the fused WGSL kernels
 * (when WebGPU has an adapter). An engine that cannot start is a note, not a failure.
 */
/// <reference types="@webgpu/types" />
import { createRequire } from 'node:module';
import type { Executor } from '../src/core/engine/executor';

export interface BenchEngine {
  /** The column's name: tfjs-wasm, fused-wasm, fused-webgpu. */
  readonly name: string;
  readonly executor: Executor;
  /** What produced the numbers: SIMD and threads, the adapter. */
  readonly detail: string;
  /**
   * Whether it returns the same output arrays from call to call (`reuseOutputs`): right for a loop
   * that reads each result before the next call, wrong for the check suite, which keeps results.
   */
  readonly reusesOutputs?: boolean;
  dispose(): void;
}

interface FusedModule {
  createFusedExecutor(
    fallback: Executor,
    options?: { threads?: number; reuseOutputs?: boolean },
  ): Promise<Executor & { engine: string; threads: number; dispose(): void }>;
}

/** Dawn from LOSSLAB_WEBGPU_MODULE, a path to the `webgpu` package installed elsewhere. */
function dawnFromEnvironment(): GPU | undefined {
  const path = process.env.LOSSLAB_WEBGPU_MODULE;
  if (path === undefined) return undefined;
  const dawn = createRequire(__filename)(path) as { create(flags: string[]): GPU; globals: Record<string, unknown> };
  for (const [k, value] of Object.entries(dawn.globals)) if (!(k in globalThis)) Object.assign(globalThis, { [k]: value });
  return dawn.create([]);
}

/** Loaded by a computed path so the bench still runs where the fused compiler is absent. */
async function importOptional<T>(path: string): Promise<T | string> {
  try {
    return (await import(path)) as T;
  } catch (e) {
    return e instanceof Error ? (e.message.split('\n')[0] ?? e.message) : String(e);
  }
}

export async function startEngines(tfjs: Executor, tfjsName: string, tfjsDetail: string): Promise<{ engines: BenchEngine[]; notes: string[] }> {
  const engines: BenchEngine[] = [{ name: tfjsName, executor: tfjs, detail: tfjsDetail, dispose: () => undefined }];
  const notes: string[] = [];

  const fused = await importOptional<FusedModule>('../src/core/engine/fused');
  if (typeof fused === 'string') notes.push(`fused-wasm skipped: ${fused}`);
  else {
    try {
      // As the worker and the CLI compute: fresh output arrays on every call.
      const executor = await fused.createFusedExecutor(tfjs);
      const threads = `${executor.threads} thread${executor.threads === 1 ? '' : 's'}`;
      engines.push({
        name: 'fused-wasm',
        executor,
        detail: `fused WebAssembly SIMD kernels, ${threads}, fresh output arrays per call (the default)`,
        dispose: () => executor.dispose(),
      });
      // The slider's "allocate nothing per frame" path: the same arrays every call.
      const reusing = await fused.createFusedExecutor(tfjs, { reuseOutputs: true });
      engines.push({
        name: 'fused-wasm reused',
        executor: reusing,
        detail: `fused WebAssembly SIMD kernels, ${threads}, reuseOutputs: true (outputs written into the same arrays every call; not used for the check suites)`,
        reusesOutputs: true,
        dispose: () => reusing.dispose(),
      });
    } catch (e) {
      notes.push(`fused-wasm skipped: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  const webgpu = await importOptional<typeof import('../src/core/engine/webgpuKernel')>('../src/core/engine/webgpuKernel');
  if (typeof webgpu === 'string') notes.push(`fused-webgpu skipped: ${webgpu}`);
  else {
    const gpu = dawnFromEnvironment();
    const onFallback = (why: string) => notes.push(`fused-webgpu fell back to ${tfjsName}: ${why}`);
    const started = await webgpu.createWebGpuKernelExecutor(tfjs, gpu ? { gpu, onFallback } : { onFallback });
    if (started.ok) {
      const executor = started.executor;
      engines.push({ name: 'fused-webgpu', executor, detail: `WGSL kernels on ${executor.adapter}`, dispose: () => executor.dispose() });
    } else notes.push(`fused-webgpu skipped: ${started.why}`);
  }
  return { engines, notes };
}
