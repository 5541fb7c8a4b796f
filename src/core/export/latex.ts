/**
 * LaTeX: the loss and its derivative with respect to each differentiable input, printed by the
 * IR's own LaTeX printer (ir/latex.ts) as an `align*` block that LaTeX (amsmath) and KaTeX both
 * typeset. The loss is shown as written: the stable rewrites change how it is computed, not what.
 */
import { gradient } from '../ir/autodiff';
import type { NodeId } from '../ir/graph';
import { formatNumber, latexName, toLatex } from '../ir/latex';
import { isDifferentiableRole, isVectorRole } from '../lang/kinds';
import type { ExportPlan } from './exportPlan';
import { commented, headerLines } from './header';

/** Beyond this a derivative is no formula a person reads (KaTeX stops at 1000 macro expansions). */
const MAX_DERIVATIVE_CHARS = 12000;

export function exportLatex(plan: ExportPlan): string {
  const { loss } = plan;
  const g = loss.graph;
  const name = latexName(loss.info.name);
  const signature = loss.inputs.map((i) => latexName(i.spec.name)).join(', ');
  const wrt = loss.inputs.filter((i) => isDifferentiableRole(i.spec.role));
  const grads = gradient(
    g,
    loss.value,
    wrt.map((i) => i.leaf),
  );

  const rows = [`${name}\\left(${signature}\\right) &= ${toLatex(g, loss.value)}`];
  wrt.forEach((input, k) => {
    const x = latexName(input.spec.name);
    // A vector input's derivative is a gradient vector; a scalar's a partial derivative.
    const lhs = isVectorRole(input.spec.role) || g.shape(input.leaf).length > 0 ? `\\nabla_{${x}}\\, ${name}` : `\\frac{\\partial ${name}}{\\partial ${x}}`;
    const derivative = toLatex(g, grads[k] as NodeId);
    rows.push(
      `${lhs} &= ${derivative.length <= MAX_DERIVATIVE_CHARS ? derivative : `\\text{(${derivative.length} characters of LaTeX: too long to typeset)}`}`,
    );
  });
  if (loss.params.length > 0) {
    const values = loss.params.map((p) => `${latexName(p.decl.name)} = ${formatNumber(plan.params[p.decl.name] as number)}`).join(',\\; ');
    rows.push(`&\\text{with } ${values}`);
  }
  return [
    ...commented(headerLines(plan, 'LaTeX'), '%'),
    '\\begin{align*}',
    ...rows.map((r, i) => `  ${r}${i < rows.length - 1 ? ' \\\\' : ''}`),
    '\\end{align*}',
    '',
  ].join('\n');
}
