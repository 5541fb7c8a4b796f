/**
 * The flags of `losslab experiment`, read into a partial setup; the core checks the ranges
 * (`resolveSetup`), so that the CLI and the panel refuse the same things with the same words.
 */
import type { ExperimentSetupInput } from '../core/experiments/setup';

export const EXPERIMENT_FLAGS = {
  dataset: { type: 'string' },
  classes: { type: 'string' },
  dims: { type: 'string' },
  points: { type: 'string' },
  noise: { type: 'string' },
  'noise-type': { type: 'string' },
  imbalance: { type: 'string' },
  model: { type: 'string' },
  hidden: { type: 'string' },
  activation: { type: 'string' },
  optimizer: { type: 'string' },
  lr: { type: 'string' },
  epochs: { type: 'string' },
  seeds: { type: 'string' },
  landscape: { type: 'boolean' },
  resolution: { type: 'string' },
} as const;

type FlagValues = Readonly<Record<string, string | boolean | (string | boolean)[] | undefined>>;

export function experimentSetupFromFlags(values: FlagValues): { ok: true; setup: ExperimentSetupInput } | { ok: false; message: string } {
  const setup: Record<string, unknown> = {};
  const numeric: readonly [flag: string, key: keyof ExperimentSetupInput][] = [
    ['classes', 'classes'],
    ['dims', 'dims'],
    ['points', 'points'],
    ['noise', 'noise'],
    ['imbalance', 'imbalance'],
    ['lr', 'lr'],
    ['epochs', 'epochs'],
    ['resolution', 'resolution'],
  ];
  for (const [flag, key] of numeric) {
    const v = values[flag];
    if (typeof v !== 'string') continue;
    const x = Number(v);
    if (v.trim() === '' || !Number.isFinite(x)) return { ok: false, message: `--${flag}: '${v}' is not a number` };
    setup[key] = x;
  }
  const words: readonly [flag: string, key: keyof ExperimentSetupInput][] = [
    ['dataset', 'dataset'],
    ['noise-type', 'noiseType'],
    ['model', 'model'],
    ['activation', 'activation'],
    ['optimizer', 'optimizer'],
  ];
  for (const [flag, key] of words) if (typeof values[flag] === 'string') setup[key] = values[flag];
  if (typeof values.hidden === 'string') {
    const widths = values.hidden.split(',').map((s) => Number(s.trim()));
    if (widths.some((w) => !Number.isFinite(w))) return { ok: false, message: `--hidden expects widths like 32,32, got '${values.hidden}'` };
    setup.hidden = widths;
  }
  if (typeof values.seeds === 'string') {
    const n = Number(values.seeds);
    if (!Number.isInteger(n) || n < 1) return { ok: false, message: `--seeds expects a number of seeds (runs per loss), got '${values.seeds}'` };
    setup.seeds = Array.from({ length: n }, (_, i) => i + 1);
  }
  if (values.landscape === true) setup.landscape = true;
  return { ok: true, setup: setup as ExperimentSetupInput };
}
