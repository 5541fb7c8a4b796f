/**
 * What an experiment answers, as `losslab experiment --json` prints it and the worker sends it
 * (field names follow the command-line contract: `train_loss`, `top_eigenvalues`).
 */
import type { Kind } from '../lang/kinds';
import type { ExperimentSetup } from './setup';

export interface ExperimentHessian {
  /** Largest in magnitude first, by power iteration on exact Hessian-vector products. */
  readonly top_eigenvalues: readonly number[];
  /** Hutchinson's estimate of the trace, its standard error and the number of samples. */
  readonly trace: number;
  readonly trace_stderr: number;
  readonly trace_samples: number;
}

export interface ExperimentLandscape {
  /** values[j][i] = L(θ* + alphas[i] d1 + betas[j] d2), on the training set. */
  readonly alphas: readonly number[];
  readonly betas: readonly number[];
  readonly values: readonly (readonly number[])[];
  /** The 1-D slice along d1, finer. */
  readonly line: { readonly alphas: readonly number[]; readonly values: readonly number[] };
  /** L((1 - t) θ0 + t θ*) from the initial parameters θ0 to the trained ones. */
  readonly path: { readonly t: readonly number[]; readonly values: readonly number[] };
}

export interface ExperimentRun {
  readonly loss: string;
  readonly seed: number;
  /** train_loss[t]: the mean training loss (on the noisy labels) after t steps. */
  readonly train_loss: readonly number[];
  /** The epoch where the loss or its gradient stopped being finite, if it did. */
  readonly diverged_at?: number;
  /** Accuracy on the training labels as given (noisy) and as they were before the noise. */
  readonly train: { readonly accuracy: number; readonly clean_accuracy: number };
  /** On the test set, whose labels are clean: accuracy and expected calibration error. */
  readonly test: { readonly accuracy: number; readonly ece: number };
  readonly hessian?: ExperimentHessian;
  readonly landscape?: ExperimentLandscape;
  readonly elapsed_ms: number;
}

export interface Spread {
  readonly mean: number;
  /** Sample standard deviation over seeds (0 for one seed). */
  readonly std: number;
}

export interface ExperimentSummary {
  readonly loss: string;
  readonly runs: number;
  readonly test_accuracy: Spread;
  readonly test_ece: Spread;
  readonly final_train_loss: Spread;
  readonly clean_train_accuracy: Spread;
  readonly top_eigenvalue?: Spread;
  readonly trace?: Spread;
}

export interface ExperimentReport {
  readonly losses: readonly {
    readonly name: string;
    readonly kind: Kind;
    readonly source: 'file' | 'library';
    readonly params: Readonly<Record<string, number>>;
  }[];
  readonly setup: ExperimentSetup;
  readonly classes: number;
  /** What ran the loss's programs: a backend name (float32) or `float64`. */
  readonly engine: string;
  /** Per seed: training points per class and the fraction of labels the noise flipped. */
  readonly data: readonly { readonly seed: number; readonly class_counts: readonly number[]; readonly flipped: number }[];
  readonly runs: readonly ExperimentRun[];
  readonly summary: readonly ExperimentSummary[];
  readonly elapsed_ms: number;
}
