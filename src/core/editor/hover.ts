/**
 * Hover over a name: for a loss, its definition, its formula in LaTeX, its kind, its value and
 * gradient in float64 at the default input (with the panel's slider values when the panel shows
 * it) and its citation; for a helper, param, argument, built-in or constant, what it is. The
 * answer is Markdown; VS Code's hovers do not typeset math, so the LaTeX is given as source.
 */
import { findLoss } from '../analyze';
import { evaluate64, inputGradients } from '../checks/float64';
import { defaultInput, type InputValue } from '../engine/point';
import { sizeOf } from '../ir/shape';
import { toLatex } from '../ir/latex';
import { BUILTINS, CONSTANTS } from '../lang/builtins';
import type { SourceRange } from '../lang/diagnostics';
import { subexpressions, type Expr } from '../lang/expression';
import type { InputRole } from '../lang/kinds';
import type { LossInfo } from '../lang/check';
import type { Definition } from '../lang/parse';
import type { Referent } from '../lang/references';
import { printExpr } from '../lang/print';
import { definitionSignature, describeDefinition } from './describe';
import { occurrenceAt, type LossDocument, type SourceModel, type SourcePosition } from './document';

export interface HoverOptions {
  /** The loss the panel shows and its slider values: a hover over it reads at those values. */
  readonly shown?: { readonly loss: string; readonly params: Readonly<Record<string, number>> };
  /** Significant digits of the numbers shown (the read-out precision setting). */
  readonly digits?: number;
}

export interface HoverResult {
  readonly range: SourceRange;
  readonly markdown: string;
}

const DEFAULT_DIGITS = 4;

/** A number as a researcher reads it: `digits` significant digits, exponents for the very large or small. */
export function formatReadout(v: number, digits = DEFAULT_DIGITS): string {
  if (Number.isNaN(v)) return 'NaN';
  if (!Number.isFinite(v)) return v > 0 ? '∞' : '-∞';
  if (v === 0) return '0';
  const magnitude = Math.abs(v);
  if (magnitude >= 1e5 || magnitude < 1e-3) return v.toExponential(Math.max(0, digits - 1)).replace(/\.?0+e/, 'e');
  return String(Number(v.toPrecision(digits)));
}

const ROLE: Readonly<Record<InputRole, string>> = {
  real: 'a real number',
  probability: 'a probability in (0, 1)',
  binaryLabel: 'a label in {0, 1}',
  logits: 'a vector of K logits',
  classIndex: 'a class in 1..K',
  simplex: 'a probability vector of K entries',
  tensor: 'a tensor of real numbers',
  labels: 'class labels in 1..K',
  data: 'a tensor of data (not differentiated)',
};

const code = (text: string): string => `\`\`\`loss\n${text}\n\`\`\``;

export function hoverAt(document: LossDocument, position: SourcePosition, options: HoverOptions = {}): HoverResult | undefined {
  const model = document.at(position);
  const occurrence = model && occurrenceAt(model, position);
  if (!model || !occurrence) return undefined;
  const markdown = describe(model, occurrence.referent, options);
  return markdown === undefined ? undefined : { range: occurrence.range, markdown };
}

function describe(model: SourceModel, referent: Referent, options: HoverOptions): string | undefined {
  const losses = model.checked.file.losses;
  switch (referent.kind) {
    case 'builtin': {
      const b = BUILTINS[referent.name];
      return b && `${code(b.signature)}\n\n${b.doc}`;
    }
    case 'constant':
      return `${code(referent.name)}\n\nthe constant ${referent.name} = ${CONSTANTS[referent.name]}`;
    case 'param': {
      const p = referent.decl;
      const users = losses.filter((l) => l.params.some((q) => q.name === p.name)).map((l) => `\`${l.name}\``);
      const shown = options.shown?.params[p.name];
      return [
        code(`param ${p.name} = ${p.value} in [${p.min}, ${p.max}]`),
        users.length > 0 ? `hyperparameter of ${users.join(', ')}` : 'hyperparameter, used by no loss yet',
        ...(shown !== undefined && shown !== p.value ? [`the panel's slider is at ${formatReadout(shown, options.digits)}`] : []),
      ].join('\n\n');
    }
    case 'argument': {
      const loss = losses.find((l) => l.definition === referent.definition);
      const role = loss?.inputs.find((i) => i.name === referent.name)?.role;
      const what = role ? `${ROLE[role]}, input of the ${loss?.kind} loss \`${loss?.name}\`` : `argument of \`${referent.definition.name}\``;
      return `${code(referent.name)}\n\n${what}`;
    }
    case 'local':
      return `${code(`${referent.local.name} = ${printExpr(referent.local.body)}`)}\n\na \`where\` name of \`${referent.definition.name}\``;
    case 'definition': {
      const loss = losses.find((l) => l.definition === referent.definition);
      return loss ? describeLoss(model, loss, options) : describeHelper(model, referent.definition);
    }
    case 'unknown':
      return undefined;
  }
}

/**
 * The definition as written: its line, and for a loss brought in by `use`, the library's
 * definition below the `use` line.
 */
function definitionSource(model: SourceModel, d: Definition): string {
  const line = (model.lines[d.line] ?? definitionSignature(d)).trim();
  const wheres = d.locals.map((l) => `  where ${l.name} = ${printExpr(l.body)}`);
  return [d.scope ? `${line}\n${definitionSignature(d)} = ${printExpr(d.body)}` : line, ...wheres].join('\n');
}

function describeHelper(model: SourceModel, d: Definition): string {
  const callers = model.checked.file.parsed.definitions
    .filter((x) => x !== d && [x.body, ...x.locals.map((l) => l.body)].some((e) => hasCall(e, d.name)))
    .map((x) => `\`${x.name}\``);
  return [code(definitionSource(model, d)), `${describeDefinition(d)}${callers.length > 0 ? `, called by ${callers.join(', ')}` : ''}`].join('\n\n');
}

function hasCall(e: Expr, name: string): boolean {
  return (e.tag === 'call' && e.name === name) || subexpressions(e).some((c) => hasCall(c, name));
}

function describeLoss(model: SourceModel, info: LossInfo, options: HoverOptions): string {
  const from = info.definition.scope ? ', from the library' : '';
  const parts = [code(definitionSource(model, info.definition)), `**${info.name}**: ${info.kind} loss${from}`];
  if (info.description) parts.push(info.description);
  const found = findLoss(model.source.text, info.name);
  if (!found.ok) {
    parts.push(`cannot be evaluated: ${found.diagnostics[0]?.message ?? 'the loss has errors'}`);
  } else {
    const loss = found.loss;
    parts.push(`LaTeX: \`${toLatex(loss.graph, loss.value)}\``);
    const shown = options.shown?.loss === info.name ? options.shown.params : undefined;
    const params: Record<string, number> = {};
    for (const p of loss.params) params[p.decl.name] = shown?.[p.decl.name] ?? p.decl.value;
    const inputs: Record<string, InputValue> = {};
    for (const i of loss.inputs) inputs[i.spec.name] = defaultInput(i.spec, info.classes, sizeOf(loss.graph.shape(i.leaf)));
    const gradients = inputGradients(loss);
    const [value, ...grads] = evaluate64(loss, [loss.value, ...gradients.map((g) => g.node)], params, 1, inputs);
    const digits = options.digits;
    const show = (v: InputValue): string => (typeof v === 'number' ? formatReadout(v, digits) : `(${v.map((x) => formatReadout(x, digits)).join(', ')})`);
    const at = Object.entries(inputs)
      .map(([k, v]) => `${k} = ${show(v)}`)
      .join(', ');
    const withParams = Object.entries(params)
      .map(([k, v]) => `${k} = ${formatReadout(v, digits)}`)
      .join(', ');
    const gradText = gradients
      .map((g, k) => {
        const data = Array.from(grads[k] ?? []);
        return `∂/∂${g.name} = ${data.length === 1 ? formatReadout(data[0] as number, digits) : `(${data.map((x) => formatReadout(x, digits)).join(', ')})`}`;
      })
      .join(', ');
    const where = withParams ? ` with ${withParams}${shown ? ' (the panel’s sliders)' : ''}` : '';
    parts.push(`at ${at}${where}: value ${formatReadout((value as Float64Array)[0] as number, digits)}${gradText ? `, ${gradText}` : ''}`);
  }
  if (info.cite) parts.push(`_${info.cite}_`);
  return parts.join('\n\n');
}
