/**
 * What runs the loss's programs during an experiment: the user's backend (an `Executor`,
 * float32 TensorFlow.js) or the float64 reference. Both take the same `Program`; the precision
 * tells the caller which typed array to hand over without a copy.
 */
import type { Bindings } from '../ir/bindings';
import type { Executor } from '../engine/executor';
import { runReference } from '../engine/reference';
import type { Program } from '../ir/program';

export type RunProgram = (bindings: Bindings) => Promise<readonly ArrayLike<number>[]>;

export interface ProgramEngine {
  /** `float64` for the reference, else the executor's engine ('fused-wasm') or backend's name. */
  readonly name: string;
  readonly precision: 'float32' | 'float64';
  compile(program: Program): RunProgram;
}

export function executorEngine(executor: Executor): ProgramEngine {
  return { name: executor.engine ?? executor.backend, precision: 'float32', compile: (program) => executor.compile(program) };
}

export const float64Engine: ProgramEngine = {
  name: 'float64',
  precision: 'float64',
  compile: (program) => (bindings) => Promise.resolve(runReference(program, bindings)),
};
