/**
 * A slider, a number box and a read-out for every hyperparameter; the box takes an exact value
 * (clamped to the declared range) on Enter or when it loses focus. Moving a slider reports on every `input`
 * event, not only on release, so the curves redraw while dragging; the host keeps only the
 * newest request, so a fast drag costs nothing.
 */
import type { ParamSummary } from '../src/protocol';
import { formatNumber } from './format';
import type { PanelState } from './state';

/** 200 steps: fine enough to look continuous, coarse enough for the read-out to stay short. */
const STEPS = 200;

interface ParamRow {
  readonly slider: HTMLInputElement;
  readonly box: HTMLInputElement;
  readonly readout: HTMLOutputElement;
}

function createRow(param: ParamSummary, onInput: (name: string, value: number) => void): { element: HTMLElement; row: ParamRow } {
  const element = document.createElement('div');
  element.className = 'param';
  const id = `param-${param.name}`;
  const label = document.createElement('label');
  label.htmlFor = id;
  label.textContent = param.name;
  const slider = document.createElement('input');
  slider.type = 'range';
  slider.id = id;
  slider.min = String(param.min);
  slider.max = String(param.max);
  slider.step = param.max > param.min ? String((param.max - param.min) / STEPS) : 'any';
  const readout = document.createElement('output');
  readout.htmlFor.add(id);
  const range = document.createElement('span');
  range.className = 'param-range';
  range.textContent = `[${formatNumber(param.min)}, ${formatNumber(param.max)}]`;
  const box = document.createElement('input');
  box.type = 'number';
  box.className = 'param-number';
  box.min = String(param.min);
  box.max = String(param.max);
  box.step = 'any';
  box.setAttribute('aria-label', `${param.name}, exact value`);
  slider.addEventListener('input', () => {
    const value = Number(slider.value);
    readout.textContent = formatNumber(value);
    box.value = String(value);
    if (Number.isFinite(value)) onInput(param.name, value);
  });
  box.addEventListener('change', () => {
    const typed = Number(box.value);
    if (box.value === '' || !Number.isFinite(typed)) return;
    const value = Math.min(param.max, Math.max(param.min, typed));
    box.value = String(value);
    slider.value = String(value);
    readout.textContent = formatNumber(value);
    onInput(param.name, value);
  });
  element.append(label, slider, readout, box, range);
  return { element, row: { slider, box, readout } };
}

export function createParamsView(parent: HTMLElement, onInput: (name: string, value: number) => void): { render(state: PanelState): void } {
  const section = document.createElement('section');
  section.className = 'params';
  parent.append(section);
  let rows = new Map<string, ParamRow>();
  let layout = '';

  return {
    render(state) {
      const params = state.loss?.params ?? [];
      section.hidden = params.length === 0;
      const signature = JSON.stringify(params.map((p) => [p.name, p.min, p.max]));
      if (signature !== layout) {
        layout = signature;
        rows = new Map();
        section.replaceChildren(
          ...params.map((p) => {
            const { element, row } = createRow(p, onInput);
            rows.set(p.name, row);
            return element;
          }),
        );
      }
      for (const p of params) {
        const row = rows.get(p.name);
        const value = state.params[p.name] ?? p.value;
        if (!row) continue;
        // The slider being dragged already shows its value; setting it again would fight the pointer.
        if (Number(row.slider.value) !== value) row.slider.value = String(value);
        row.readout.textContent = formatNumber(value);
        if (document.activeElement !== row.box) row.box.value = String(value);
      }
    },
  };
}
