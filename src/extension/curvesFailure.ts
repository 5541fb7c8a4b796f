/**
 * A curves result whose loss value is not finite at a single point of the range is a failed
 * evaluation, not a plot: drawn, it would be an empty chart with no word of why. This names the
 * failure (NaN, infinite, or both) with the range and the parameter values that produced it, so
 * the panel can keep the last good plot and say what went wrong. Pure: no VS Code here.
 */
import type { CurvesResult } from '../protocol';

function formatValue(v: number): string {
  return String(Number(v.toPrecision(4)));
}

function describeParams(params: Readonly<Record<string, number>>): string {
  const entries = Object.entries(params);
  return entries.length === 0 ? '' : ` with ${entries.map(([name, value]) => `${name} = ${formatValue(value)}`).join(', ')}`;
}

/** What the non-finite values are: `NaN`, `infinite` or `NaN or infinite`. */
function nonFiniteKind(values: readonly number[]): string {
  const nan = values.some((v) => Number.isNaN(v));
  const infinite = values.some((v) => v === Infinity || v === -Infinity);
  if (nan && infinite) return 'NaN or infinite';
  return nan ? 'NaN' : 'infinite';
}

/**
 * The message for a result whose value is non-finite everywhere (every series, every point), or
 * undefined when any value can be drawn. Derivatives alone are not checked: a loss whose value is
 * finite but whose gradient is not (a kink) still has a curve worth seeing.
 */
export function nonFiniteCurvesMessage(result: CurvesResult): string | undefined {
  const values = result.curves.flatMap((c) => c.value);
  if (values.length === 0 || values.some((v) => Number.isFinite(v))) return undefined;
  const axis = result.axis.values;
  const where = axis.length > 0 ? ` of the range ${result.axis.name} in [${formatValue(axis[0] ?? 0)}, ${formatValue(axis[axis.length - 1] ?? 0)}]` : '';
  return `the loss is ${nonFiniteKind(values)} at every point${where}${describeParams(result.params)}`;
}
