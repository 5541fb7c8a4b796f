/**
 * The check report: one row per check with its verdict, id and summary; opening a row shows the
 * metrics, the witness (the inputs that prove a failure) and the citation. A report computed at
 * other slider values than the ones shown now says so, since its verdicts may no longer hold.
 */
import '@vscode-elements/elements/dist/vscode-badge/index.js';
import '@vscode-elements/elements/dist/vscode-button/index.js';
import type { CheckReport, CheckResult, Verdict } from '../src/protocol';
import { checkPlotFigure } from './checkPlot';
import { formatNumber, formatParams } from './format';
import type { PanelState } from './state';
import { element } from './element';

const VERDICT_MEANING: Readonly<Record<Verdict, string>> = {
  pass: 'the property holds',
  fail: 'the property fails; the witness shows where',
  inconclusive: 'the check could not decide; the summary says why',
};

function verdictBadge(verdict: Verdict): HTMLElement {
  const badge = element('vscode-badge', `verdict verdict-${verdict}`, verdict);
  badge.title = VERDICT_MEANING[verdict];
  return badge;
}

function witnessValue(v: number | string | readonly number[]): string {
  if (typeof v === 'number') return formatNumber(v, 6);
  if (typeof v === 'string') return v;
  return `[${v.map((x) => formatNumber(x, 6)).join(', ')}]`;
}

/** A two-column table of name and value, or nothing when there are none. */
function keyValueTable(caption: string, entries: readonly (readonly [string, string])[]): HTMLElement[] {
  if (entries.length === 0) return [];
  const table = element('table', 'key-values');
  table.append(element('caption', '', caption));
  for (const [key, value] of entries) {
    const row = table.insertRow();
    row.append(element('th', '', key), element('td', '', value));
  }
  return [table];
}

/**
 * The witness, with a button on the input the curves run along: it puts the curves' cursor
 * there, so the failure can be seen where it happens.
 */
function witnessTable(witness: CheckResult['witness'], axis: string | undefined, onWitness: (x: number) => void): HTMLElement[] {
  const entries = Object.entries(witness ?? {});
  const [table] = keyValueTable(
    'witness',
    entries.map(([k, v]) => [k, witnessValue(v)] as const),
  );
  if (!table) return [];
  entries.forEach(([key, value], i) => {
    if (key !== axis || typeof value !== 'number' || !Number.isFinite(value)) return;
    const cell = (table as HTMLTableElement).rows[i]?.cells[1];
    const show = element('button', 'tool-button witness-cursor', 'show in curves');
    show.type = 'button';
    show.setAttribute('aria-label', `put the curves' cursor at ${key} = ${formatNumber(value, 6)}`);
    show.addEventListener('click', () => onWitness(value));
    cell?.append(' ', show);
  });
  return [table];
}

function checkRow(check: CheckResult, axis: string | undefined, onWitness: (x: number) => void): HTMLElement {
  const details = element('details', 'check');
  const summary = element('summary', 'check-columns');
  summary.append(verdictBadge(check.verdict), element('span', 'check-id', check.id), element('span', 'check-summary', check.summary));
  const body = element('div', 'check-detail');
  body.append(
    ...keyValueTable(
      'metrics',
      Object.entries(check.metrics).map(([k, v]) => [k, formatNumber(v, 6)] as const),
    ),
    ...witnessTable(check.witness, axis, onWitness),
  );
  if (check.plot) {
    const plot = check.plot;
    // Drawn the first time the row opens: a closed row has no width to draw at.
    details.addEventListener('toggle', () => {
      if (details.open && !body.querySelector('.check-plot')) body.prepend(checkPlotFigure(plot));
    });
  }
  if (check.cite) body.append(element('p', 'cite', check.cite));
  if (body.childElementCount === 0) body.append(element('p', 'placeholder', 'No metrics, witness or citation.'));
  details.append(summary, body);
  return details;
}

function sameParams(a: Readonly<Record<string, number>>, b: Readonly<Record<string, number>>): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => a[k] === b[k]);
}

export function createChecksView(
  parent: HTMLElement,
  onRunChecks: () => void,
  onWitness: (x: number) => void = () => undefined,
): { render(state: PanelState): void } {
  const section = element('section', 'checks');
  const head = element('div', 'checks-head');
  const button = element('vscode-button', '', 'Run checks');
  button.addEventListener('click', onRunChecks);
  head.append(element('h2', '', 'Checks'), button);
  const note = element('p', 'checks-note');
  const table = element('div', 'check-table');
  section.append(head, note, table);
  parent.append(section);
  let shown: CheckReport | undefined;
  let shownAxis: string | undefined;

  return {
    render(state) {
      section.hidden = !state.loss;
      // A report about another loss (the panel moved on) is not shown at all.
      const report = state.checks && state.checks.loss === state.loss?.name ? state.checks : undefined;
      if (!report) note.textContent = 'Not run yet for this loss.';
      else if (!sameParams(report.params, state.params)) note.textContent = `Computed at ${formatParams(report.params)}; the sliders have moved since.`;
      else note.textContent = `${report.checks.length} checks on the ${report.kind} loss at ${formatParams(report.params) || 'its defaults'}.`;
      const axis = state.curves?.axis.name;
      if (report === shown && axis === shownAxis) return;
      shown = report;
      shownAxis = axis;
      table.replaceChildren(...(report ? [headerRow(), ...report.checks.map((c) => checkRow(c, axis, onWitness))] : []));
    },
  };
}

function headerRow(): HTMLElement {
  const row = element('div', 'check-columns check-header');
  row.append(element('span', '', 'verdict'), element('span', '', 'check'), element('span', '', 'summary'));
  return row;
}
