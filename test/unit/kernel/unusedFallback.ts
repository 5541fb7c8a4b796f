/** A fallback executor for tests whose programs must all compile to kernels: using it is a failure. */
import type { Executor } from '../../../src/core/engine/executor';

export const unusedFallback: Executor = {
  backend: 'cpu',
  compile: () => {
    throw new Error('the fused executor fell back for a program it should compile');
  },
};
