/**
 * The experiment form's values and what they ask of the core: a setup (`ExperimentSetupInput`)
 * and the losses to compare. Defaults are the core's; each field is checked with the core's own
 * bounds (`setupInputProblem`), then the whole with `resolveSetup`, so the form says exactly what
 * the host would refuse, before it is sent. Pure: the DOM is `experimentSetup.ts`.
 */
import type { ExperimentChoices, ExperimentSetupInput, LossSummary } from '../src/protocol';
import type { DatasetName } from '../src/core/experiments/datasets';
import type { NoiseType } from '../src/core/experiments/labelNoise';
import { DEFAULT_LR, DEFAULT_SETUP, resolveSetup, SETUP_LIMITS, type ModelName, type OptimizerName } from '../src/core/experiments/setup';
import { setupInputProblem } from '../src/core/experiments/setupInput';

export interface ExperimentForm {
  readonly dataset: DatasetName;
  /** K of blobs and spirals; a binary loss always trains on two classes, the moons have two. */
  readonly classes: number;
  readonly points: number;
  readonly noise: number;
  readonly noiseType: NoiseType;
  readonly imbalance: number;
  readonly model: ModelName;
  readonly layers: 1 | 2;
  readonly width: number;
  readonly optimizer: OptimizerName;
  readonly lr: number;
  readonly epochs: number;
  /** Seeds 1..seeds. */
  readonly seeds: number;
  readonly landscape: boolean;
  readonly resolution: number;
  /** The losses picked for comparison, by the kind of the shown loss (a pick for multiclass losses means nothing to a margin loss). */
  readonly compared: Readonly<Record<string, readonly string[]>>;
}

/** The form's fields that are numbers typed by the user, in the order the form shows them. */
export const NUMBER_FIELDS = ['classes', 'points', 'noise', 'imbalance', 'width', 'lr', 'epochs', 'seeds', 'resolution'] as const;
export type NumberField = (typeof NUMBER_FIELDS)[number];

/** The dataset that fits a kind: blobs need K classes; a binary loss gets the two moons, which a linear model cannot separate. */
export function defaultForm(loss: LossSummary): ExperimentForm {
  const d = DEFAULT_SETUP;
  return {
    dataset: loss.kind === 'multiclass' ? 'blobs' : 'moons',
    classes: loss.kind === 'multiclass' ? loss.classes : 2,
    points: d.points,
    noise: d.noise,
    noiseType: d.noiseType,
    imbalance: d.imbalance,
    model: d.model,
    layers: d.hidden.length === 1 ? 1 : 2,
    width: d.hidden[0] ?? 16,
    optimizer: d.optimizer,
    lr: DEFAULT_LR[d.optimizer],
    epochs: d.epochs,
    seeds: d.seeds.length,
    landscape: true,
    resolution: d.resolution,
    compared: {},
  };
}

/** The form the host last ran, for a panel that has none of its own (a new webview). */
export function formFromSetup(loss: LossSummary, setup: ExperimentSetupInput, compared: readonly string[]): ExperimentForm {
  const base = defaultForm(loss);
  const hidden = setup.hidden ?? [];
  return {
    ...base,
    ...(setup.dataset ? { dataset: setup.dataset } : {}),
    ...(setup.classes !== undefined ? { classes: setup.classes } : {}),
    ...(setup.points !== undefined ? { points: setup.points } : {}),
    ...(setup.noise !== undefined ? { noise: setup.noise } : {}),
    ...(setup.noiseType ? { noiseType: setup.noiseType } : {}),
    ...(setup.imbalance !== undefined ? { imbalance: setup.imbalance } : {}),
    ...(setup.model ? { model: setup.model } : {}),
    ...(hidden.length > 0 ? { layers: hidden.length === 1 ? 1 : 2, width: hidden[0] as number } : {}),
    ...(setup.optimizer ? { optimizer: setup.optimizer } : {}),
    ...(setup.lr !== undefined ? { lr: setup.lr } : {}),
    ...(setup.epochs !== undefined ? { epochs: setup.epochs } : {}),
    ...(setup.seeds ? { seeds: setup.seeds.length } : {}),
    ...(setup.landscape !== undefined ? { landscape: setup.landscape } : {}),
    ...(setup.resolution !== undefined ? { resolution: setup.resolution } : {}),
    compared: { [loss.kind]: compared },
  };
}

/** The losses offered beside `loss`: the file's of its kind, then the library's that the file does not define. */
export function comparisonCandidates(loss: LossSummary, choices: ExperimentChoices | undefined): { file: string[]; library: string[] } {
  if (!choices || choices.loss !== loss.name) return { file: [], library: [] };
  const file = choices.file.filter((n) => n !== loss.name);
  return { file, library: choices.library.filter((n) => n !== loss.name && !file.includes(n)) };
}

/** The picked comparison: the saved picks still offered, or the file's other losses when nothing was picked for this kind yet. */
export function comparedLosses(form: ExperimentForm, loss: LossSummary, choices: ExperimentChoices | undefined): string[] {
  const { file, library } = comparisonCandidates(loss, choices);
  const picked = form.compared[loss.kind];
  if (picked === undefined) return file;
  return [...file, ...library].filter((n) => picked.includes(n));
}

/** Whether the classes field means anything: only a multiclass loss on blobs, spirals or separable data chooses K. */
export function choosesClasses(form: ExperimentForm, loss: LossSummary): boolean {
  return loss.kind === 'multiclass' && form.dataset !== 'moons';
}

export function setupOfForm(form: ExperimentForm, loss: LossSummary): ExperimentSetupInput {
  return {
    dataset: form.dataset,
    ...(choosesClasses(form, loss) ? { classes: form.classes } : {}),
    points: form.points,
    noise: form.noise,
    noiseType: form.noiseType,
    imbalance: form.imbalance,
    model: form.model,
    ...(form.model === 'mlp' ? { hidden: Array.from({ length: form.layers }, () => form.width) } : {}),
    optimizer: form.optimizer,
    lr: form.lr,
    epochs: form.epochs,
    seeds: Array.from({ length: Number.isInteger(form.seeds) ? Math.max(0, Math.min(form.seeds, SETUP_LIMITS.seeds)) : 0 }, (_, i) => i + 1),
    landscape: form.landscape,
    // The panel draws one landscape per loss: the first seed's; the others would cost more than their training.
    ...(form.landscape ? { landscapeSeeds: 1 } : {}),
    resolution: form.resolution,
  };
}

/** Which setup field a form field feeds, for the core's messages. */
const SETUP_FIELD: Readonly<Record<NumberField, keyof ExperimentSetupInput>> = {
  classes: 'classes',
  points: 'points',
  noise: 'noise',
  imbalance: 'imbalance',
  width: 'hidden',
  lr: 'lr',
  epochs: 'epochs',
  seeds: 'seeds',
  resolution: 'resolution',
};

export type FormCheck =
  | { readonly ok: true; readonly setup: ExperimentSetupInput; readonly compared: string[] }
  | { readonly ok: false; readonly problems: Partial<Record<NumberField | 'form', string>> };

/** The request the form makes, or what is wrong with it: per field where a field is wrong, else for the whole. */
export function checkForm(form: ExperimentForm, loss: LossSummary, choices: ExperimentChoices | undefined): FormCheck {
  const setup = setupOfForm(form, loss);
  const problems: Partial<Record<NumberField | 'form', string>> = {};
  for (const field of NUMBER_FIELDS) {
    const key = SETUP_FIELD[field];
    if (field === 'classes' && !choosesClasses(form, loss)) continue;
    if (field === 'width' && form.model !== 'mlp') continue;
    if (field === 'resolution' && !form.landscape) continue;
    if (!Number.isFinite(form[field])) {
      problems[field] = 'a number, please';
      continue;
    }
    // The form asks for a count of seeds, the setup lists them.
    const problem =
      field === 'seeds'
        ? Number.isInteger(form.seeds) && form.seeds >= 1 && form.seeds <= SETUP_LIMITS.seeds
          ? undefined
          : `seeds must be a whole number from 1 to ${SETUP_LIMITS.seeds}`
        : setupInputProblem({ [key]: setup[key] });
    if (problem) problems[field] = problem;
  }
  if (Object.keys(problems).length > 0) return { ok: false, problems };
  const resolved = resolveSetup(setup);
  if (!resolved.ok) return { ok: false, problems: { form: resolved.message } };
  return { ok: true, setup, compared: comparedLosses(form, loss, choices) };
}
