/**
 * The shape check of a setup that arrives from outside (the panel's form, through the host):
 * only the known fields, each of its type, every number within the core's limits, every name one
 * of the core's. `resolveSetup` then checks what depends on several fields (moons have two
 * classes, the imbalance at most the points) and fills the defaults.
 */
import { DATASETS } from './datasets';
import { NOISE_TYPES } from './labelNoise';
import { ACTIVATIONS, MODELS, OPTIMIZERS, SETUP_LIMITS, type ExperimentSetupInput } from './setup';

/** Larger steps than these diverge on any of the tiny models; the slice's span is in filter-normalised units. */
export const MAX_LR = 10;
export const MAX_SPAN = 100;

type FieldCheck = (v: unknown) => boolean;

const whole =
  (lo: number, hi: number): FieldCheck =>
  (v) =>
    typeof v === 'number' && Number.isInteger(v) && v >= lo && v <= hi;
const within =
  (lo: number, hi: number, openLow = false, openHigh = false): FieldCheck =>
  (v) =>
    typeof v === 'number' && Number.isFinite(v) && (openLow ? v > lo : v >= lo) && (openHigh ? v < hi : v <= hi);
const oneOf =
  (names: readonly string[]): FieldCheck =>
  (v) =>
    typeof v === 'string' && names.includes(v);
const listOf =
  (lo: number, hi: number, item: FieldCheck): FieldCheck =>
  (v) =>
    Array.isArray(v) && v.length >= lo && v.length <= hi && v.every(item);

const L = SETUP_LIMITS;

/** Each field of `ExperimentSetupInput`, with what it must be: the message names the bound. */
const FIELDS: Readonly<Record<keyof ExperimentSetupInput, readonly [FieldCheck, string]>> = {
  dataset: [oneOf(DATASETS), `one of ${DATASETS.join(', ')}`],
  classes: [whole(2, L.classes), `a whole number from 2 to ${L.classes}`],
  dims: [whole(1, L.dims), `a whole number from 1 to ${L.dims}`],
  points: [whole(4, L.points), `a whole number from 4 to ${L.points}`],
  testPoints: [whole(2, L.points), `a whole number from 2 to ${L.points}`],
  noise: [within(0, 1, false, true), 'a rate in [0, 1)'],
  noiseType: [oneOf(NOISE_TYPES), `one of ${NOISE_TYPES.join(', ')}`],
  imbalance: [within(1, L.points), `a ratio from 1 to ${L.points}`],
  model: [oneOf(MODELS), `one of ${MODELS.join(', ')}`],
  hidden: [listOf(1, 2, whole(1, L.hidden)), `one or two widths from 1 to ${L.hidden}`],
  activation: [oneOf(ACTIVATIONS), `one of ${ACTIVATIONS.join(', ')}`],
  optimizer: [oneOf(OPTIMIZERS), `one of ${OPTIMIZERS.join(', ')}`],
  lr: [within(0, MAX_LR, true), `a number in (0, ${MAX_LR}]`],
  epochs: [whole(1, L.epochs), `a whole number from 1 to ${L.epochs}`],
  seeds: [listOf(1, L.seeds, whole(0, 2 ** 32 - 1)), `1 to ${L.seeds} whole numbers`],
  landscape: [(v) => typeof v === 'boolean', 'true or false'],
  landscapeSeeds: [whole(1, L.seeds), `a whole number from 1 to ${L.seeds}`],
  resolution: [whole(3, L.resolution), `a whole number from 3 to ${L.resolution}`],
  span: [within(0, MAX_SPAN, true), `a number in (0, ${MAX_SPAN}]`],
};

/** Undefined when `v` is a well-formed setup; otherwise what is wrong with its first bad field. */
export function setupInputProblem(v: unknown): string | undefined {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return 'the setup must be an object';
  for (const [key, value] of Object.entries(v)) {
    if (!Object.hasOwn(FIELDS, key)) return `unknown setup field '${key}'`;
    const [check, expected] = FIELDS[key as keyof ExperimentSetupInput];
    if (!check(value)) return `${key} must be ${expected}`;
  }
  return undefined;
}
