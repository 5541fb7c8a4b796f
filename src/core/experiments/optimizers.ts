/**
 * Full-batch optimisers that update the flat parameter vector in place: gradient descent, and
 * Adam (Kingma & Ba 2015, Algorithm 1, with its defaults β1 = 0.9, β2 = 0.999, ε = 1e-8).
 */
import type { OptimizerName } from './setup';

export interface Optimizer {
  step(theta: Float64Array, grad: Float64Array): void;
}

export function makeOptimizer(name: OptimizerName, lr: number, size: number): Optimizer {
  if (name === 'gd') {
    return {
      step(theta, grad) {
        for (let i = 0; i < size; i++) theta[i] = (theta[i] as number) - lr * (grad[i] as number);
      },
    };
  }
  const beta1 = 0.9;
  const beta2 = 0.999;
  const epsilon = 1e-8;
  const m = new Float64Array(size);
  const v = new Float64Array(size);
  let t = 0;
  return {
    step(theta, grad) {
      t++;
      const c1 = 1 - beta1 ** t;
      const c2 = 1 - beta2 ** t;
      for (let i = 0; i < size; i++) {
        const gi = grad[i] as number;
        const mi = beta1 * (m[i] as number) + (1 - beta1) * gi;
        const vi = beta2 * (v[i] as number) + (1 - beta2) * gi * gi;
        m[i] = mi;
        v[i] = vi;
        theta[i] = (theta[i] as number) - (lr * (mi / c1)) / (Math.sqrt(vi / c2) + epsilon);
      }
    },
  };
}
