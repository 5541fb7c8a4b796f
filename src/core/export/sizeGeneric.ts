/**
 * Exported batch losses that take any batch: the code reads its sizes from its inputs' shapes
 * (`B, D = z1.shape`) instead of holding the numbers it was exported at. Whether a loss allows
 * it is decided by printing it twice, lowered at two sets of probe sizes (distinct primes, one
 * per size its inputs declare), with each probe number written as its size's name: the two texts
 * agree only when every number the sizes put into the code is a size itself (a reshape, a mean's
 * divisor, an `eye(B)`), and not something derived from one (B - 1 folded into a constant),
 * which would be right at one size only. Where they disagree the export stays size-specific.
 */
import type { LoweredLoss } from '../lang/lower';

/** Two probes, one prime per size; larger than the sizes a loss writes as numbers, small enough to lower fast. */
const PROBES: readonly (readonly number[])[] = [
  [101, 103, 107, 109, 113, 127, 131, 137],
  [139, 149, 151, 157, 163, 167, 173, 179],
];

export interface ComputedBody {
  readonly statements: readonly string[];
  readonly loss: string;
}

/**
 * Each probe's number to its size's name, and each product of two or three of them (a mean over
 * B × D entries divides by B * D) to the product of the names: the probes are primes, so every
 * product is one number and no product is another's.
 */
function probeNames(sizes: readonly string[], probe: readonly number[]): Map<number, string> {
  const names = new Map<number, string>();
  const value = (k: number): number => probe[k] as number;
  sizes.forEach((a, i) => {
    names.set(value(i), a);
    sizes.forEach((b, j) => {
      if (j < i) return;
      names.set(value(i) * value(j), `(${a} * ${b})`);
      sizes.forEach((c, k) => {
        if (k >= j) names.set(value(i) * value(j) * value(k), `(${a} * ${b} * ${c})`);
      });
    });
  });
  return names;
}

/** Each whole number in `text` that is a probe written as its size's name. */
function named(text: string, names: ReadonlyMap<number, string>): string {
  return text.replace(/(?<![\w.])\d+(?![\w.])/g, (n) => names.get(Number(n)) ?? n);
}

/** The sizes the inputs declare, and where each is read first: input name and axis. */
function declaredSizes(loss: LoweredLoss): Map<string, { readonly input: string; readonly axis: number }> {
  const found = new Map<string, { input: string; axis: number }>();
  for (const i of loss.inputs)
    (i.spec.dims ?? []).forEach((d, axis) => {
      // K is the classes (@classes), fixed by the loss: written as its number, not read from a shape.
      if (typeof d === 'string' && d !== 'K' && !found.has(d)) found.set(d, { input: i.spec.name, axis });
    });
  return found;
}

/**
 * The statements (sizes read from the inputs, shape checks, the computation) and the loss
 * expression, or undefined when the code cannot read its sizes from its inputs. `print` prints
 * a loss lowered at some sizes (its inputs named as the export names them).
 */
export function sizeGenericBody(
  loss: LoweredLoss,
  print: (lowered: LoweredLoss) => ComputedBody,
  pythonName: (name: string) => string,
): ComputedBody | undefined {
  const sizes = declaredSizes(loss);
  if (sizes.size === 0 || loss.atSizes === undefined || sizes.size > (PROBES[0] as readonly number[]).length) return undefined;
  const taken = new Set([...loss.inputs.map((i) => pythonName(i.spec.name)), ...loss.params.map((p) => pythonName(p.decl.name))]);
  if ([...sizes.keys()].some((name) => taken.has(name))) return undefined;
  const texts = PROBES.map((probe) => {
    const asked = Object.fromEntries([...sizes.keys()].map((name, k) => [name, probe[k] as number]));
    const lowered = loss.atSizes?.(asked);
    if (lowered === undefined) return undefined;
    const names = probeNames([...sizes.keys()], probe);
    const body = print(lowered);
    return { statements: body.statements.map((line) => named(line, names)), loss: named(body.loss, names) };
  });
  const [a, b] = texts;
  if (a === undefined || b === undefined || a.loss !== b.loss || a.statements.join('\n') !== b.statements.join('\n')) return undefined;
  const reads = [...sizes].map(([name, at]) => `${name} = ${pythonName(at.input)}.shape[${at.axis}]`);
  const tupleOf = (i: LoweredLoss['inputs'][number]): string => {
    const dims = (i.spec.dims ?? []).map((d) => (d === 'K' ? String(loss.info.classes) : String(d)));
    return dims.length === 1 ? `(${dims[0]},)` : `(${dims.join(', ')})`;
  };
  // The ranks first, so that reading a size never fails on a missing axis.
  const ranks = loss.inputs.flatMap((i) => {
    const name = pythonName(i.spec.name);
    const rank = i.spec.dims?.length ?? 0;
    return [`if len(${name}.shape) != ${rank}:`, `    raise ValueError(f"${name} has shape {tuple(${name}.shape)}; expected ${rank} axes ${tupleOf(i)}")`];
  });
  const checks = loss.inputs.flatMap((i) => {
    const name = pythonName(i.spec.name);
    const tuple = tupleOf(i);
    const values = tuple.replace(/[A-Za-z_]\w*/g, (d) => `{${d}}`);
    return [`if tuple(${name}.shape) != ${tuple}:`, `    raise ValueError(f"${name} has shape {tuple(${name}.shape)}; expected ${tuple} = ${values}")`];
  });
  return { statements: [...ranks, ...reads, ...checks, ...a.statements], loss: a.loss };
}
