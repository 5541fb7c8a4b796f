/**
 * Full-batch training: each epoch evaluates the loss and its gradient on the model's outputs for
 * the whole training set (one call of the loss's compiled program), backpropagates it through
 * the model and takes one optimiser step. A run whose loss stops being finite ends there, with
 * the epoch it diverged at.
 */
import { makeOptimizer } from './optimizers';
import type { EmpiricalRisk } from './risk';
import type { OptimizerName } from './setup';

export interface TrainOptions {
  readonly optimizer: OptimizerName;
  readonly lr: number;
  readonly epochs: number;
  /** Called after each epoch with the loss before that epoch's step. */
  readonly onEpoch?: (epoch: number, loss: number, theta: Float64Array) => void;
  /** Polled between epochs; a cancelled run returns undefined. */
  readonly isCancelled?: () => boolean;
}

export interface Trained {
  readonly theta: Float64Array;
  /** trainLoss[t]: the training loss after t steps (epochs + 1 values unless it diverged). */
  readonly trainLoss: number[];
  /** The epoch at which the loss or its gradient stopped being finite. */
  readonly divergedAt?: number;
}

/** Hand the event loop a turn at least this often, so that a cancel message can arrive. */
const YIELD_EVERY_MS = 20;

export async function train(risk: EmpiricalRisk, initial: Float64Array, options: TrainOptions): Promise<Trained | undefined> {
  const theta = Float64Array.from(initial);
  const grad = new Float64Array(theta.length);
  const optimizer = makeOptimizer(options.optimizer, options.lr, theta.length);
  const trainLoss: number[] = [];
  let lastYield = performance.now();
  for (let epoch = 0; epoch < options.epochs; epoch++) {
    if (options.isCancelled?.()) return undefined;
    const loss = await risk.valueAndGradient(theta, grad);
    trainLoss.push(loss);
    if (!Number.isFinite(loss) || !grad.every(Number.isFinite)) return { theta, trainLoss, divergedAt: epoch };
    optimizer.step(theta, grad);
    options.onEpoch?.(epoch, loss, theta);
    if (performance.now() - lastYield > YIELD_EVERY_MS) {
      await new Promise((r) => setImmediate(r));
      lastYield = performance.now();
    }
  }
  const final = await risk.value(theta);
  trainLoss.push(final);
  return Number.isFinite(final) ? { theta, trainLoss } : { theta, trainLoss, divergedAt: options.epochs };
}
