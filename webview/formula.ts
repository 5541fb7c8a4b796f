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

/** The LaTeX a paper would paste: the definition and its derivative, one per line of an `align*`. */
export function formulaLatex(latex: { readonly formula: string; readonly derivative: string; readonly derivativeOf: string }): string {
  const [lhs, rhs] = splitAtEquals(latex.formula);
  return `\\begin{align*}\n${lhs} &= ${rhs} \\\\\n${latex.derivativeOf} &= ${latex.derivative}\n\\end{align*}`;
}

/** The definition's sides: LossLab prints `name(args) = expression`, the first ` = ` is the one. */
function splitAtEquals(formula: string): [string, string] {
  const at = formula.indexOf(' = ');
  return at < 0 ? [formula, ''] : [formula.slice(0, at), formula.slice(at + 3)];
}

export function createFormulaView(parent: HTMLElement, onCopy: (latex: string) => void): { render(state: PanelState): void } {
  const section = document.createElement('section');
  section.className = 'formula';
  const value = document.createElement('div');
  const derivative = document.createElement('div');
  const copy = document.createElement('button');
  copy.type = 'button';
  copy.className = 'tool-button copy-latex';
  copy.textContent = 'Copy LaTeX';
  copy.title = 'Copy the loss and its derivative as LaTeX (an align* environment)';
  copy.setAttribute('aria-label', copy.title);
  let source: string | undefined;
  copy.addEventListener('click', () => {
    if (source) onCopy(source);
  });
  section.append(copy, value, derivative);
  parent.append(section);
  let typeset: string | undefined;

  return {
    render(state) {
      const latex = state.loss ? state.curves?.latex : undefined;
      section.hidden = !latex;
      if (!latex) return;
      source = formulaLatex(latex);
      const sources = [latex.formula, `${latex.derivativeOf} = ${latex.derivative}`] as const;
      const key = sources.join('\n');
      if (key === typeset) return;
      typeset = key;
      katex.render(sources[0], value, OPTIONS);
      katex.render(sources[1], derivative, OPTIONS);
    },
  };
}
