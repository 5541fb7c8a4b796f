/**
 * The float32 engines that tests compare with LossLab's float64 reference: TensorFlow.js on its
 * wasm backend and the fused WebAssembly kernels on one thread, started before the suite and
 * disposed after it. With `strict`, the fused executor has no fallback: a program it cannot
 * compile fails the test instead of running on TensorFlow.js.
 */
import { after, before } from 'node:test';
import { startBackend } from '../../src/core/engine/backend';
import type { Executor } from '../../src/core/engine/executor';
import { createFusedExecutor, type FusedExecutor } from '../../src/core/engine/fused';
import { tensorExecutor } from '../../src/core/engine/tensor';
import { unusedFallback } from './kernel/unusedFallback';

export interface Float32Engines {
  readonly tfjs: () => Executor;
  readonly fused: () => FusedExecutor;
}

export function float32Engines(options: { readonly strict?: boolean } = {}): Float32Engines {
  let tfjs: Executor | undefined;
  let fused: FusedExecutor | undefined;
  before(async () => {
    const started = await startBackend('wasm');
    tfjs = tensorExecutor(started.tf, started.backend);
    fused = await createFusedExecutor(options.strict ? unusedFallback : tfjs, { threads: 1 });
  });
  after(() => fused?.dispose());
  const started = <T>(engine: T | undefined): T => {
    if (engine === undefined) throw new Error('bug: the float32 engines are used before the suite started them');
    return engine;
  };
  return { tfjs: () => started(tfjs), fused: () => started(fused) };
}
