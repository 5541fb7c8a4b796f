/**
 * Library losses by name, evaluated in float64 by the reference executor: the value and the
 * gradient with respect to every differentiable input, with params at their defaults unless
 * overridden (overrides may leave the slider's range, to take limits).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { findLoss } from '../../../src/core/analyze';
import { runReference } from '../../../src/core/engine/reference';
import { gradient } from '../../../src/core/ir/autodiff';
import { lowerToProgram } from '../../../src/core/ir/program';
import { isDifferentiableRole, isVectorRole } from '../../../src/core/lang/kinds';
import type { LoweredLoss } from '../../../src/core/lang/lower';
import { parseLossText } from '../../../src/core/lang/parse';

export const LIBRARY_DIRECTORY = join(__dirname, '..', '..', '..', 'library');

/** Every library loss's name and the text of its file, in file order. */
export const LIBRARY_FILES: ReadonlyMap<string, string> = new Map(
  readdirSync(LIBRARY_DIRECTORY)
    .filter((f) => f.endsWith('.loss'))
    .sort()
    .map((f) => [f, readFileSync(join(LIBRARY_DIRECTORY, f), 'utf8')]),
);

const textOf = new Map<string, string>();
for (const text of LIBRARY_FILES.values()) for (const d of parseLossText(text).definitions) if (!d.helper) textOf.set(d.name, text);

export function libraryLoss(name: string): LoweredLoss {
  const text = textOf.get(name);
  if (text === undefined) throw new Error(`no library loss '${name}'`);
  const found = findLoss(text, name);
  if (!found.ok) throw new Error(`library loss '${name}': ${JSON.stringify(found.diagnostics)}`);
  return found.loss;
}

export type Point = Readonly<Record<string, number | readonly number[]>>;

export interface Evaluation {
  readonly value: number;
  readonly grad: Readonly<Record<string, number | number[]>>;
}

export function evaluate(name: string, at: Point, params: Readonly<Record<string, number>> = {}): Evaluation {
  const loss = libraryLoss(name);
  for (const key of Object.keys(params)) {
    if (!loss.params.some((p) => p.decl.name === key)) throw new Error(`'${name}' has no param '${key}'`);
  }
  const wrt = loss.inputs.filter((i) => isDifferentiableRole(i.spec.role));
  const grads = gradient(
    loss.graph,
    loss.value,
    wrt.map((i) => i.leaf),
  );
  const program = lowerToProgram(loss.graph, [loss.value, ...grads]);
  const values: Record<string, number | readonly number[]> = Object.fromEntries(loss.params.map((p) => [p.decl.name, params[p.decl.name] ?? p.decl.value]));
  for (const { spec } of loss.inputs) {
    const v = at[spec.name];
    if (v === undefined) throw new Error(`'${name}' needs its input '${spec.name}'`);
    values[spec.name] = v;
  }
  const [value, ...g] = runReference(program, { rows: 1, values });
  const grad: Record<string, number | number[]> = {};
  wrt.forEach((i, k) => {
    const data = Array.from(g[k] as Float64Array);
    grad[i.spec.name] = isVectorRole(i.spec.role) ? data : (data[0] as number);
  });
  return { value: (value as Float64Array)[0] as number, grad };
}

/** The value alone. */
export function valueOf(name: string, at: Point, params: Readonly<Record<string, number>> = {}): number {
  return evaluate(name, at, params).value;
}

// Plain-JavaScript building blocks for the expected values, written naively from the papers.
export const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));
export const softplus = (x: number): number => Math.log(1 + Math.exp(x));
export const sum = (v: readonly number[]): number => v.reduce((a, b) => a + b, 0);
export const logSumExp = (v: readonly number[]): number => Math.log(sum(v.map(Math.exp)));
export const softmax = (v: readonly number[]): number[] => v.map((x) => Math.exp(x) / sum(v.map(Math.exp)));

export function assertClose(actual: number, expected: number, relative = 1e-10, what = ''): void {
  const tolerance = relative * Math.max(1, Math.abs(expected));
  if (!(Math.abs(actual - expected) <= tolerance)) {
    throw new Error(`${what ? `${what}: ` : ''}got ${actual}, expected ${expected} (tolerance ${tolerance})`);
  }
}
