/**
 * The loss and its derivative, typeset with KaTeX from the LaTeX the worker printed: `formula` is
 * the whole definition (`\mathrm{focal}(p) = ...`), `derivativeOf` the left side of the
 * derivative (`\frac{\partial \mathrm{focal}}{\partial p}`) and `derivative` its right side.
 * KaTeX runs with `trust: false` (no \href, \htmlClass...) and a bounded macro expansion, since
 * the text comes from a file; a LaTeX error shows in place, in the error colour, never throws.
 */
import katex, { type KatexOptions } from 'katex';
import 'katex/dist/katex.min.css';
import type { PanelState } from './state';

const OPTIONS: KatexOptions = { displayMode: true, throwOnError: false, trust: false, maxExpand: 1000, errorColor: 'var(--vscode-errorForeground)' };

export function createFormulaView(parent: HTMLElement): { render(state: PanelState): void } {
  const section = document.createElement('section');
  section.className = 'formula';
  const value = document.createElement('div');
  const derivative = document.createElement('div');
  section.append(value, derivative);
  parent.append(section);
  let typeset: string | undefined;

  return {
    render(state) {
      const latex = state.loss ? state.curves?.latex : undefined;
      section.hidden = !latex;
      if (!latex) return;
      const sources = [latex.formula, `${latex.derivativeOf} = ${latex.derivative}`] as const;
      const key = sources.join('\n');
      if (key === typeset) return;
      typeset = key;
      katex.render(sources[0], value, OPTIONS);
      katex.render(sources[1], derivative, OPTIONS);
    },
  };
}
