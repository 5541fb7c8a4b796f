/**
 * Which line through logit space a multiclass loss's curves run along, always with y = 1:
 * - `margin` (the default): s = (t, 0, …, 0), the true class's margin over all the others;
 * - `rival`: s = (t/2, −t/2, 0, …, 0), the true class against one rival, margin t between them;
 * - `logit:k`: s_k = t and the other logits 0; `logit:1` is `margin`, and for k ≠ 1 the true
 *   class loses ground as t grows.
 */
export type CurveDirection = 'margin' | 'rival' | `logit:${number}`;

export const DEFAULT_CURVE_DIRECTION: CurveDirection = 'margin';

/** The greatest class index a direction may name: the language's bound on `@classes`. */
const MAX_CLASS = 9999;

/** The spelling of a direction, whatever K is (the number of classes is checked with the loss). */
export function isCurveDirection(v: unknown): v is CurveDirection {
  if (v === 'margin' || v === 'rival') return true;
  return typeof v === 'string' && /^logit:[1-9][0-9]{0,3}$/.test(v) && Number(v.slice(6)) <= MAX_CLASS;
}

/** The logit a `logit:k` direction moves, or undefined for the others. */
export function directionLogit(d: CurveDirection): number | undefined {
  return d.startsWith('logit:') ? Number(d.slice(6)) : undefined;
}

/** Why `d` does not exist with K classes (a rival needs two, logit k needs k ≤ K), or undefined. */
export function curveDirectionProblem(d: CurveDirection, classes: number): string | undefined {
  if (d === 'rival' && classes < 2) return `the direction 'rival' needs at least 2 classes; this loss has ${classes}`;
  const k = directionLogit(d);
  if (k !== undefined && k > classes) return `the direction '${d}' names logit ${k}; this loss has ${classes} classes`;
  return undefined;
}

/** Every direction with K classes, with what the panel's picker says of it. */
export function curveDirections(classes: number): { readonly direction: CurveDirection; readonly label: string }[] {
  const out: { direction: CurveDirection; label: string }[] = [{ direction: 'margin', label: 'true-class margin: s = (t, 0, …, 0)' }];
  if (classes >= 2) out.push({ direction: 'rival', label: 'against one rival: s = (t/2, −t/2, 0, …)' });
  for (let k = 2; k <= classes; k++) out.push({ direction: `logit:${k}`, label: `logit ${k} alone: s${subscript(k)} = t` });
  return out;
}

function subscript(k: number): string {
  return String(k).replace(/[0-9]/g, (d) => String.fromCharCode(0x2080 + Number(d)));
}
