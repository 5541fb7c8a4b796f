/**
 * The comparison bar: a picker of the losses of the shown loss's kind (the library's by family,
 * the workspace's by file), a slider per parameter of the compared loss, the legend (the shown
 * loss solid, the compared dashed, the difference dotted), and the difference on demand. The
 * host computes the compared curves on the shown loss's grid; this only asks and shows.
 */
import type { CompareCandidate, ComparedCurves } from '../src/protocol';
import { DEFAULT_CURVES_VIEW, withDifference, type CurvesView } from './curvesView';
import { formatNumber } from './format';
import type { PanelState } from './state';
import { element } from './element';

export interface CompareActions {
  readonly compareWith: (id: string) => void;
  readonly clear: () => void;
  readonly setParam: (name: string, value: number) => void;
  readonly view: (view: CurvesView) => void;
}

const STEPS = 200;

/** Options grouped as a reader looks for them: the workspace's files first, then the library's families. */
function candidateOptions(candidates: readonly CompareCandidate[]): HTMLElement[] {
  const groups = new Map<string, HTMLOptGroupElement>();
  for (const c of candidates) {
    const key = `${c.source === 'workspace' ? 'workspace' : 'library'}: ${c.detail}`;
    let group = groups.get(key);
    if (!group) {
      group = element('optgroup', '');
      group.label = key;
      groups.set(key, group);
    }
    const option = element('option', '', c.loss);
    option.value = c.id;
    group.append(option);
  }
  return [...groups.values()];
}

function paramRow(name: string, min: number, max: number, value: number, onInput: (name: string, value: number) => void): HTMLElement {
  const row = element('div', 'param');
  const id = `compare-param-${name}`;
  const label = element('label', '', name);
  label.htmlFor = id;
  const slider = element('input', '');
  slider.type = 'range';
  slider.id = id;
  slider.min = String(min);
  slider.max = String(max);
  slider.step = max > min ? String((max - min) / STEPS) : 'any';
  slider.value = String(value);
  slider.setAttribute('aria-label', `${name} of the compared loss`);
  const readout = element('output', '', formatNumber(value));
  readout.htmlFor.add(id);
  slider.addEventListener('input', () => {
    const v = Number(slider.value);
    readout.textContent = formatNumber(v);
    if (Number.isFinite(v)) onInput(name, v);
  });
  row.append(label, slider, readout, element('span', 'param-range', `[${formatNumber(min)}, ${formatNumber(max)}]`));
  return row;
}

export function createCompareView(parent: HTMLElement, actions: CompareActions): { render(state: PanelState): void } {
  const section = element('section', 'compare');
  section.setAttribute('aria-label', 'compare with another loss');
  const head = element('div', 'compare-head');
  const label = element('label', '', 'Compare with');
  const picker = element('select', 'compare-picker');
  picker.id = 'compare-picker';
  label.htmlFor = picker.id;
  const differenceLabel = element('label', 'toggle');
  const difference = element('input', '');
  difference.type = 'checkbox';
  difference.className = 'compare-difference';
  differenceLabel.append(difference, ' difference (shown − compared)');
  head.append(label, picker, differenceLabel);
  const legend = element('p', 'compare-legend');
  const message = element('p', 'compare-message');
  const params = element('div', 'compare-params');
  section.append(head, legend, message, params);
  parent.append(section);

  let state: PanelState | undefined;
  let listed: readonly CompareCandidate[] | undefined;
  let paramsFor: ComparedCurves | undefined;

  picker.addEventListener('change', () => (picker.value === '' ? actions.clear() : actions.compareWith(picker.value)));
  difference.addEventListener('change', () => actions.view(withDifference(state?.curvesView ?? DEFAULT_CURVES_VIEW, difference.checked)));

  return {
    render(next) {
      state = next;
      const candidates = next.compareCandidates;
      section.hidden = !next.loss || !next.curves || !candidates || candidates.length === 0;
      if (candidates !== listed) {
        listed = candidates;
        const none = element('option', '', 'nothing');
        none.value = '';
        picker.replaceChildren(none, ...candidateOptions(candidates ?? []));
      }
      const compare = next.compare;
      picker.value = compare?.id ?? '';
      differenceLabel.hidden = !compare;
      difference.checked = (next.curvesView ?? DEFAULT_CURVES_VIEW).difference;
      legend.hidden = !compare;
      legend.textContent = compare
        ? `solid: ${next.loss?.name ?? ''}   dashed: ${compare.loss} (${compare.source})${difference.checked ? '   dotted: difference' : ''}`
        : '';
      message.hidden = !compare?.message;
      message.textContent = compare?.message ? `${compare.loss}: ${compare.message}` : '';
      // Rebuilt only for another compared loss: rebuilding under a dragged slider would drop the drag.
      if (compare?.id !== paramsFor?.id) {
        paramsFor = compare;
        params.replaceChildren(...(compare?.params ?? []).map((p) => paramRow(p.name, p.min, p.max, compare?.values[p.name] ?? p.value, actions.setParam)));
      }
      if (!compare) paramsFor = undefined;
    },
  };
}
