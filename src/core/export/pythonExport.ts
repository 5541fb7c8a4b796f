/**
 * The Python file every array-library export shares: header comment, imports, the loss as a
 * function named after it (inputs first, params as keyword arguments with their defaults, and a
 * `reduction` like the framework's own losses), then whatever the target adds (PyTorch's module).
 */
import { toText } from '../ir/text';
import type { InputRole, Kind } from '../lang/kinds';
import type { ExportPlan } from './exportPlan';
import { commented, headerLines } from './header';
import { pythonFloat, pythonName, type PythonDialect } from './pythonDialect';
import { printPythonBody } from './pythonPrinter';

export interface PythonSignature {
  readonly name: string;
  readonly inputs: readonly string[];
  readonly params: readonly { readonly name: string; readonly default: string }[];
  readonly reduction: string;
}

export interface PythonTarget {
  /** The framework's name, as the header says it. */
  readonly label: string;
  readonly dialect: PythonDialect;
  /** Definitions used by the body (NumPy's stable softplus, ...), placed after the imports. */
  readonly helpers?: (body: string) => string[];
  /** Comments for the line that computes the loss, about the functions it calls. */
  readonly notes?: (loss: string) => string[];
  /** Code after the function: PyTorch's nn.Module. */
  readonly after?: (signature: PythonSignature, plan: ExportPlan) => string[];
}

/** What each input is, for the docstring: the kind's signature (README, the kinds' table), batched. */
function describeInput(kind: Kind, role: InputRole, position: number, count: number): string {
  const shape = 'an array of any shape (element-wise)';
  switch (role) {
    case 'probability':
      return `predicted probabilities in (0, 1), ${shape}`;
    case 'binaryLabel':
      return 'labels in {0, 1}, broadcastable against the probabilities';
    case 'logits':
      return 'logits, shape (N, K)';
    case 'classIndex':
      return "class indices, shape (N,), integers in 0..K-1 (0-based like PyTorch's cross_entropy; LossLab's .loss writes classes 1..K)";
    case 'simplex':
      return 'probability vectors, shape (N, K), rows summing to 1';
    case 'tensor':
      return 'real values (differentiated)';
    case 'data':
      return 'real data (targets, masks; not differentiated)';
    case 'labels':
      return "class labels, integers in 0..K-1 (0-based like PyTorch's; LossLab's .loss writes classes 1..K)";
    case 'real':
      if (kind === 'margin') return `margins z = y * f(x) with y in {-1, +1}, ${shape}`;
      if (kind === 'regression' && count === 1) return `residuals r = y - yhat, ${shape}`;
      if (kind === 'regression') return `${position === 0 ? 'predictions' : 'targets'}, ${shape}`;
      // Several pairwise inputs are whatever the loss names them (two scores, box corners a1, a2, b1, b2, ...).
      if (kind === 'pairwise')
        return count === 1
          ? `margins (the chosen response's score minus the rejected one's), ${shape}`
          : `real values, ${shape}, the shape of the other inputs`;
      return `real values, ${shape}`;
  }
}

/** `, shape (B, D) (exported at (8, 16))` for a declared tensor; nothing for the others. */
function shapeNote(_plan: ExportPlan, dims: readonly (string | number)[] | undefined, shape: readonly number[]): string {
  if (dims === undefined) return '';
  const named = `(${dims.join(', ')}${dims.length === 1 ? ',' : ''})`;
  const sized = `(${shape.join(', ')}${shape.length === 1 ? ',' : ''})`;
  return named === sized ? `, shape ${sized}` : `, shape ${named} (exported at ${sized})`;
}

/** The module's class name: focal -> FocalLoss, cross_entropy -> CrossEntropyLoss. */
export function className(name: string): string {
  const camel = name
    .split('_')
    .filter(Boolean)
    .map((w) => (w[0] as string).toUpperCase() + w.slice(1))
    .join('');
  return /loss$/i.test(camel) ? camel : `${camel}Loss`;
}

export function renderPythonExport(plan: ExportPlan, target: PythonTarget): string {
  const { loss } = plan;
  const d = target.dialect;
  const signature: PythonSignature = {
    name: pythonName(loss.info.name),
    inputs: loss.inputs.map((i) => pythonName(i.spec.name)),
    params: loss.params.map((p) => ({ name: pythonName(p.decl.name), default: pythonFloat(plan.params[p.decl.name] as number) })),
    reduction: plan.reduction,
  };
  const body = printPythonBody(loss, plan.value, d);

  const args = [...signature.inputs, '*', ...signature.params.map((p) => `${p.name}=${p.default}`), `reduction="${plan.reduction}"`];
  const doc = [
    `"""LossLab's ${loss.info.name}(${loss.inputs.map((i) => i.spec.name).join(', ')}) = ${toText(loss.graph, loss.value)}`,
    '',
    ...loss.inputs.map(
      (i, k) =>
        `${signature.inputs[k]}: ${describeInput(loss.info.kind, i.spec.role, k, loss.inputs.length)}${shapeNote(plan, i.spec.dims, loss.graph.shape(i.leaf))}.`,
    ),
    ...loss.params.map((p, k) => `${signature.params[k]?.name}: hyperparameter, LossLab's range [${p.decl.min}, ${p.decl.max}].`),
    loss.info.kind === 'batch'
      ? 'reduction: "mean" | "sum" | "none": all three return the loss, which reduces its batch as the .loss writes it.'
      : `reduction: "mean" | "sum" | "none" (the per-example losses, ${body.rows ? 'shape (N,)' : 'shaped like the inputs'}).`,
    '"""',
  ];
  const fn = [
    `def ${signature.name}(${args.join(', ')}):`,
    ...doc.map((l) => (l === '' ? '' : `    ${l}`)),
    ...body.statements.map((s) => `    ${s}`),
    ...(target.notes?.([...body.statements, body.loss].join('\n')) ?? []).map((n) => `    # ${n}`),
    `    loss = ${body.loss}`,
    '    if reduction == "mean":',
    `        return ${d.mean('loss')}`,
    '    if reduction == "sum":',
    `        return ${d.sum('loss')}`,
    '    if reduction == "none":',
    '        return loss',
    `    raise ValueError(f"reduction must be 'mean', 'sum' or 'none', not {reduction!r}")`,
  ];
  const code = fn.join('\n');
  const helpers = target.helpers?.(code) ?? [];
  const after = target.after?.(signature, plan) ?? [];
  const definitions = [...(helpers.length > 0 ? [helpers.join('\n\n\n')] : []), code, ...(after.length > 0 ? [after.join('\n')] : [])];
  const imports = d.imports.filter((line) => usesAlias(definitions.join('\n'), line));
  return `${[[...commented(headerLines(plan, target.label), '#'), '', ...imports].join('\n'), ...definitions].join('\n\n\n')}\n`;
}

/** Whether `code` uses what `import x.y as a`, `import x` or `from x import a` binds. */
function usesAlias(code: string, importLine: string): boolean {
  const alias = /(?:\bas|^from \S+ import) (\w+)$/.exec(importLine)?.[1] ?? (/^import (\w+)/.exec(importLine)?.[1] as string);
  return new RegExp(`\\b${alias}\\.`).test(code);
}
