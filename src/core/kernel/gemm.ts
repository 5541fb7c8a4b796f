/**
 * The matrix product C = A B as one WebAssembly SIMD kernel, in the manner of BLIS and XNNPACK:
 * B is packed into panels of 8 columns (each panel's K rows of 8 floats contiguous, so the
 * kernel streams it from cache instead of striding a row of B per step), and a 4 × 8 block of C
 * is kept in eight v128 registers while the kernel runs down K: per step two loads of B, four
 * broadcasts of A, eight multiplies and eight adds. A row-major A is read where it lies; the
 * transpose of a stored matrix (the gradient's `z1' * G`) is packed in blocks of four rows, as B
 * is in panels, and `z1 * z2'` reads z2 into its panels transposed. Threads split the blocks of
 * four rows of C.
 */
import { DATA_BASE, MAX_PAGES, UNIFORM_BASE } from './compile';
import type { KernelMemory } from './kernelMemory';
import type { KernelPool } from './kernelPool';
import { f32x4, Lanes } from './lanes';
import { encodeModule, FunctionBody, type Local } from './wasmBinary';

/** Rows of C per block and columns per panel: the register block. */
export const BLOCK_ROWS = 4;
export const PANEL_COLUMNS = 8;

/** The kernel's arguments, byte addresses and strides, as words from UNIFORM_BASE. */
const HEADER = ['panels', 'depth', 'a', 'aBlock', 'aRow', 'aStep', 'b', 'c', 'cRow'] as const;
type HeaderField = (typeof HEADER)[number];

/** Below this many multiply-adds one thread is quicker than waking another. */
const THREADED_WORK = 1 << 22;

/** A matrix of `rows` × `cols` as the product reads it: stored row-major, or stored as its transpose (cols × rows). */
export interface MatrixOperand {
  readonly data: Float32Array;
  readonly rows: number;
  readonly cols: number;
  readonly transposed: boolean;
}

/**
 * `run(begin, end, _)` computes the blocks of rows [begin / 16, end / 16) of C: the pool's byte
 * ranges, 16 bytes a block. Unrolling the loop over K by 2 or 4 measured slower here
 * (17.8 ms against 19.4 and 20.1 for 1024 × 256 × 1024 on one thread): the engine spills.
 */
export function gemmModule(): Uint8Array<ArrayBuffer> {
  const body = new FunctionBody(['i32', 'i32', 'i32']);
  const [BEGIN, END] = [0, 1];
  const L = new Lanes(body);
  const i32 = (): Local => body.local('i32');
  const field = {} as Record<HeaderField, Local>;
  HEADER.forEach((name, w) => {
    field[name] = body.loadWord('zero', UNIFORM_BASE + 4 * w);
  });
  // Locals are numbers too: `step` is a local, `bytes` a constant.
  const add = (target: Local, a: Local, step: Local): void => {
    body.get(a).get(step).op('i32.add').set(target);
  };
  const addBytes = (target: Local, a: Local, bytes: number): void => {
    body.get(a).i32(bytes).op('i32.add').set(target);
  };
  const panelBytes = i32();
  body
    .get(field.depth)
    .i32(4 * PANEL_COLUMNS)
    .op('i32.mul')
    .set(panelBytes);

  const block = i32();
  const lastBlock = i32();
  body.get(BEGIN).i32(4).op('i32.shr_u').set(block);
  body.get(END).i32(4).op('i32.shr_u').set(lastBlock);
  const rowA = Array.from({ length: BLOCK_ROWS }, i32);
  const stepA = Array.from({ length: BLOCK_ROWS }, i32);
  const rowC = Array.from({ length: BLOCK_ROWS }, i32);
  const panel = i32();
  const panelB = i32();
  const b = i32();
  const bEnd = i32();

  const loop = (exitWhen: () => void, inner: () => void): void => void body.loop(exitWhen, inner);

  loop(
    () => body.get(block).get(lastBlock).op('i32.ge_u'),
    () => {
      // The four rows of A and of C this block covers.
      body
        .get(field.a)
        .get(block)
        .get(field.aBlock)
        .op('i32.mul')
        .op('i32.add')
        .set(rowA[0] as Local);
      body
        .get(field.c)
        .get(block)
        .i32(BLOCK_ROWS)
        .op('i32.mul')
        .get(field.cRow)
        .op('i32.mul')
        .op('i32.add')
        .set(rowC[0] as Local);
      for (let r = 1; r < BLOCK_ROWS; r++) {
        add(rowA[r] as Local, rowA[r - 1] as Local, field.aRow);
        add(rowC[r] as Local, rowC[r - 1] as Local, field.cRow);
      }
      body.i32(0).set(panel);
      body.get(field.b).set(panelB);
      loop(
        () => body.get(panel).get(field.panels).op('i32.ge_u'),
        () => {
          const acc = Array.from({ length: BLOCK_ROWS * 2 }, () => L.fresh(() => L.push(f32x4(0))));
          for (let r = 0; r < BLOCK_ROWS; r++) body.get(rowA[r] as Local).set(stepA[r] as Local);
          body.get(panelB).set(b);
          add(bEnd, panelB, panelBytes);
          loop(
            () => body.get(b).get(bEnd).op('i32.ge_u'),
            () => {
              const b0 = L.fresh(() => body.get(b).memory('v128.load'));
              const b1 = L.fresh(() => body.get(b).memory('v128.load', 16));
              for (let r = 0; r < BLOCK_ROWS; r++) {
                const a = L.fresh(() => body.get(stepA[r] as Local).memory('v128.load32_splat'));
                for (const [half, bv] of [b0, b1].entries()) {
                  const target = acc[2 * r + half] as Local;
                  L.push(target);
                  L.push(a);
                  L.push(bv);
                  body.simd('f32x4.mul').simd('f32x4.add').set(target);
                }
                add(stepA[r] as Local, stepA[r] as Local, field.aStep);
              }
              addBytes(b, b, 4 * PANEL_COLUMNS);
            },
          );
          for (let r = 0; r < BLOCK_ROWS; r++)
            for (let half = 0; half < 2; half++) {
              body.get(rowC[r] as Local);
              L.push(acc[2 * r + half] as Local);
              body.memory('v128.store', 16 * half);
            }
          for (let r = 0; r < BLOCK_ROWS; r++) addBytes(rowC[r] as Local, rowC[r] as Local, 4 * PANEL_COLUMNS);
          add(panelB, panelB, panelBytes);
          addBytes(panel, panel, 1);
        },
      );
      addBytes(block, block, 1);
    },
  );
  return encodeModule({ minPages: 1, maxPages: MAX_PAGES, shared: true }, [
    { name: 'run', results: [], body },
    { name: 'pack', results: [], body: packBody() },
  ]);
}

/** Where `pack` reads its arguments: after the product's header. */
const PACK_HEADER = UNIFORM_BASE + 4 * 16;

/**
 * `pack(first, last, _)` copies whole panels [first, last) of a row-major B (k × n, n floats a
 * row) into the panel layout, two v128s a row: header words k, n, B's byte address, the panels'.
 * The copy in JavaScript took 3 ms for 1024 × 1024.
 */
function packBody(): FunctionBody {
  const body = new FunctionBody(['i32', 'i32', 'i32']);
  const [FIRST, LAST] = [0, 1];
  const i32 = (): Local => body.local('i32');
  const word = (w: number): Local => body.loadWord('zero', PACK_HEADER + 4 * w);
  const [k, n, source, target] = [word(0), word(1), word(2), word(3)];
  const [panel, from, to, end, rowBytes, panelBytes] = [i32(), i32(), i32(), i32(), i32(), i32()];
  body.get(n).i32(4).op('i32.mul').set(rowBytes);
  body
    .get(k)
    .i32(4 * PANEL_COLUMNS)
    .op('i32.mul')
    .set(panelBytes);
  body.get(FIRST).set(panel);
  const loop = (exitWhen: () => void, inner: () => void): void => void body.loop(exitWhen, inner);
  loop(
    () => body.get(panel).get(LAST).op('i32.ge_u'),
    () => {
      body
        .get(source)
        .get(panel)
        .i32(4 * PANEL_COLUMNS)
        .op('i32.mul')
        .op('i32.add')
        .set(from);
      body.get(target).get(panel).get(panelBytes).op('i32.mul').op('i32.add').set(to);
      body.get(to).get(panelBytes).op('i32.add').set(end);
      loop(
        () => body.get(to).get(end).op('i32.ge_u'),
        () => {
          for (const offset of [0, 16]) body.get(to).get(from).memory('v128.load', offset).memory('v128.store', offset);
          body.get(from).get(rowBytes).op('i32.add').set(from);
          body
            .get(to)
            .i32(4 * PANEL_COLUMNS)
            .op('i32.add')
            .set(to);
        },
      );
      body.get(panel).i32(1).op('i32.add').set(panel);
    },
  );
  return body;
}

const ceilTo = (n: number, m: number): number => Math.ceil(n / m) * m;

/**
 * Floats a product needs beside its operands and its result: A packed (when transposed, or when
 * its rows are not whole blocks), B's panels, and C when its columns are not whole panels.
 */
export function productScratch(m: number, k: number, n: number, aTransposed: boolean): number {
  const rows = ceilTo(m, BLOCK_ROWS);
  const cols = ceilTo(n, PANEL_COLUMNS);
  return (aTransposed || rows !== m ? rows * k : 0) + k * cols + (cols !== n ? rows * cols : 0);
}

/** Floats of a product's result slot: whole blocks of rows, as the kernel writes them. */
export function productSlot(m: number, n: number): number {
  return ceilTo(m, BLOCK_ROWS) * n;
}

/** A product whose A and result lie in the kernels' memory (float indices into its view). */
export interface ProductInMemory {
  /** A (rows × cols) at float `at`, stored row-major or as its transpose. */
  readonly a: { readonly at: number; readonly rows: number; readonly cols: number; readonly transposed: boolean };
  readonly b: MatrixOperand;
  /** Where C goes: productSlot(m, n) floats. */
  readonly c: number;
  /** productScratch(m, k, n, a.transposed) floats the product may overwrite. */
  readonly scratch: number;
}

/**
 * Packs B (k × n) into panels of 8 columns, zero beyond n: panel p's row t holds B[t, 8p .. 8p + 7].
 * A row-major B in the kernels' memory has its whole panels copied by the kernel's `pack`.
 */
function packPanels(f32: Float32Array, at: number, b: MatrixOperand, pack: (first: number, last: number, unused: number) => void): void {
  const { data, rows: k, cols: n } = b;
  const panels = Math.ceil(n / PANEL_COLUMNS);
  let first = 0;
  if (!b.transposed && data.buffer === f32.buffer) {
    first = Math.floor(n / PANEL_COLUMNS);
    new Int32Array(f32.buffer, PACK_HEADER, 4).set([k, n, data.byteOffset, 4 * at]);
    pack(0, first, 0);
  }
  let w = at + first * k * PANEL_COLUMNS;
  for (let p = first; p < panels; p++) {
    const j0 = p * PANEL_COLUMNS;
    const width = Math.min(PANEL_COLUMNS, n - j0);
    for (let t = 0; t < k; t++) {
      if (b.transposed) for (let c = 0; c < width; c++) f32[w + c] = data[(j0 + c) * k + t] as number;
      else for (let c = 0; c < width; c++) f32[w + c] = data[t * n + j0 + c] as number;
      for (let c = width; c < PANEL_COLUMNS; c++) f32[w + c] = 0;
      w += PANEL_COLUMNS;
    }
  }
}

/**
 * Packs the transpose of a stored k × m matrix (A = X') into blocks of four rows: block b's step
 * t holds A[4b .. 4b + 3, t] = X[t, 4b .. 4b + 3], zero beyond m. Read in place, each step of A
 * is a row of X apart, and the rows of a long K collide in cache: 1024 × 1024 × 256 took 54 ms
 * on one thread in place against 20 ms packed.
 */
function packTransposedBlocks(f32: Float32Array, at: number, x: Float32Array, k: number, m: number): void {
  const blocks = Math.ceil(m / BLOCK_ROWS);
  for (let t = 0; t < k; t++) {
    const row = t * m;
    for (let b = 0; b < blocks; b++) {
      const w = at + (b * k + t) * BLOCK_ROWS;
      for (let r = 0; r < BLOCK_ROWS; r++) {
        const i = b * BLOCK_ROWS + r;
        f32[w + r] = i < m ? (x[row + i] as number) : 0;
      }
    }
  }
}

/** The product kernel on the shared kernel memory; calls must take turns with the other kernels. */
export class GemmRunner {
  private readonly id: number;
  private readonly module: WebAssembly.Module;
  private readonly run: (begin: number, end: number, planeBytes: number) => void;
  private readonly pack: (first: number, last: number, unused: number) => void;

  constructor(
    private readonly memory: KernelMemory,
    private readonly pool: KernelPool,
    kernelId: () => number,
  ) {
    this.id = kernelId();
    this.module = new WebAssembly.Module(gemmModule());
    const exports = new WebAssembly.Instance(this.module, { env: { memory: memory.memory } }).exports as { run: GemmRunner['run']; pack: GemmRunner['pack'] };
    this.run = exports.run;
    this.pack = exports.pack;
  }

  /** The product into `p.c`, on the view `f32` of the kernels' memory (reserved by the caller, which holds the memory's turn). */
  async multiplyInMemory(f32: Float32Array, p: ProductInMemory): Promise<void> {
    const [m, k, n] = [p.a.rows, p.a.cols, p.b.cols];
    if (p.b.rows !== k) throw new Error(`bug: a product of ${m}×${k} and ${p.b.rows}×${n}`);
    const rows = ceilTo(m, BLOCK_ROWS);
    const cols = ceilTo(n, PANEL_COLUMNS);
    let free = p.scratch;
    let aAt = p.a.at;
    let stored = { aBlock: 4 * BLOCK_ROWS * k, aRow: 4 * k, aStep: 4 };
    if (p.a.transposed) {
      packTransposedBlocks(f32, free, f32.subarray(p.a.at, p.a.at + k * m), k, m);
      stored = { aBlock: 4 * BLOCK_ROWS * k, aRow: 4, aStep: 4 * BLOCK_ROWS };
      aAt = free;
      free += rows * k;
    } else if (rows !== m) {
      // Zero rows up to a whole block, so the last block reads only numbers.
      f32.copyWithin(free, p.a.at, p.a.at + m * k);
      f32.fill(0, free + m * k, free + rows * k);
      aAt = free;
      free += rows * k;
    }
    const bAt = free;
    packPanels(f32, bAt, p.b, this.pack);
    free += k * cols;
    const cAt = cols === n ? p.c : free;
    const header: Record<HeaderField, number> = { panels: cols / PANEL_COLUMNS, depth: k, a: 4 * aAt, ...stored, b: 4 * bAt, c: 4 * cAt, cRow: 4 * cols };
    const words = new Int32Array(f32.buffer, UNIFORM_BASE, HEADER.length);
    HEADER.forEach((name, w) => (words[w] = header[name]));
    const blocks = rows / BLOCK_ROWS;
    if (m * k * n < THREADED_WORK || this.pool.threads === 1) this.run(0, 16 * blocks, 0);
    else await this.pool.run(this.id, this.module, this.run, 16 * blocks, 0);
    if (cAt !== p.c) for (let r = 0; r < m; r++) f32.copyWithin(p.c + r * n, cAt + r * cols, cAt + r * cols + n);
  }

  /** A (m × k) times B (k × n), row-major m × n in a fresh array. */
  async multiply(a: MatrixOperand, b: MatrixOperand): Promise<Float32Array> {
    const [m, k, n] = [a.rows, a.cols, b.cols];
    const aAt = DATA_BASE / 4;
    const bAt = aAt + a.data.length;
    const c = bAt + b.data.length;
    const scratch = c + productSlot(m, n);
    const f32 = this.memory.reserve(4 * (scratch + productScratch(m, k, n, a.transposed)));
    f32.set(a.data, aAt);
    f32.set(b.data, bAt);
    await this.multiplyInMemory(f32, {
      a: { at: aAt, rows: m, cols: k, transposed: a.transposed },
      b: { ...b, data: f32.subarray(bAt, bAt + b.data.length) },
      c,
      scratch,
    });
    return f32.slice(c, c + m * n);
  }
}
