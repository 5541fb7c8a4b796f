/**
 * What an experiment is asked to do, with its defaults, validated at the boundary (the CLI's
 * flags and the worker's requests arrive as a partial setup) into a complete one or a message.
 */
import { DATASETS, isDatasetName, type DatasetName } from './datasets';
import { isNoiseType, NOISE_TYPES, type NoiseType } from './labelNoise';

export const MODELS = ['linear', 'mlp'] as const;
export type ModelName = (typeof MODELS)[number];
export const ACTIVATIONS = ['relu', 'tanh'] as const;
export type Activation = (typeof ACTIVATIONS)[number];
export const OPTIMIZERS = ['adam', 'gd'] as const;
export type OptimizerName = (typeof OPTIMIZERS)[number];

export interface ExperimentSetup {
  readonly dataset: DatasetName;
  /** Classes of the data; absent: the first loss's K when it is multiclass, else 2. */
  readonly classes?: number;
  /** Input dimension of blobs and separable (moons and spirals are planar). */
  readonly dims: number;
  /** Training points, noisy labels and imbalance included. */
  readonly points: number;
  /** Test points: balanced, with clean labels. */
  readonly testPoints: number;
  /** Label-noise rate on the training labels, in [0, 1). */
  readonly noise: number;
  readonly noiseType: NoiseType;
  /** Ratio of the largest training class to the smallest (1: balanced). */
  readonly imbalance: number;
  readonly model: ModelName;
  /** Widths of the hidden layers of the MLP (one or two). */
  readonly hidden: readonly number[];
  readonly activation: Activation;
  readonly optimizer: OptimizerName;
  readonly lr: number;
  readonly epochs: number;
  /** One run per seed and loss; a seed fixes the data, the noise, the initial weights and the landscape's directions. */
  readonly seeds: readonly number[];
  /** Also compute the landscape and the Hessian's spectrum at the trained parameters. */
  readonly landscape: boolean;
  /**
   * Only the first this many seeds of each loss get the landscape and the Hessian (absent: every
   * seed): the panel draws one landscape per loss, and each costs more than its training.
   */
  readonly landscapeSeeds?: number;
  /** Grid points per axis of the 2-D slice. */
  readonly resolution: number;
  /** The slice covers [-span, span]² in units of the filter-normalised directions. */
  readonly span: number;
}

export type ExperimentSetupInput = Partial<ExperimentSetup>;

export const DEFAULT_LR: Readonly<Record<OptimizerName, number>> = { adam: 0.01, gd: 0.5 };

export const DEFAULT_SETUP: Omit<ExperimentSetup, 'lr'> = {
  dataset: 'blobs',
  dims: 2,
  points: 1000,
  testPoints: 1000,
  noise: 0,
  noiseType: 'symmetric',
  imbalance: 1,
  model: 'mlp',
  hidden: [16, 16],
  activation: 'relu',
  optimizer: 'adam',
  epochs: 300,
  seeds: [1],
  landscape: false,
  resolution: 41,
  span: 1,
};

/** Caps that keep one experiment within seconds to minutes, never hours. */
export const SETUP_LIMITS = { points: 100_000, hidden: 256, epochs: 100_000, seeds: 100, resolution: 201, dims: 1000, classes: 32 };

const LIMITS = SETUP_LIMITS;

export type SetupResult = { ok: true; setup: ExperimentSetup } | { ok: false; message: string };

export function resolveSetup(input: ExperimentSetupInput): SetupResult {
  const s = { ...DEFAULT_SETUP, ...input };
  const fail = (message: string): SetupResult => ({ ok: false, message });
  const whole = (v: number, lo: number, hi: number) => Number.isInteger(v) && v >= lo && v <= hi;
  if (!isDatasetName(s.dataset)) return fail(`dataset must be one of ${DATASETS.join(', ')}`);
  if (!isNoiseType(s.noiseType)) return fail(`noise type must be one of ${NOISE_TYPES.join(', ')}`);
  if (!(MODELS as readonly string[]).includes(s.model)) return fail(`model must be one of ${MODELS.join(', ')}`);
  if (!(ACTIVATIONS as readonly string[]).includes(s.activation)) return fail(`activation must be one of ${ACTIVATIONS.join(', ')}`);
  if (!(OPTIMIZERS as readonly string[]).includes(s.optimizer)) return fail(`optimizer must be one of ${OPTIMIZERS.join(', ')}`);
  if (s.classes !== undefined && !whole(s.classes, 2, LIMITS.classes)) return fail(`classes must be a whole number from 2 to ${LIMITS.classes}`);
  if (s.dataset === 'moons' && s.classes !== undefined && s.classes !== 2) return fail('the two moons have 2 classes');
  if (!whole(s.dims, 1, LIMITS.dims)) return fail(`dims must be a whole number from 1 to ${LIMITS.dims}`);
  if (!whole(s.points, 4, LIMITS.points)) return fail(`points must be a whole number from 4 to ${LIMITS.points}`);
  if (!whole(s.testPoints, 2, LIMITS.points)) return fail(`test points must be a whole number from 2 to ${LIMITS.points}`);
  if (!(s.noise >= 0 && s.noise < 1)) return fail('noise must be a rate in [0, 1)');
  if (!(s.imbalance >= 1 && s.imbalance <= s.points)) return fail('imbalance must be a ratio of at least 1 (largest class over smallest)');
  if (s.model === 'mlp' && !(Array.isArray(s.hidden) && s.hidden.length >= 1 && s.hidden.length <= 2 && s.hidden.every((h) => whole(h, 1, LIMITS.hidden))))
    return fail(`an MLP has one or two hidden layers of 1 to ${LIMITS.hidden} units`);
  if (!whole(s.epochs, 1, LIMITS.epochs)) return fail(`epochs must be a whole number from 1 to ${LIMITS.epochs}`);
  if (!(Array.isArray(s.seeds) && s.seeds.length >= 1 && s.seeds.length <= LIMITS.seeds && s.seeds.every((x) => whole(x, 0, 2 ** 32 - 1))))
    return fail(`seeds must be 1 to ${LIMITS.seeds} whole numbers`);
  if (s.landscapeSeeds !== undefined && !whole(s.landscapeSeeds, 1, LIMITS.seeds))
    return fail(`landscape seeds must be a whole number from 1 to ${LIMITS.seeds}`);
  if (!whole(s.resolution, 3, LIMITS.resolution)) return fail(`resolution must be a whole number from 3 to ${LIMITS.resolution}`);
  if (!(s.span > 0 && Number.isFinite(s.span))) return fail('span must be a positive number');
  const lr = input.lr ?? DEFAULT_LR[s.optimizer];
  if (!(lr > 0 && Number.isFinite(lr))) return fail('the learning rate must be a positive number');
  // Only the known fields: a request's extra keys must not reach the report or the cache key.
  const setup: ExperimentSetup = {
    dataset: s.dataset,
    ...(s.classes !== undefined ? { classes: s.classes } : {}),
    dims: s.dims,
    points: s.points,
    testPoints: s.testPoints,
    noise: s.noise,
    noiseType: s.noiseType,
    imbalance: s.imbalance,
    model: s.model,
    hidden: s.model === 'linear' ? [] : [...s.hidden],
    activation: s.activation,
    optimizer: s.optimizer,
    lr,
    epochs: s.epochs,
    seeds: [...s.seeds],
    landscape: s.landscape === true,
    ...(s.landscapeSeeds !== undefined ? { landscapeSeeds: s.landscapeSeeds } : {}),
    resolution: s.resolution,
    span: s.span,
  };
  return { ok: true, setup };
}
