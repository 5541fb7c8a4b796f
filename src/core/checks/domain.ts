/**
 * The domain of a loss, as the theory checks (smoothness, convexity, lipschitz, bounded) see
 * it: the variables a property is about (every differentiable input, except the target y of a
 * regression l(yhat, y), which is data), the held inputs (labels, and that target), fixed at each
 * of their values in turn, and seeded lines, rays and pairs through the domain. Every point is
 * x = base + t * direction, so that one program evaluates them all (see sections.ts).
 */
import type { NodeId } from '../ir/graph';
import { sizeOf } from '../ir/shape';
import { isDifferentiableRole, type InputRole } from '../lang/kinds';
import { domainCentre, drawRow, lineBounds, type DataDomain } from '../lang/tensorDomain';
import type { LoweredLoss } from '../lang/lower';
import { normal, seededRandom } from './random';
import { typicalSample } from './sampling';

export type VariableRole = Exclude<InputRole, 'binaryLabel' | 'classIndex' | 'labels' | 'data'>;

/** The entries of a variable: K for the per-sample kinds' vectors, its row's size for a tensor. */
const sizeFor = (v: Variable, K: number): number => (v.role === 'tensor' ? v.width : K);

export interface Variable {
  readonly name: string;
  readonly role: VariableRole;
  readonly leaf: NodeId;
  /** 1 for scalars, K for logits and simplex points. */
  readonly width: number;
  /** A tensor's declared domain (`@shape p: [B, K] in (0, 1)`): its lines stay inside it. */
  readonly domain?: DataDomain;
}

/** The values of the inputs that do not move: a label, a regression target, a batch's labels and data. */
export type Held = Readonly<Record<string, number | readonly number[]>>;

/** A line x = base + t * direction through the domain, with the labels held at `held`. */
export interface Line {
  readonly base: Readonly<Record<string, readonly number[]>>;
  readonly direction: Readonly<Record<string, readonly number[]>>;
  readonly held: Held;
  /** Increasing, inside the open interval `bounds` where the line stays in the domain. */
  readonly ts: readonly number[];
  readonly bounds: readonly [number, number];
}

/** A line walked from the centre of the domain to its edge (infinity, or a face of the simplex). */
export interface Ray extends Line {
  /** The order in which `ts` walk outward: 1 when t grows, -1 when t shrinks toward a face. */
  readonly outward: 1 | -1;
  /** How far out each point is, growing without bound at the edge: |z|, 1/p, r, 1/ε. */
  readonly edge: readonly number[];
  readonly edgeName: string;
  /** Where the ray goes, for summaries: 'z → -∞', 'p → 0', 's = r·(e2 − e1), r → ∞'. */
  readonly towards: string;
}

/** Values of a regression target y held fixed in l(yhat, y). */
const REGRESSION_TARGETS = [0, 1, -3];

export function variablesOf(loss: LoweredLoss): Variable[] {
  const target = regressionTarget(loss);
  return loss.inputs
    .filter((i) => isDifferentiableRole(i.spec.role) && i.spec.name !== target)
    .map((i) => ({
      name: i.spec.name,
      role: i.spec.role as VariableRole,
      leaf: i.leaf,
      width: sizeOf(loss.graph.shape(i.leaf)),
      ...(i.spec.domain !== undefined ? { domain: i.spec.domain } : {}),
    }));
}

function regressionTarget(loss: LoweredLoss): string | undefined {
  return loss.info.kind === 'regression' && loss.inputs.length === 2 ? loss.inputs[1]?.spec.name : undefined;
}

/** Every combination of the held inputs' values: a property is checked for each label. */
export function heldAssignments(loss: LoweredLoss): Held[] {
  const target = regressionTarget(loss);
  let out: Record<string, number | readonly number[]>[] = [{}];
  for (const { spec } of loss.inputs) {
    // A batch's labels and data are held at one seeded draw: every class appears among the labels.
    if (spec.role === 'labels' || spec.role === 'data') {
      const values = Array.from(typicalSample(loss, 1, 5).values[spec.name] as Float64Array);
      out = out.map((a) => ({ ...a, [spec.name]: values }));
      continue;
    }
    const values =
      spec.role === 'binaryLabel'
        ? [0, 1]
        : spec.role === 'classIndex'
          ? loss.info.classes <= MAX_LABELS
            ? range(loss.info.classes, (k) => k + 1)
            : [1, 2, loss.info.classes]
          : spec.name === target
            ? REGRESSION_TARGETS
            : undefined;
    if (values) out = out.flatMap((a) => values.map((v) => ({ ...a, [spec.name]: v })));
  }
  return out;
}

// ---- grids ----------------------------------------------------------------------------------

const range = <T = number>(n: number, f: (i: number) => T): T[] => Array.from({ length: n }, (_, i) => f(i));
const sorted = (xs: number[]): number[] => [...new Set(xs)].sort((a, b) => a - b);

/** Radii from 0 to 1e6: dense near the origin, four per decade in the tail. */
const RADII = sorted([0, ...range(200, (i) => (i + 1) / 20), ...range(37, (i) => 10 ** (-3 + i / 4))]);
/** The real line, ±1e6: every kink of a loss with moderate params lies between grid points. */
const REAL_AXIS = sorted([...RADII, ...RADII.map((r) => -r), ...range(2001, (i) => (i - 1000) / 100)]);
/** Distances ε to a face, from 1/2 down to 1e-12 (1 - p is not representable much closer). */
const TO_FACE = sorted([...range(100, (i) => 0.5 - i * 0.005), ...range(46, (i) => 0.5 * 10 ** (-i / 4))])
  .filter((e) => e >= 1e-12)
  .reverse();
/** The open unit interval, dense near both ends. */
const UNIT_AXIS = sorted([...TO_FACE, ...TO_FACE.map((e) => 1 - e)]);
/** Radii of logit rays: r up to 1e6. */
const LOGIT_RADII = sorted([0, ...range(20, (i) => (i + 1) / 2), ...range(33, (i) => 10 ** (-2 + i / 4))]);
/** Fractions ε of the way from a face of the simplex back to its centre, 1 down to 1e-15. */
const SIMPLEX_EPS = sorted([...range(20, (i) => 1 - i * 0.05), ...range(61, (i) => 10 ** (-i / 4))]).reverse();

const LINE_POINTS = 101;
/** Seeded lines through vector domains in all, shared among the labels and the variables that move. */
const LINE_BUDGET = 24;
const LINE_HALF_WIDTH = 12;
const MAX_LOGIT_RAYS = 20;
const RANDOM_LOGIT_RAYS = 4;
/** With many classes, the labels held are 1, 2 and K (a loss names classes only by index). */
const MAX_LABELS = 5;

// ---- points of each role ----------------------------------------------------------------------

/** A variable's centre: its role's, or the middle of its declared domain. */
function centreOf(v: Variable, K: number): number[] {
  return v.domain !== undefined ? domainCentre(v.domain, sizeFor(v, K)) : centre(v.role, sizeFor(v, K));
}

/** A seeded point of a variable's domain: drawn inside a declared one, else as its role's. */
function pointOf(v: Variable, K: number, random: () => number, spread: number): number[] {
  return v.domain !== undefined ? drawRow(v.domain, sizeFor(v, K), random, () => normal(random)) : randomPoint(v.role, sizeFor(v, K), random, spread);
}

function boundsFor(v: Variable, base: readonly number[], direction: readonly number[]): [number, number] {
  return v.domain !== undefined ? lineBounds(v.domain, base, direction) : boundsOf(v.role, base, direction);
}

function centre(role: VariableRole, K: number): number[] {
  switch (role) {
    case 'real':
      return [0];
    case 'probability':
      return [0.5];
    case 'logits':
    case 'tensor':
      return new Array<number>(K).fill(0);
    case 'simplex':
      return new Array<number>(K).fill(1 / K);
  }
}

/** A seeded point of the domain; `spread` from 0 (near the centre) to 1 (near the edge). */
function randomPoint(role: VariableRole, K: number, random: () => number, spread: number): number[] {
  switch (role) {
    case 'real':
      return [normal(random) * 10 ** (3 * spread)];
    case 'probability': {
      if (spread < 0.2) return [0.02 + 0.96 * random()];
      const e = 10 ** (-1 - 11 * spread * random());
      return [random() < 0.5 ? e : 1 - e];
    }
    case 'logits':
    case 'tensor':
      return range(K, () => normal(random) * 2 * 10 ** (2 * spread));
    case 'simplex': {
      const e = range(K, () => Math.exp(normal(random) * (1 + 10 * spread)));
      const s = e.reduce((a, b) => a + b, 0);
      return e.map((x) => Math.max(x / s, 1e-300));
    }
  }
}

function randomDirection(role: VariableRole, K: number, random: () => number): number[] {
  const d = range(role === 'logits' || role === 'simplex' || role === 'tensor' ? K : 1, () => normal(random));
  if (role === 'simplex') {
    // Directions inside the simplex's plane sum to zero.
    const mean = d.reduce((a, b) => a + b, 0) / K;
    for (let k = 0; k < K; k++) d[k] = (d[k] as number) - mean;
  }
  const norm = Math.hypot(...d);
  return d.map((x) => x / norm);
}

/** The open interval of t for which base + t * direction stays inside the domain. */
function boundsOf(role: VariableRole, base: readonly number[], direction: readonly number[]): [number, number] {
  if (role === 'real' || role === 'logits' || role === 'tensor') return [-Infinity, Infinity];
  let lo = -Infinity;
  let hi = Infinity;
  base.forEach((b, k) => {
    const d = direction[k] as number;
    if (d === 0) return;
    // Entries stay in (0, 1): for the simplex the sum is fixed, so positivity is enough.
    for (const edge of role === 'probability' ? [0, 1] : [0]) {
      const t = (edge - b) / d;
      if (t > 0) hi = Math.min(hi, t);
      else lo = Math.max(lo, t);
    }
  });
  return [lo, hi];
}

/** Points inside (lo, hi) (at most ±12 from the base), dense near an end that is a face of the domain. */
function gridWithin([lo, hi]: readonly [number, number]): number[] {
  const a = Math.max(lo, -LINE_HALF_WIDTH);
  const b = Math.min(hi, LINE_HALF_WIDTH);
  const toFace = range(20, (i) => 10 ** (-3 - i / 2));
  const u = [...range(LINE_POINTS, (i) => (i + 1) / (LINE_POINTS + 1)), ...(lo > -Infinity ? toFace : []), ...(hi < Infinity ? toFace.map((x) => 1 - x) : [])];
  return sorted(u.map((x) => a + (b - a) * x));
}

// ---- lines, rays, pairs -------------------------------------------------------------------------

interface Movement {
  readonly base: number[];
  readonly direction: number[];
  readonly ts: readonly number[];
  readonly bounds: readonly [number, number];
}

/** Lines along which one variable moves through its domain. */
function linesOfVariable(v: Variable, K: number, random: () => number, count: number): Movement[] {
  switch (v.role) {
    case 'real':
      return [{ base: [0], direction: [1], ts: REAL_AXIS, bounds: [-Infinity, Infinity] }];
    case 'probability':
      return [{ base: [0], direction: [1], ts: UNIT_AXIS, bounds: [0, 1] }];
    case 'logits':
    case 'simplex':
    case 'tensor':
      return range(count, () => {
        const base = pointOf(v, K, random, 0);
        const direction = randomDirection(v.role, sizeFor(v, K), random);
        const bounds = boundsFor(v, base, direction);
        return { base, direction, ts: gridWithin(bounds), bounds };
      });
  }
}

function assemble(vars: readonly Variable[], moving: ReadonlyMap<string, Movement>, still: (v: Variable) => number[], held: Held): Line {
  const first = [...moving.values()][0] as Movement;
  const base: Record<string, readonly number[]> = {};
  const direction: Record<string, readonly number[]> = {};
  for (const v of vars) {
    const m = moving.get(v.name);
    base[v.name] = m ? m.base : still(v);
    direction[v.name] = m ? m.direction : new Array<number>(v.width).fill(0);
  }
  return { base, direction, held, ts: first.ts, bounds: first.bounds };
}

/**
 * Lines for kinks and curvature: each variable alone (the others at seeded points of their
 * domain), and, with several variables, seeded lines on which all of them move at once.
 */
export function linesThrough(loss: LoweredLoss, seed: number): Line[] {
  const K = loss.info.classes;
  const vars = variablesOf(loss);
  const random = seededRandom(seed);
  const held = heldAssignments(loss);
  const count = Math.max(2, Math.round(LINE_BUDGET / held.length / (vars.length > 1 ? vars.length + 1 : 1)));
  const lines: Line[] = [];
  for (const h of held) {
    const still = new Map(vars.map((v) => [v.name, pointOf(v, K, random, 0)]));
    for (const v of vars) {
      for (const m of linesOfVariable(v, sizeFor(v, K), random, count))
        lines.push(assemble(vars, new Map([[v.name, m]]), (o) => still.get(o.name) as number[], h));
    }
    if (vars.length < 2) continue;
    for (let i = 0; i < count; i++) {
      const parts = vars.map((v) => {
        const base = pointOf(v, K, random, 0);
        return { v, base, direction: randomDirection(v.role, sizeFor(v, K), random) };
      });
      const bounds = parts.reduce<[number, number]>(
        (acc, p) => {
          const [lo, hi] = boundsFor(p.v, p.base, p.direction);
          return [Math.max(acc[0], lo), Math.min(acc[1], hi)];
        },
        [-Infinity, Infinity],
      );
      const ts = gridWithin(bounds);
      lines.push(assemble(vars, new Map(parts.map((p) => [p.v.name, { base: p.base, direction: p.direction, ts, bounds }])), () => [], h));
    }
  }
  return lines;
}

interface Walk extends Movement {
  readonly outward: 1 | -1;
  readonly edge: readonly number[];
  readonly edgeName: string;
  readonly towards: string;
}

const unit = (K: number, k: number, v = 1) => range(K, (j) => (j === k ? v : 0));

/**
 * Rays to the edge of a declared domain: for a bounded interval, every entry to its lower face,
 * to its upper face, and alternately to each (where log(p) and log(1 - p) of a BCE blow up),
 * at distance ε of the interval's width; out to infinity from the centre for positive entries
 * (that grow) and boxes (that widen: x2 - x1 and y2 - y1 grow, the corners move anywhere).
 */
function raysInDomain(v: Variable, domain: DataDomain, random: () => number): Walk[] {
  if (domain.kind === 'set') return [];
  if (domain.kind === 'interval' && domain.hi !== Infinity) {
    const { lo, hi } = domain;
    const width = hi - lo;
    const face = (atLow: (k: number) => boolean, towards: string): Walk => ({
      base: range(v.width, (k) => (atLow(k) ? lo : hi)),
      direction: range(v.width, (k) => (atLow(k) ? width : -width)),
      ts: TO_FACE,
      bounds: [0, 1],
      outward: -1,
      edge: TO_FACE.map((e) => 1 / e),
      edgeName: '1/ε',
      towards: `${v.name} → ${towards} (ε of the way from it)`,
    });
    return [face(() => true, `${lo}`), face(() => false, `${hi}`), face((k) => k % 2 === 0, `${lo} and ${hi} alternately`)];
  }
  const base = domainCentre(domain, v.width);
  return range(2 * RANDOM_LOGIT_RAYS, () => {
    const d = randomDirection('tensor', v.width, random);
    const outward = domain.kind === 'boxes' ? d.map((x, k) => (k % 4 < 2 ? x : (d[k - 2] as number) + Math.abs(x))) : d.map(Math.abs);
    const norm = Math.hypot(...outward);
    const direction = outward.map((x) => x / norm);
    return {
      base,
      direction,
      ts: LOGIT_RADII,
      bounds: lineBounds(domain, base, direction),
      outward: 1 as const,
      edge: LOGIT_RADII,
      edgeName: 'r',
      towards: `${v.name} = centre + r·d inside its domain, r → ∞`,
    };
  });
}

/** Rays from the centre of one variable's domain to its edge. */
function raysOfVariable(v: Variable, K: number, random: () => number, focus: number): Walk[] {
  const n = v.name;
  const all: [number, number] = [-Infinity, Infinity];
  switch (v.role) {
    case 'real':
      return [1, -1].map((d) => ({
        base: [0],
        direction: [d],
        ts: RADII,
        bounds: all,
        outward: 1,
        edge: RADII,
        edgeName: `|${n}|`,
        towards: `${n} → ${d > 0 ? '+' : '-'}∞`,
      }));
    case 'probability':
      return [
        { base: [0], direction: [1], ts: TO_FACE, bounds: [0, 1], outward: -1, edge: TO_FACE.map((e) => 1 / e), edgeName: `1/${n}`, towards: `${n} → 0` },
        {
          base: [1],
          direction: [-1],
          ts: TO_FACE,
          bounds: [0, 1],
          outward: -1,
          // 1 - p as the point has it: 1 - ε is rounded.
          edge: TO_FACE.map((e) => 1 / (1 - (1 - e))),
          edgeName: `1/(1 − ${n})`,
          towards: `${n} → 1`,
        },
      ];
    case 'logits': {
      // Directions that move the class y (the held label; class 1 when there is none) against
      // the others come first: y wins, loses, ties, and other classes vanish or win.
      const y = focus - 1;
      const e = (k: number, sign = 1) => unit(K, k, sign);
      const plus = (a: number[], b: number[]) => a.map((x, i) => x + (b[i] as number));
      const others = range(K, (k) => k).filter((k) => k !== y);
      const named: { d: number[]; label: string }[] = [
        { d: e(y), label: `e${y + 1}` },
        { d: e(y, -1), label: `−e${y + 1}` },
        ...others.flatMap((j) => [
          { d: plus(e(j), e(y, -1)), label: `(e${j + 1} − e${y + 1})` },
          { d: plus(e(y), e(j, -1)), label: `(e${y + 1} − e${j + 1})` },
          // Two classes tied ahead of the rest: softmax tends to (e_y + e_j)/2.
          { d: plus(e(y), e(j)), label: `(e${y + 1} + e${j + 1})` },
          { d: e(j, -1), label: `−e${j + 1}` },
        ]),
        ...others.map((j) => ({ d: e(j), label: `e${j + 1}` })),
      ].slice(0, MAX_LOGIT_RAYS - RANDOM_LOGIT_RAYS);
      for (let i = 0; i < RANDOM_LOGIT_RAYS; i++) named.push({ d: randomDirection('logits', K, random), label: 'd' });
      return named.map(({ d, label }) => ({
        base: new Array<number>(K).fill(0),
        direction: d,
        ts: LOGIT_RADII,
        bounds: all,
        outward: 1,
        edge: LOGIT_RADII,
        edgeName: 'r',
        towards: `${n} = r·${label}, r → ∞`,
      }));
    }
    case 'tensor':
      if (v.domain !== undefined) return raysInDomain(v, v.domain, random);
      // No direction of a batch of embeddings is special: seeded ones, each scaled to infinity.
      return range(2 * RANDOM_LOGIT_RAYS, () => ({
        base: new Array<number>(K).fill(0),
        direction: randomDirection('tensor', K, random),
        ts: LOGIT_RADII,
        bounds: all,
        outward: 1 as const,
        edge: LOGIT_RADII,
        edgeName: 'r',
        towards: `${n} = r·d, r → ∞`,
      }));
    case 'simplex': {
      const c = centre('simplex', K);
      const targets: { b: number[]; label: string }[] = range(K, (k) => ({ b: unit(K, k), label: `e${k + 1}` }));
      for (let j = 0; j < K && targets.length < 2 * K; j++)
        for (let k = j + 1; k < K && targets.length < 2 * K; k++)
          targets.push({ b: range(K, (i) => (i === j || i === k ? 0.5 : 0)), label: `(e${j + 1} + e${k + 1})/2` });
      return targets.map(({ b, label }) => ({
        base: b,
        direction: c.map((x, i) => x - (b[i] as number)),
        ts: SIMPLEX_EPS,
        bounds: boundsOf(
          'simplex',
          b,
          c.map((x, i) => x - (b[i] as number)),
        ),
        outward: -1,
        edge: SIMPLEX_EPS.map((e) => 1 / e),
        edgeName: '1/ε',
        towards: `${n} → ${label}`,
      }));
    }
  }
}

/**
 * Rays to the edge of the domain, for growth and limits: each variable alone with the others
 * at the centre, and variables of one role walking together (to the same and to different ends).
 */
export function raysThrough(loss: LoweredLoss, seed: number): Ray[] {
  const K = loss.info.classes;
  const vars = variablesOf(loss);
  const random = seededRandom(seed);
  const classIndex = loss.inputs.find((i) => i.spec.role === 'classIndex')?.spec.name;
  const rays: Ray[] = [];
  const toRay = (moving: Map<string, Walk>, held: Held): Ray => {
    const first = [...moving.values()][0] as Walk;
    const towards = [...moving.values()].map((w) => w.towards).join(', ');
    return {
      ...assemble(vars, moving, (v) => centreOf(v, K), held),
      outward: first.outward,
      edge: first.edge,
      edgeName: first.edgeName,
      towards,
    };
  };
  for (const held of heldAssignments(loss)) {
    const focus = classIndex === undefined ? 1 : (held[classIndex] as number);
    const walks = new Map(vars.map((v) => [v.name, raysOfVariable(v, sizeFor(v, K), random, focus)]));
    for (const v of vars) for (const w of walks.get(v.name) as Walk[]) rays.push(toRay(new Map([[v.name, w]]), held));
    const roles = [...new Set(vars.map((v) => v.role))];
    for (const role of roles) {
      const group = vars.filter((v) => v.role === role);
      if (group.length < 2) continue;
      const count = (walks.get((group[0] as Variable).name) as Walk[]).length;
      for (let i = 0; i < count; i++) {
        for (const shift of [0, 1]) {
          rays.push(toRay(new Map(group.map((v, j) => [v.name, (walks.get(v.name) as Walk[])[(i + j * shift) % count] as Walk])), held));
        }
      }
    }
  }
  return rays;
}

/** Seeded points spread over the domain, as lines of one point (t = 0). */
export function pointsIn(loss: LoweredLoss, seed: number, perHeld: number): Line[] {
  const K = loss.info.classes;
  const vars = variablesOf(loss);
  const random = seededRandom(seed);
  return heldAssignments(loss).flatMap((held) =>
    range(perHeld, (i) => {
      const spread = i / perHeld;
      return {
        base: Object.fromEntries(vars.map((v) => [v.name, pointOf(v, K, random, spread)])),
        direction: Object.fromEntries(vars.map((v) => [v.name, new Array<number>(v.width).fill(0)])),
        held,
        ts: [0],
        bounds: [-Infinity, Infinity] as const,
      };
    }),
  );
}

/** Seeded pairs (a, b) as lines from a (t = 0) through the midpoint (t = 1/2) to b (t = 1). */
export function pairsIn(loss: LoweredLoss, seed: number, perHeld: number): Line[] {
  const K = loss.info.classes;
  const vars = variablesOf(loss);
  const random = seededRandom(seed);
  return heldAssignments(loss).flatMap((held) =>
    range(perHeld, (i) => {
      // Spreads from the centre of the domain to a quarter of the way to its edge.
      const spread = (0.25 * (i % 8)) / 7;
      const a = vars.map((v) => pointOf(v, K, random, spread));
      const b = vars.map((v) => pointOf(v, K, random, spread));
      return {
        base: Object.fromEntries(vars.map((v, j) => [v.name, a[j] as number[]])),
        direction: Object.fromEntries(vars.map((v, j) => [v.name, (b[j] as number[]).map((x, k) => x - ((a[j] as number[])[k] as number))])),
        held,
        ts: [0, 0.5, 1],
        bounds: [0, 1] as const,
      };
    }),
  );
}

/** The inputs at parameter t of a line, for witnesses: variables at base + t * direction, and the held labels. */
export function pointOn(line: Line, t: number): Record<string, number | number[]> {
  const out: Record<string, number | number[]> = {};
  for (const [name, base] of Object.entries(line.base)) {
    const d = line.direction[name] as readonly number[];
    const x = base.map((b, k) => b + t * (d[k] as number));
    out[name] = x.length === 1 ? (x[0] as number) : x;
  }
  for (const [name, v] of Object.entries(line.held)) out[name] = typeof v === 'number' ? v : [...v];
  return out;
}

/** `z = 1, y = 0` or `s = [1, 0, -2], y = 2`, for summaries; `z → 0` with relation '→'. */
export function describePoint(point: Readonly<Record<string, number | readonly number[]>>, relation = '='): string {
  // A probability a hair below 1 reads as 1 - ε, not as 1.
  const num = (x: number) => (x < 1 && x > 1 - 1e-5 ? `1 - ${Number((1 - x).toPrecision(3))}` : String(Number(x.toPrecision(6))));
  return Object.entries(point)
    .map(([k, v]) => `${k} ${relation} ${typeof v === 'number' ? num(v) : `[${v.map(num).join(', ')}]`}`)
    .join(', ');
}

/**
 * A point of a line for a summary ('z = 1', 's = [1, 0, -2], y = 2'), the direction of the line
 * when derivatives along it are not plain derivatives in one scalar (' along ds = [...]'), and
 * that direction as witness entries.
 */
export function describeLine(line: Line, t: number): { at: string; along: string; direction: Record<string, number | number[]> } {
  const at = describePoint(pointOn(line, t));
  const moving = Object.entries(line.direction).filter(([, d]) => d.some((x) => x !== 0));
  const [only] = moving;
  if (moving.length === 1 && only && only[1].length === 1 && only[1][0] === 1) return { at, along: '', direction: {} };
  return {
    at,
    along: ` along ${describePoint(Object.fromEntries(moving.map(([k, d]) => [`d${k}`, d])))}`,
    direction: Object.fromEntries(moving.map(([k, d]) => [`direction_${k}`, d.length === 1 ? (d[0] as number) : [...d]])),
  };
}

/** A number for a witness: JSON has no Infinity or NaN, so they are said in words (and -0 as 0). */
export function witnessNumber(v: number): number | string {
  return Number.isFinite(v) ? v + 0 : String(v);
}
