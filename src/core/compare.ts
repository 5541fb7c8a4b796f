/**
 * Losses of one kind side by side on the same inputs: the value, the gradient and the verdict
 * of every check, so that a new loss reads against the literature's (`losslab compare`, and the
 * panel's overlays). A loss to compare is the file's own when the file defines it, else the
 * library's, brought in as `use NAME from "library"` with the first loss's number of classes.
 */
import { findLoss, type FindLossResult } from './analyze';
import { runChecks } from './checks/suite';
import type { Verdict } from './checks/report';
import type { BackendName, Executor } from './engine/executor';
import { evaluatePoint, resolveInputs, type InputValue, type ParamValues, type Resolved } from './engine/point';
import type { CheckOptions } from './lang/check';
import type { Kind } from './lang/kinds';
import type { LoweredLoss } from './lang/lower';
import { parseLossText } from './lang/parse';

export interface ComparedLoss {
  readonly loss: string;
  /** `file` or `library`. */
  readonly source: string;
  readonly params: Readonly<Record<string, number>>;
  readonly value: number;
  /** Keyed by the first loss's input names, so that the columns line up. */
  readonly grad: Readonly<Record<string, number | readonly number[]>>;
  readonly checks: readonly { readonly id: string; readonly verdict: Verdict; readonly summary: string }[];
}

export interface ComparisonReport {
  readonly kind: Kind;
  /** Where the checks ran (their float32 half); the values and gradients are in `precision`. */
  readonly backend: BackendName;
  readonly precision: 'float64' | 'float32';
  /** The inputs every loss was evaluated at, by the first loss's input names. */
  readonly at: Readonly<Record<string, InputValue>>;
  readonly losses: readonly ComparedLoss[];
  /** check id -> loss name -> verdict: the side-by-side table. */
  readonly verdicts: Readonly<Record<string, Readonly<Record<string, Verdict>>>>;
}

export interface ComparisonEntry {
  readonly loss: LoweredLoss;
  readonly source: 'file' | 'library';
}

/** The loss `name`: the file's when `text` defines it, else the library's with `classes` classes. */
export function findComparisonLoss(
  text: string,
  name: string,
  classes: number,
  options: CheckOptions = {},
): { ok: true; entry: ComparisonEntry } | { ok: false; source: 'file' | 'library'; result: FindLossResult & { ok: false } } {
  const parsed = parseLossText(text);
  const inFile = parsed.definitions.some((d) => d.name === name) || parsed.uses.some((u) => u.name === name);
  const found = inFile ? findLoss(text, name, options) : findLoss(`@classes ${classes}\nuse ${name} from "library"`, name, options);
  const source = inFile ? 'file' : 'library';
  return found.ok ? { ok: true, entry: { loss: found.loss, source } } : { ok: false, source, result: found };
}

/**
 * Evaluates every entry at `at` (named as the first entry's inputs, defaults where absent) and
 * runs the checks on each. Entries must share the first one's kind and number of inputs; each
 * takes the `params` it has, and a param that no entry has is refused.
 */
export async function compareLosses(
  executor: Executor,
  entries: readonly ComparisonEntry[],
  params: ParamValues,
  at: Readonly<Record<string, InputValue>>,
  /** `precision`: the values and gradients in float64 (the default) or on the executor in float32. */
  options: { readonly only?: readonly string[]; readonly precision?: 'float64' | 'float32' } = {},
): Promise<Resolved<ComparisonReport>> {
  const first = entries[0]?.loss;
  if (first === undefined) return { ok: false, message: 'nothing to compare' };
  for (const { loss } of entries) {
    if (loss.info.kind !== first.info.kind || loss.inputs.length !== first.inputs.length) {
      const signature = (l: LoweredLoss) => `a ${l.info.kind} loss of ${l.inputs.map((i) => i.spec.name).join(', ')}`;
      return {
        ok: false,
        message: `'${loss.info.name}' is ${signature(loss)} and '${first.info.name}' ${signature(first)}: compare losses of one kind and signature`,
      };
    }
    if (loss.info.classes !== first.info.classes) {
      return { ok: false, message: `'${loss.info.name}' has ${loss.info.classes} classes and '${first.info.name}' ${first.info.classes}` };
    }
  }
  const unknown = Object.keys(params).filter((name) => !entries.some(({ loss }) => loss.params.some((p) => p.decl.name === name)));
  if (unknown.length > 0) return { ok: false, message: `no compared loss has a param ${unknown.map((n) => `'${n}'`).join(', ')}` };
  const inputs = resolveInputs(first, at);
  if (!inputs.ok) return inputs;

  const losses: ComparedLoss[] = [];
  const verdicts: Record<string, Record<string, Verdict>> = {};
  for (const { loss, source } of entries) {
    const own = Object.fromEntries(Object.entries(params).filter(([name]) => loss.params.some((p) => p.decl.name === name)));
    // Positional: the k-th input of every loss takes the first loss's k-th value.
    const ownAt = Object.fromEntries(loss.inputs.map((input, k) => [input.spec.name, inputs.value[first.inputs[k]?.spec.name as string] as InputValue]));
    const point = await evaluatePoint(options.precision === 'float32' ? executor : 'float64', loss, own, ownAt);
    if (!point.ok) return point;
    const checks = await runChecks(executor, loss, own, options.only ? { only: options.only } : {});
    if (checks === undefined) return { ok: false, message: 'cancelled' };
    if (!checks.ok) return checks;
    const grad = Object.fromEntries(
      loss.inputs.flatMap((input, k) =>
        input.spec.name in point.value.grad ? [[first.inputs[k]?.spec.name as string, point.value.grad[input.spec.name] as number | readonly number[]]] : [],
      ),
    );
    losses.push({
      loss: loss.info.name,
      source,
      params: checks.value.params,
      value: point.value.value,
      grad,
      checks: checks.value.checks.map((c) => ({ id: c.id, verdict: c.verdict, summary: c.summary })),
    });
    for (const c of checks.value.checks) (verdicts[c.id] ??= {})[loss.info.name] = c.verdict;
  }
  return {
    ok: true,
    value: { kind: first.info.kind, backend: executor.backend, precision: options.precision ?? 'float64', at: inputs.value, losses, verdicts },
  };
}
