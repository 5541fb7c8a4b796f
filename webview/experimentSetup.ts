/**
 * The experiment form in the panel: data, model, training, landscape and the losses to compare.
 * Plain form controls, so each has a name a test can find and a label a screen reader reads.
 * The form keeps its own values while the user types (a redraw must not undo a half-typed "0."),
 * reports every change, and is set from the state only when the loss changes or a saved form
 * arrives.
 */
import type { ExperimentChoices, LossSummary } from '../src/protocol';
import { DATASETS } from '../src/core/experiments/datasets';
import { DEFAULT_LR, OPTIMIZERS } from '../src/core/experiments/setup';
import {
  checkForm,
  choosesClasses,
  comparedLosses,
  comparisonCandidates,
  defaultForm,
  formFromSetup,
  NUMBER_FIELDS,
  type ExperimentForm,
  type FormCheck,
  type NumberField,
} from './experimentSetupForm';
import { element } from './element';

const DATASET_LABELS: Readonly<Record<(typeof DATASETS)[number], string>> = {
  blobs: 'blobs (K Gaussians)',
  moons: 'two moons',
  spirals: 'spirals (K arms)',
  separable: 'linear (separable)',
};

const NUMBER_LABELS: Readonly<Record<NumberField, readonly [string, string]>> = {
  classes: ['classes K', '1'],
  points: ['points', '1'],
  noise: ['label noise', '0.05'],
  imbalance: ['imbalance', '1'],
  width: ['width', '1'],
  lr: ['learning rate', 'any'],
  epochs: ['epochs', '1'],
  seeds: ['seeds', '1'],
  resolution: ['resolution', '2'],
};

function labelled(text: string, control: HTMLElement, extra?: HTMLElement): HTMLLabelElement {
  const label = element('label', 'setup-field');
  label.append(element('span', 'setup-label', text), control, ...(extra ? [extra] : []));
  return label;
}

function select(name: string, options: readonly (readonly [string, string])[]): HTMLSelectElement {
  const s = element('select', '');
  s.name = name;
  for (const [value, text] of options) {
    const o = element('option', '', text);
    o.value = value;
    s.append(o);
  }
  return s;
}

export interface ExperimentSetupView {
  readonly element: HTMLElement;
  /** Draws the form for `loss`; `saved` is the state's form. */
  render(loss: LossSummary, saved: ExperimentForm | undefined, choices: ExperimentChoices | undefined, running: boolean): void;
  /** The request of the form as it stands, or what is wrong with it. */
  check(): FormCheck | undefined;
}

export function createExperimentSetup(onChange: (form: ExperimentForm, check: FormCheck) => void): ExperimentSetupView {
  const root = element('details', 'experiment-setup');
  root.open = true;
  const summary = element('summary', '', 'Setup');
  const dataset = select(
    'dataset',
    DATASETS.map((d) => [d, DATASET_LABELS[d]]),
  );
  const noiseType = select('noiseType', [
    ['symmetric', 'symmetric'],
    ['asymmetric', 'asymmetric (class flip)'],
  ]);
  const model = select('model', [
    ['mlp', 'MLP'],
    ['linear', 'linear'],
  ]);
  const layers = select('layers', [
    ['1', '1 hidden layer'],
    ['2', '2 hidden layers'],
  ]);
  const optimizer = select(
    'optimizer',
    OPTIMIZERS.map((o) => [o, o === 'gd' ? 'gradient descent' : 'Adam']),
  );
  const landscape = element('input', '');
  landscape.type = 'checkbox';
  landscape.name = 'landscape';
  const numbers = Object.fromEntries(
    NUMBER_FIELDS.map((f) => {
      const input = element('input', '');
      input.type = 'number';
      input.name = f;
      input.step = (NUMBER_LABELS[f] as readonly [string, string])[1];
      return [f, input];
    }),
  ) as Record<NumberField, HTMLInputElement>;
  const problems = Object.fromEntries(NUMBER_FIELDS.map((f) => [f, element('span', 'setup-problem')])) as Record<NumberField, HTMLSpanElement>;
  const field = (f: NumberField): HTMLLabelElement => labelled(NUMBER_LABELS[f][0], numbers[f], problems[f]);

  const classesField = field('classes');
  const widthFields = [labelled('layers', layers), field('width')];
  const resolutionField = field('resolution');
  const dataGroup = element('fieldset', 'setup-group');
  dataGroup.append(
    element('legend', '', 'data'),
    labelled('dataset', dataset),
    classesField,
    field('points'),
    field('noise'),
    labelled('noise type', noiseType),
    field('imbalance'),
  );
  const modelGroup = element('fieldset', 'setup-group');
  modelGroup.append(
    element('legend', '', 'model and training'),
    labelled('model', model),
    ...widthFields,
    labelled('optimizer', optimizer),
    field('lr'),
    field('epochs'),
    field('seeds'),
  );
  const landscapeGroup = element('fieldset', 'setup-group');
  landscapeGroup.append(element('legend', '', 'landscape'), labelled('landscape and Hessian (first seed)', landscape), resolutionField);
  const compareGroup = element('fieldset', 'setup-group setup-compare');
  const compareList = element('div', 'setup-compare-list');
  compareGroup.append(element('legend', '', 'compare with'), compareList);
  const formProblem = element('p', 'setup-problem setup-form-problem');
  root.append(summary, dataGroup, modelGroup, landscapeGroup, compareGroup, formProblem);

  let loss: LossSummary | undefined;
  let choices: ExperimentChoices | undefined;
  let form: ExperimentForm | undefined;
  let compareSignature = '';

  const parse = (input: HTMLInputElement): number => (input.value.trim() === '' ? Number.NaN : Number(input.value));

  /** The form as the controls show it. */
  const read = (current: ExperimentForm, shown: LossSummary): ExperimentForm => {
    const picked = [...compareList.querySelectorAll<HTMLInputElement>('input[type=checkbox]')].filter((c) => c.checked).map((c) => c.value);
    return {
      ...current,
      dataset: dataset.value as ExperimentForm['dataset'],
      noiseType: noiseType.value as ExperimentForm['noiseType'],
      model: model.value as ExperimentForm['model'],
      layers: layers.value === '1' ? 1 : 2,
      optimizer: optimizer.value as ExperimentForm['optimizer'],
      landscape: landscape.checked,
      ...Object.fromEntries(NUMBER_FIELDS.map((f) => [f, parse(numbers[f])])),
      compared: { ...current.compared, [shown.kind]: picked },
    };
  };

  const write = (f: ExperimentForm): void => {
    dataset.value = f.dataset;
    noiseType.value = f.noiseType;
    model.value = f.model;
    layers.value = String(f.layers);
    optimizer.value = f.optimizer;
    landscape.checked = f.landscape;
    for (const name of NUMBER_FIELDS) numbers[name].value = Number.isFinite(f[name]) ? String(f[name]) : '';
  };

  const drawCompare = (f: ExperimentForm, shown: LossSummary): void => {
    const { file, library } = comparisonCandidates(shown, choices);
    const picked = comparedLosses(f, shown, choices);
    const signature = JSON.stringify([shown.name, file, library]);
    // The boxes are rebuilt only when the offer changes: a click must not replace the box it ticked.
    if (signature === compareSignature) {
      for (const box of compareList.querySelectorAll<HTMLInputElement>('input[type=checkbox]')) box.checked = picked.includes(box.value);
      return;
    }
    compareSignature = signature;
    const box = (name: string, source: string): HTMLLabelElement => {
      const input = element('input', '');
      input.type = 'checkbox';
      input.name = 'compare';
      input.value = name;
      input.checked = picked.includes(name);
      const label = element('label', 'setup-compare-item');
      label.title = source;
      label.append(input, element('span', '', name));
      return label;
    };
    compareList.replaceChildren(
      ...(file.length > 0 ? [element('span', 'setup-compare-source', 'this file'), ...file.map((n) => box(n, 'a loss of this file'))] : []),
      ...(library.length > 0 ? [element('span', 'setup-compare-source', 'library'), ...library.map((n) => box(n, 'a loss of the library'))] : []),
    );
    if (file.length + library.length === 0) compareList.append(element('span', 'setup-compare-source', 'no other loss of this kind'));
  };

  /** Shows what applies to the form as it is, and what is wrong with it. */
  const decorate = (f: ExperimentForm, shown: LossSummary): FormCheck => {
    classesField.hidden = !choosesClasses(f, shown);
    for (const w of widthFields) w.hidden = f.model !== 'mlp';
    resolutionField.hidden = !f.landscape;
    const checked = checkForm(f, shown, choices);
    const found = checked.ok ? {} : checked.problems;
    for (const name of NUMBER_FIELDS) {
      problems[name].textContent = found[name] ?? '';
      numbers[name].setAttribute('aria-invalid', String(found[name] !== undefined));
    }
    formProblem.textContent = found.form ?? '';
    return checked;
  };

  const changed = (event: Event): void => {
    if (!form || !loss) return;
    // The learning rate that suits the optimiser, unless the user set one.
    const next = read(form, loss);
    if (event.target === optimizer && form.lr === DEFAULT_LR[form.optimizer]) {
      numbers.lr.value = String(DEFAULT_LR[next.optimizer]);
      form = { ...next, lr: DEFAULT_LR[next.optimizer] };
    } else form = next;
    onChange(form, decorate(form, loss));
  };
  root.addEventListener('change', changed);
  root.addEventListener('input', changed);

  return {
    element: root,
    render(shown, saved, nextChoices, running) {
      const lossChanged = loss?.name !== shown.name || loss.kind !== shown.kind || loss.classes !== shown.classes;
      choices = nextChoices;
      if (lossChanged || (saved !== undefined && saved !== form) || form === undefined) {
        const last = nextChoices?.loss === shown.name ? nextChoices.last : undefined;
        form = saved ?? (last ? formFromSetup(shown, last.setup, last.with) : defaultForm(shown));
        write(form);
      }
      loss = shown;
      drawCompare(form, shown);
      decorate(form, shown);
      for (const control of root.querySelectorAll<HTMLInputElement | HTMLSelectElement>('input, select')) control.disabled = running;
    },
    check() {
      return form && loss ? checkForm(form, loss, choices) : undefined;
    },
  };
}
