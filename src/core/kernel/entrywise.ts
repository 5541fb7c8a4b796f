/**
 * One WebAssembly SIMD kernel for a group of element-wise ops over a tensor's entries, reading
 * and writing the values where they lie in the kernels' memory (no copies in and out), and
 * broadcasting as NumPy does without materializing: a [R, 1] input is one splat per row of the
 * result, a [C] input one row read again for every row, a scalar one splat for the whole call.
 * The result is walked as R rows of C entries, four at a time; threads split the rows. A group
 * whose inputs all have its shape (or are scalars) is walked as rows of FLAT_COLUMNS entries.
 */
import type { Program } from '../ir/program';
import { compileOp } from './compile';
import { f32x4, Lanes, type Value } from './lanes';
import { MAX_PAGES } from './compile';
import { encodeModule, FunctionBody, type Local } from './wasmBinary';

/** How an input's entry for result entry (r, c) is found. */
export type EntryRead = 'full' | 'rows' | 'columns' | 'scalar';

/** Entries per row when the group has no row or column inputs: 16 v128s. */
export const FLAT_COLUMNS = 64;

/** V8 refuses functions with more locals than 50,000. */
const MAX_LOCALS = 45000;

/**
 * The header the kernel reads at the byte address given as its third argument: the row length
 * C, then each input's byte address, then each output's.
 */
export function entrywiseHeader(columns: number, inputs: readonly number[], outputs: readonly number[]): Int32Array {
  return Int32Array.from([columns, ...inputs, ...outputs]);
}

/**
 * `program` is the group as a per-sample program (tensorPlan.ts: leaves `t<id>` first, in the
 * order of `reads`). Undefined when the kernel would need more registers than an engine takes.
 */
export function compileEntrywise(program: Program, reads: readonly EntryRead[]): Uint8Array<ArrayBuffer> | undefined {
  const body = new FunctionBody(['i32', 'i32', 'i32']);
  const [BEGIN, END, HEADER] = [0, 1, 2];
  const L = new Lanes(body);
  const i32 = (): Local => body.local('i32');
  const word = (w: number): Local => body.loadWord(HEADER, 4 * w);
  const columns = word(0);
  const rowBytes = i32();
  body.get(columns).i32(4).op('i32.mul').set(rowBytes);
  const inputBase = reads.map((_, j) => word(1 + j));
  const outputBase = program.outputs.map((_, j) => word(1 + reads.length + j));

  const leafAt = new Map<string, Value>();
  const leafNames = program.instructions.flatMap((n) => (n.tag === 'leaf' ? [n.name] : []));
  // Scalars are splatted once, before the loops, with everything that depends only on them.
  reads.forEach((read, j) => {
    if (read === 'scalar')
      leafAt.set(
        leafNames[j] as string,
        L.fresh(() => body.get(inputBase[j] as Local).memory('v128.load32_splat')),
      );
  });
  const invariant = program.instructions.map((n) => n.tag === 'const' || (n.tag === 'leaf' && reads[leafNames.indexOf(n.name)] === 'scalar'));
  program.instructions.forEach((n, at) => {
    if (n.tag === 'op') invariant[at] = n.args.every((a) => invariant[a]);
  });
  const registers: Value[][] = [];
  const compileAt = (at: number): Value[] => {
    const n = program.instructions[at];
    if (n === undefined) throw new Error(`bug: no instruction ${at}`);
    if (n.tag === 'const') return [f32x4(Math.fround(n.value))];
    if (n.tag === 'leaf') return [leafAt.get(n.name) as Value];
    return compileOp(
      L,
      n.op,
      n.args,
      registers,
      1,
      (a) => {
        const c = program.instructions[a];
        return c?.tag === 'const' ? c.value : undefined;
      },
      (a) => invariant[a] === true,
    );
  };
  program.instructions.forEach((_, at) => {
    registers[at] = invariant[at] ? compileAt(at) : [];
  });

  const loop = (exitWhen: () => void, inner: () => void): void => void body.loop(exitWhen, inner);
  const row = i32();
  const lastRow = i32();
  const rowAt = i32();
  const column = i32();
  body.get(BEGIN).i32(4).op('i32.shr_u').set(row);
  body.get(END).i32(4).op('i32.shr_u').set(lastRow);
  loop(
    () => body.get(row).get(lastRow).op('i32.ge_u'),
    () => {
      body.get(row).get(rowBytes).op('i32.mul').set(rowAt);
      const rowValue = new Map<number, Value>();
      reads.forEach((read, j) => {
        if (read === 'rows')
          rowValue.set(
            j,
            L.fresh(() =>
              body
                .get(inputBase[j] as Local)
                .get(row)
                .i32(4)
                .op('i32.mul')
                .op('i32.add')
                .memory('v128.load32_splat'),
            ),
          );
      });
      body.i32(0).set(column);
      loop(
        () => body.get(column).get(rowBytes).op('i32.ge_u'),
        () => {
          reads.forEach((read, j) => {
            const name = leafNames[j] as string;
            if (read === 'rows') leafAt.set(name, rowValue.get(j) as Value);
            else if (read === 'full')
              leafAt.set(
                name,
                L.fresh(() =>
                  body
                    .get(inputBase[j] as Local)
                    .get(rowAt)
                    .op('i32.add')
                    .get(column)
                    .op('i32.add')
                    .memory('v128.load'),
                ),
              );
            else if (read === 'columns')
              leafAt.set(
                name,
                L.fresh(() =>
                  body
                    .get(inputBase[j] as Local)
                    .get(column)
                    .op('i32.add')
                    .memory('v128.load'),
                ),
              );
          });
          program.instructions.forEach((_, at) => {
            if (!invariant[at]) registers[at] = compileAt(at);
          });
          program.outputs.forEach((o, j) => {
            body
              .get(outputBase[j] as Local)
              .get(rowAt)
              .op('i32.add')
              .get(column)
              .op('i32.add');
            L.push((registers[o] as Value[])[0] as Value);
            body.memory('v128.store');
          });
          body.get(column).i32(16).op('i32.add').set(column);
        },
      );
      body.get(row).i32(1).op('i32.add').set(row);
    },
  );
  if (body.localCount > MAX_LOCALS) return undefined;
  return encodeModule({ minPages: 1, maxPages: MAX_PAGES, shared: true }, [{ name: 'run', results: [], body }]);
}
