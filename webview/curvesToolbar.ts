/**
 * The controls above the curves: which of value, gradient and curvature are shown, the y scale,
 * the input range (two number boxes; the host computes the curves over it), and the zoom (reset,
 * pan left and right, and compute the curves over the zoomed window at full resolution), and for a
 * multiclass loss the direction in logit space the curves run along. Every
 * control is a labelled native element, so the keyboard and screen readers reach all of them.
 */
import { curveDirections, DEFAULT_CURVE_DIRECTION, type CurveDirection } from '../src/core/engine/curveDirection';
import { formatNumber } from './format';
import { DEFAULT_CURVES_VIEW, ORDER_NAMES, panZoom, toggleOrder, withYScale, withZoom, type CurvesView, type Order } from './curvesView';
import type { PanelState } from './state';

export interface CurvesToolbarActions {
  readonly view: (view: CurvesView) => void;
  /** Compute the curves over [min, max] of the input. */
  readonly range: (min: number, max: number) => void;
  /** Compute a multiclass loss's curves along this direction in logit space. */
  readonly direction: (direction: CurveDirection) => void;
}

export const ORDER_LABELS: Readonly<Record<Order, string>> = { value: 'value', first: 'gradient', second: 'curvature' };

function control<K extends keyof HTMLElementTagNameMap>(tag: K, className: string, text?: string): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  e.className = className;
  if (text !== undefined) e.textContent = text;
  return e;
}

function button(text: string, label: string): HTMLButtonElement {
  const b = control('button', 'tool-button', text);
  b.type = 'button';
  b.setAttribute('aria-label', label);
  b.title = label;
  return b;
}

/** The computed input range: the first and last x of the curves. */
export function computedRange(state: PanelState): readonly [number, number] | undefined {
  const x = state.curves?.axis.values;
  return x && x.length > 1 ? [x[0] ?? 0, x[x.length - 1] ?? 1] : undefined;
}

export function createCurvesToolbar(parent: HTMLElement, actions: CurvesToolbarActions): { render(state: PanelState): void } {
  const bar = control('div', 'curves-toolbar');
  bar.setAttribute('role', 'toolbar');
  bar.setAttribute('aria-label', 'curves');
  let state: PanelState | undefined;
  const view = (): CurvesView => state?.curvesView ?? DEFAULT_CURVES_VIEW;

  const toggles = ORDER_NAMES.map((order) => {
    const label = control('label', 'toggle');
    const box = control('input', '');
    box.type = 'checkbox';
    box.dataset.order = order;
    box.addEventListener('change', () => actions.view(toggleOrder(view(), order, box.checked)));
    label.append(box, ` ${ORDER_LABELS[order]}`);
    return { order, box, label };
  });

  const scale = control('select', 'y-scale');
  scale.setAttribute('aria-label', 'y scale');
  scale.title = 'symmetric log: sign(y)·asinh(|y|/c), linear near zero, so zero and negative values keep their place';
  for (const [value, text] of [
    ['linear', 'linear y'],
    ['symlog', 'symmetric log y'],
  ] as const) {
    const option = control('option', '', text);
    option.value = value;
    scale.append(option);
  }
  scale.addEventListener('change', () => actions.view(withYScale(view(), scale.value === 'symlog' ? 'symlog' : 'linear')));

  const rangeBox = (name: string): HTMLInputElement => {
    const input = control('input', 'range-box');
    input.type = 'number';
    input.step = 'any';
    input.setAttribute('aria-label', `${name} of the input range`);
    input.title = `${name} of the input range; Enter computes the curves over it`;
    return input;
  };
  const from = rangeBox('start');
  const to = rangeBox('end');
  const applyRange = (): void => {
    const min = Number(from.value);
    const max = Number(to.value);
    const valid = from.value !== '' && to.value !== '' && Number.isFinite(min) && Number.isFinite(max) && min < max;
    from.setAttribute('aria-invalid', String(!valid));
    to.setAttribute('aria-invalid', String(!valid));
    if (valid) actions.range(min, max);
  };
  from.addEventListener('change', applyRange);
  to.addEventListener('change', applyRange);
  const rangeLabel = control('span', 'range-label', 'range');

  const panLeft = button('◀', 'pan left');
  const panRight = button('▶', 'pan right');
  const reset = button('Reset zoom', 'reset zoom: show the whole range');
  const zoomToRange = button('Compute zoom', 'compute the curves over the zoomed window, at full resolution');
  const withRange = (act: (range: readonly [number, number]) => void) => (): void => {
    const range = state && computedRange(state);
    if (range) act(range);
  };
  panLeft.addEventListener(
    'click',
    withRange((r) => actions.view(panZoom(view(), -0.25, r))),
  );
  panRight.addEventListener(
    'click',
    withRange((r) => actions.view(panZoom(view(), 0.25, r))),
  );
  reset.addEventListener(
    'click',
    withRange((r) => actions.view(withZoom(view(), undefined, r))),
  );
  zoomToRange.addEventListener('click', () => {
    const zoom = view().zoom;
    if (zoom) actions.range(zoom[0], zoom[1]);
  });
  const hint = control('span', 'zoom-hint', 'drag on a plot to zoom, double-click to reset');

  // Multiclass only: which line through logit space t runs along (y = 1 throughout).
  const directionLabel = control('label', 'direction-label', 'direction ');
  const direction = control('select', 'curve-direction');
  direction.setAttribute('aria-label', 'direction in logit space');
  direction.title = 'the line through logit space the curves run along, with y = 1';
  directionLabel.append(direction);
  let directionOptions = '';
  direction.addEventListener('change', () => {
    const chosen = curveDirections(state?.loss?.classes ?? 0).find((d) => d.direction === direction.value);
    if (chosen) actions.direction(chosen.direction);
  });

  // The label and its two boxes wrap as one: a line break between them would leave them apart.
  const rangeGroup = control('span', 'control-group');
  rangeGroup.append(rangeLabel, from, to);
  bar.append(...toggles.map((t) => t.label), scale, rangeGroup, panLeft, panRight, reset, zoomToRange, directionLabel, hint);
  parent.append(bar);

  return {
    render(next) {
      state = next;
      const v = view();
      bar.hidden = !next.curves;
      for (const t of toggles) t.box.checked = v.shown[t.order];
      scale.value = v.yScale;
      const range = computedRange(next);
      // A box being typed in keeps what is typed.
      if (range && document.activeElement !== from) from.value = formatNumber(range[0], 6);
      if (range && document.activeElement !== to) to.value = formatNumber(range[1], 6);
      const zoomed = v.zoom !== undefined;
      for (const b of [panLeft, panRight, reset, zoomToRange]) b.disabled = !zoomed;
      const multiclass = next.loss?.kind === 'multiclass';
      directionLabel.hidden = !multiclass;
      if (multiclass) {
        const options = curveDirections(next.loss?.classes ?? 0);
        const signature = options.map((o) => o.direction).join(',');
        if (signature !== directionOptions) {
          directionOptions = signature;
          direction.replaceChildren(...options.map((o) => new Option(o.label, o.direction)));
        }
        // The curves on screen say their direction; a choice still computing keeps the select's value.
        if (document.activeElement !== direction) direction.value = next.curves?.direction ?? DEFAULT_CURVE_DIRECTION;
      }
    },
  };
}
