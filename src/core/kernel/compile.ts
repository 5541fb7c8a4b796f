/**
 * Compiles a `Program` into one WebAssembly SIMD kernel that computes all its outputs in a single
 * pass over the rows, four rows at a time. Memory holds, from `DATA_BASE`, one plane per row
 * input lane and per output lane (a vector of K is K planes: the transpose of its row-major
 * layout, so that four rows of one class sit in one v128), each `planeBytes` long and padded to
 * a multiple of four rows; broadcast leaves (params, constants bound once) are float32 words
 * from address 0, splatted once before the loop. The kernel is `run(begin, end, planeBytes)` over
 * the byte range [begin, end) of every plane, so threads split the rows between them.
 */
import { OPS, type OpName } from '../ir/ops';
import { tensorReason, type Program } from '../ir/program';
import { ELEMENTWISE, ROWWISE } from './kernelOps';
import { f32x4, Lanes, type Value } from './lanes';
import { pow } from './simdMath';
import { encodeModule, FunctionBody, type Local } from './wasmBinary';

export const UNIFORM_BASE = 0;
export const DATA_BASE = 65536;
export const MAX_UNIFORMS = (DATA_BASE - UNIFORM_BASE) / 4;
export const WASM_PAGE = 65536;
/**
 * Shared memories must declare a maximum, and engines reserve address space for all of it: 1 GiB,
 * room for 2^24 rows of ten planes. A batch that needs more runs on the fallback executor.
 */
export const MAX_PAGES = 16384;
/** V8 refuses functions with more locals than 50,000. */
const MAX_LOCALS = 45000;

/** How a leaf is bound: one value per row, or one (K for a vector) for the whole batch. */
export type LeafLayout = 'row' | 'broadcast';

export interface LeafSlot {
  readonly name: string;
  /** 1 for a scalar, K for a vector. */
  readonly width: number;
  /** First plane (row leaves) or first uniform word (broadcast leaves). */
  readonly first: number;
}

export interface KernelPlan {
  readonly bytes: Uint8Array<ArrayBuffer>;
  readonly rowLeaves: readonly LeafSlot[];
  readonly broadcastLeaves: readonly LeafSlot[];
  /** Each output's first plane and width, in `program.outputs` order. */
  readonly outputs: readonly { readonly first: number; readonly width: number }[];
  readonly planes: number;
}

export type KernelCompilation = { readonly ok: true; readonly plan: KernelPlan } | { readonly ok: false; readonly reason: string };

/** The ops of `program` that no kernel rule covers (sin and cos: their float32 range reduction is not written). */
export function unsupportedOps(program: Program): OpName[] {
  const missing = new Set<OpName>();
  for (const n of program.instructions) if (n.tag === 'op' && ELEMENTWISE[n.op] === undefined && ROWWISE[n.op] === undefined) missing.add(n.op);
  return [...missing];
}

/** Compiles `program` for the given leaf layouts (by leaf name); an op it cannot compile is a reason, not a throw. */
export function compileKernel(program: Program, layout: (name: string) => LeafLayout): KernelCompilation {
  const K = program.classes;
  const unsupported = unsupportedOps(program);
  if (unsupported.length > 0) return { ok: false, reason: `no kernel for ${unsupported.join(', ')}` };
  const tensor = tensorReason(program);
  if (tensor !== undefined) return { ok: false, reason: tensor };

  const rowLeaves: LeafSlot[] = [];
  const broadcastLeaves: LeafSlot[] = [];
  let planes = 0;
  let uniforms = 0;
  program.instructions.forEach((n, i) => {
    if (n.tag !== 'leaf') return;
    const width = program.shapes[i]?.length === 1 ? K : 1;
    if (layout(n.name) === 'row') {
      rowLeaves.push({ name: n.name, width, first: planes });
      planes += width;
    } else {
      broadcastLeaves.push({ name: n.name, width, first: uniforms });
      uniforms += width;
    }
  });
  if (uniforms > MAX_UNIFORMS) return { ok: false, reason: `${uniforms} broadcast values; the kernel takes at most ${MAX_UNIFORMS}` };
  const outputs = program.outputs.map((o) => {
    const width = program.shapes[o]?.length === 1 ? K : 1;
    const slot = { first: planes, width };
    planes += width;
    return slot;
  });

  const body = new FunctionBody(['i32', 'i32', 'i32']);
  const [BEGIN, END, PLANE_BYTES] = [0, 1, 2];
  const L = new Lanes(body);
  const i = body.local('i32');
  body.get(BEGIN).set(i);
  const base: Local[] = [];
  for (let p = 0; p < planes; p++) {
    base.push(body.local('i32'));
    body
      .i32(DATA_BASE)
      .get(PLANE_BYTES)
      .i32(p)
      .op('i32.mul')
      .op('i32.add')
      .set(base[p] as Local);
  }
  const registers: Value[][] = [];
  const leafAt = new Map<string, Value[]>();
  for (const leaf of broadcastLeaves) {
    const lanes = Array.from({ length: leaf.width }, (_, k) =>
      L.fresh(() => {
        body.i32(0).memory('v128.load32_splat', UNIFORM_BASE + 4 * (leaf.first + k));
      }),
    );
    leafAt.set(leaf.name, lanes);
  }

  // Loop-invariant code motion: what depends only on constants and broadcast leaves (a param's
  // gamma - 1, alpha * 2) is computed once, before the loop.
  const invariant = program.instructions.map((n) => n.tag === 'const' || (n.tag === 'leaf' && layout(n.name) === 'broadcast'));
  program.instructions.forEach((n, at) => {
    if (n.tag === 'op') invariant[at] = n.args.every((a) => invariant[a]);
  });
  const compileAt = (at: number): Value[] => {
    const n = program.instructions[at];
    if (n === undefined) throw new Error(`bug: no instruction ${at}`);
    if (n.tag === 'const') return [f32x4(Math.fround(n.value))];
    if (n.tag === 'leaf') return leafAt.get(n.name) as Value[];
    return compileOp(
      L,
      n.op,
      n.args,
      registers,
      K,
      (a) => constantOf(program, a),
      (a) => invariant[a] === true,
    );
  };
  program.instructions.forEach((_, at) => {
    registers[at] = invariant[at] ? compileAt(at) : [];
  });

  body.op('block', 0x40).op('loop', 0x40);
  body.get(i).get(END).op('i32.ge_u').op('br_if', 1);
  const load = (plane: number): Local =>
    L.fresh(() => {
      body
        .get(base[plane] as Local)
        .get(i)
        .op('i32.add')
        .memory('v128.load');
    });
  for (const leaf of rowLeaves)
    leafAt.set(
      leaf.name,
      Array.from({ length: leaf.width }, (_, k) => load(leaf.first + k)),
    );

  program.instructions.forEach((_, at) => {
    if (!invariant[at]) registers[at] = compileAt(at);
  });
  program.outputs.forEach((o, k) => {
    const { first, width } = outputs[k] as { first: number; width: number };
    const value = registers[o] as Value[];
    for (let lane = 0; lane < width; lane++) {
      body
        .get(base[first + lane] as Local)
        .get(i)
        .op('i32.add');
      L.push((value.length === 1 ? value[0] : value[lane]) as Value);
      body.memory('v128.store');
    }
  });
  body.get(i).i32(16).op('i32.add').set(i).op('br', 0);
  body.op('end').op('end');

  const locals = body.localCount;
  if (locals > MAX_LOCALS) return { ok: false, reason: `the kernel needs ${locals} registers; the engine takes at most ${MAX_LOCALS}` };
  const bytes = encodeModule({ minPages: 1, maxPages: MAX_PAGES, shared: true }, [{ name: 'run', results: [], body }]);
  return { ok: true, plan: { bytes, rowLeaves, broadcastLeaves, outputs, planes } };
}

function constantOf(program: Program, at: number): number | undefined {
  const n = program.instructions[at];
  return n?.tag === 'const' ? n.value : undefined;
}

/** x^2 and x^3 as products (within 1.5 ulps, like pow, and a tenth of its cost), x^-1 as a quotient. */
const SMALL_POWERS: ReadonlyMap<number, (L: Lanes, x: Value) => Value> = new Map([
  [2, (L: Lanes, x: Value) => L.bin('f32x4.mul', x, x)],
  [3, (L: Lanes, x: Value) => L.bin('f32x4.mul', L.bin('f32x4.mul', x, x), x)],
  [-1, (L: Lanes, x: Value) => L.bin('f32x4.div', f32x4(1), x)],
]);

/**
 * x^n for an exponent that is the same for every row (a param such as focal loss's gamma): when
 * it is 0, 1, 2, 3 or 4 at run time, products (within 1.5 ulps, as PyTorch's pow does for small
 * integer exponents); otherwise the general pow. The test is a few vector ops on the invariant
 * exponent, and the branch goes the same way on every iteration, so it is predicted.
 */
function powerByUniformExponent(L: Lanes, x: Value, n: Value): Value {
  const integral = L.bin('f32x4.eq', L.un('f32x4.trunc', n), n);
  const inRange = L.bin('v128.and', L.bin('f32x4.ge', n, f32x4(0)), L.bin('f32x4.le', n, f32x4(4)));
  const small = L.bin('v128.and', integral, inRange);
  const is = (k: number) => L.bin('f32x4.eq', n, f32x4(k));
  const flag = L.body.local('i32');
  L.push(small);
  L.body.simd('v128.any_true').set(flag);
  return L.branch(
    flag,
    () => {
      const x2 = L.bin('f32x4.mul', x, x);
      const x4 = L.bin('f32x4.mul', x2, x2);
      const x3 = L.bin('f32x4.mul', x2, x);
      return L.select(is(0), f32x4(1), L.select(is(1), x, L.select(is(2), x2, L.select(is(3), x3, x4))));
    },
    () => pow(L, x, n),
  );
}

/** One instruction: element-wise ops lane by lane (a scalar meeting a vector is reused for each k). Shared with the tensor kernels (entrywise.ts). */
export function compileOp(
  L: Lanes,
  op: OpName,
  args: readonly number[],
  registers: readonly Value[][],
  K: number,
  constant: (arg: number) => number | undefined,
  invariant: (arg: number) => boolean,
): Value[] {
  const values = args.map((a) => registers[a] as Value[]);
  const row = ROWWISE[op];
  if (row) return row(L, values, K);
  const power = op === 'pow' ? SMALL_POWERS.get(constant(args[1] as number) ?? NaN) : undefined;
  if (power) return (values[0] as Value[]).map((x) => power(L, x));
  if (op === 'pow' && invariant(args[1] as number) && !invariant(args[0] as number)) {
    const [x, n] = values as [Value[], Value[]];
    return Array.from({ length: Math.max(x.length, n.length) }, (_, k) =>
      powerByUniformExponent(L, (x.length === 1 ? x[0] : x[k]) as Value, (n.length === 1 ? n[0] : n[k]) as Value),
    );
  }
  const rule = ELEMENTWISE[op];
  if (!rule || OPS[op].f64 === undefined) throw new Error(`bug: ${op} has no kernel rule`);
  const width = Math.max(...values.map((v) => v.length));
  return Array.from({ length: width }, (_, k) =>
    rule(
      L,
      values.map((v) => (v.length === 1 ? v[0] : v[k]) as Value),
    ),
  );
}
