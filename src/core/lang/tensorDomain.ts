/**
 * Where a declared tensor's values lie (`@data m: [B] in {0, 1}`, `@shape p: [B, K] in (0, 1)`,
 * `@shape w: [B] positive`, `@shape box: [B, 4] boxes`), and what the samplers, the defaults, the
 * theory checks' lines and `--at` need of it: draws inside it, a centre, the stretch of a line
 * that stays inside, and whether given values belong to it.
 */

/**
 * A set of values (a mask's {0, 1}), an interval, closed [lo, hi] or open (lo, hi) (`positive`
 * is (0, inf)), or boxes: each group of 4 entries along the last axis is [x1, y1, x2, y2] with
 * x2 > x1 and y2 > y1 (the corners of an axis-aligned box, as torchvision.ops writes them).
 */
export type DataDomain =
  | { readonly kind: 'set'; readonly values: readonly number[] }
  | { readonly kind: 'interval'; readonly lo: number; readonly hi: number; readonly open?: boolean }
  | { readonly kind: 'boxes' };

/** What a tensor of the domain holds, as a message says it: `values in (0, 1)`, `positive numbers`. */
export function describeDomain(d: DataDomain): string {
  if (d.kind === 'set') return `values in {${d.values.join(', ')}}`;
  if (d.kind === 'boxes') return 'boxes [x1, y1, x2, y2] with x2 > x1 and y2 > y1';
  if (d.open && d.lo === 0 && d.hi === Infinity) return 'positive numbers';
  return d.open ? `values in (${d.lo}, ${d.hi})` : `values in [${d.lo}, ${d.hi}]`;
}

/** A value of a set or an interval from a uniform draw u in [0, 1); standard normal entries (through `normal`) without a domain. */
export function drawFrom(domain: DataDomain | undefined, u: number, normal: () => number): number {
  if (domain === undefined) return normal();
  if (domain.kind === 'set') return domain.values[Math.min(domain.values.length - 1, Math.floor(u * domain.values.length))] as number;
  if (domain.kind === 'boxes') return normal();
  // Log-normal for (0, inf); an open interval is drawn away from its ends, where losses of probabilities blow up.
  if (domain.hi === Infinity) return domain.lo + Math.exp(normal());
  const v = domain.open ? 0.02 + 0.96 * u : u;
  return domain.lo + (domain.hi - domain.lo) * v;
}

/** `size` entries drawn from `domain` (a whole number of boxes for `boxes`). */
export function drawRow(domain: DataDomain | undefined, size: number, random: () => number, normal: () => number): number[] {
  if (domain?.kind !== 'boxes') return Array.from({ length: size }, () => drawFrom(domain, random(), normal));
  const out: number[] = [];
  while (out.length < size) {
    const [x1, y1] = [normal(), normal()];
    // Widths and heights log-normal around 1: boxes of one scale, overlapping often enough for IoU losses to vary.
    out.push(x1, y1, x1 + Math.exp(0.5 * normal()), y1 + Math.exp(0.5 * normal()));
  }
  return out.slice(0, size);
}

/** Whether every value lies in `domain`. */
export function holdsValues(domain: DataDomain, values: readonly number[]): boolean {
  switch (domain.kind) {
    case 'set':
      return values.every((x) => domain.values.includes(x));
    case 'interval':
      return values.every((x) => (domain.open ? x > domain.lo && x < domain.hi : x >= domain.lo && x <= domain.hi));
    case 'boxes':
      for (let b = 0; b + 3 < values.length; b += 4)
        if (!((values[b + 2] as number) > (values[b] as number) && (values[b + 3] as number) > (values[b + 1] as number))) return false;
      return values.length % 4 === 0;
  }
}

/** The middle of the domain, for lines and rays that start there. */
export function domainCentre(domain: DataDomain, size: number): number[] {
  switch (domain.kind) {
    case 'set':
      return new Array<number>(size).fill(domain.values[0] as number);
    case 'interval':
      return new Array<number>(size).fill(domain.hi === Infinity ? domain.lo + 1 : (domain.lo + domain.hi) / 2);
    case 'boxes':
      return Array.from({ length: size }, (_, k) => (k % 4 < 2 ? -0.5 : 0.5));
  }
}

/** The open interval of t for which base + t * direction stays inside the domain. */
export function lineBounds(domain: DataDomain, base: readonly number[], direction: readonly number[]): [number, number] {
  let lo = -Infinity;
  let hi = Infinity;
  // Where the linear quantity q + t dq reaches `edge`: that end of t's interval closes there.
  const limit = (q: number, dq: number, edge: number): void => {
    if (dq === 0 || !Number.isFinite(edge)) return;
    const t = (edge - q) / dq;
    if (t > 0) hi = Math.min(hi, t);
    else lo = Math.max(lo, t);
  };
  if (domain.kind === 'interval')
    base.forEach((b, k) => {
      limit(b, direction[k] as number, domain.lo);
      limit(b, direction[k] as number, domain.hi);
    });
  if (domain.kind === 'boxes')
    for (let k = 0; k + 3 < base.length; k += 4)
      for (const c of [0, 1]) {
        // The width (or height) x2 - x1 stays positive.
        limit((base[k + 2 + c] as number) - (base[k + c] as number), (direction[k + 2 + c] as number) - (direction[k + c] as number), 0);
      }
  return [lo, hi];
}
