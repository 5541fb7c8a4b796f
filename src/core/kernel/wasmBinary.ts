/**
 * A small WebAssembly binary encoder: just what the kernel compiler needs. One module imports a
 * (shared) linear memory and exports functions; each function body is built by `FunctionBody`,
 * which hands out locals and appends instructions. Opcodes follow the WebAssembly 2.0 core
 * specification (binary format, section 5.4) and its fixed-width SIMD proposal (prefix 0xfd).
 */

export type ValueType = 'i32' | 'i64' | 'f32' | 'f64' | 'v128';
const VALUE_TYPE: Readonly<Record<ValueType, number>> = { i32: 0x7f, i64: 0x7e, f32: 0x7d, f64: 0x7c, v128: 0x7b };

export function unsignedLeb128(value: number): number[] {
  const out: number[] = [];
  let v = value >>> 0;
  do {
    const byte = v & 0x7f;
    v >>>= 7;
    out.push(v === 0 ? byte : byte | 0x80);
  } while (v !== 0);
  return out;
}

export function signedLeb128(value: number): number[] {
  const out: number[] = [];
  let v = value | 0;
  for (;;) {
    const byte = v & 0x7f;
    v >>= 7;
    const done = (v === 0 && (byte & 0x40) === 0) || (v === -1 && (byte & 0x40) !== 0);
    out.push(done ? byte : byte | 0x80);
    if (done) return out;
  }
}

function utf8Name(s: string): number[] {
  const bytes = [...new TextEncoder().encode(s)];
  return [...unsignedLeb128(bytes.length), ...bytes];
}

function vector(items: readonly number[][]): number[] {
  return [...unsignedLeb128(items.length), ...items.flat()];
}

function section(id: number, body: readonly number[]): number[] {
  return [id, ...unsignedLeb128(body.length), ...body];
}

/** SIMD sub-opcodes (after the 0xfd prefix) used by the kernels. */
export const SIMD = {
  'v128.load': 0x00,
  'v128.load32_splat': 0x09,
  'v128.store': 0x0b,
  'v128.const': 0x0c,
  'i8x16.shuffle': 0x0d,
  'f32x4.extract_lane': 0x1f,
  'f32x4.eq': 0x41,
  'f32x4.ne': 0x42,
  'f32x4.lt': 0x43,
  'f32x4.gt': 0x44,
  'f32x4.le': 0x45,
  'f32x4.ge': 0x46,
  'f64x2.eq': 0x47,
  'f64x2.ne': 0x48,
  'f64x2.lt': 0x49,
  'f64x2.gt': 0x4a,
  'f64x2.le': 0x4b,
  'f64x2.ge': 0x4c,
  'v128.not': 0x4d,
  'v128.and': 0x4e,
  'v128.andnot': 0x4f,
  'v128.or': 0x50,
  'v128.xor': 0x51,
  'v128.bitselect': 0x52,
  'v128.any_true': 0x53,
  'f32x4.demote_f64x2_zero': 0x5e,
  'f64x2.promote_low_f32x4': 0x5f,
  'f32x4.nearest': 0x6a,
  'f32x4.trunc': 0x69,
  'f64x2.trunc': 0x7a,
  'f64x2.nearest': 0x94,
  'i32x4.eq': 0x37,
  'i32x4.gt_s': 0x3b,
  'i32x4.shl': 0xab,
  'i32x4.shr_s': 0xac,
  'i32x4.add': 0xae,
  'i32x4.sub': 0xb1,
  'i32x4.min_s': 0xb6,
  'i32x4.max_s': 0xb8,
  'i64x2.extend_low_i32x4_s': 0xc7,
  'i64x2.shl': 0xcb,
  'i64x2.shr_u': 0xcd,
  'i64x2.add': 0xce,
  'i64x2.sub': 0xd1,
  'f32x4.abs': 0xe0,
  'f32x4.neg': 0xe1,
  'f32x4.sqrt': 0xe3,
  'f32x4.add': 0xe4,
  'f32x4.sub': 0xe5,
  'f32x4.mul': 0xe6,
  'f32x4.div': 0xe7,
  'f32x4.min': 0xe8,
  'f32x4.max': 0xe9,
  'f64x2.abs': 0xec,
  'f64x2.neg': 0xed,
  'f64x2.add': 0xf0,
  'f64x2.sub': 0xf1,
  'f64x2.mul': 0xf2,
  'f64x2.div': 0xf3,
  'f64x2.min': 0xf4,
  'f64x2.max': 0xf5,
  'i32x4.trunc_sat_f32x4_s': 0xf8,
  'f32x4.convert_i32x4_s': 0xfa,
  'i32x4.trunc_sat_f64x2_s_zero': 0xfc,
} as const;
export type SimdOp = keyof typeof SIMD;

/** Scalar opcodes used by the kernels' loop and address arithmetic. */
const OP = {
  block: 0x02,
  loop: 0x03,
  if: 0x04,
  else: 0x05,
  end: 0x0b,
  br: 0x0c,
  br_if: 0x0d,
  'local.get': 0x20,
  'local.set': 0x21,
  'local.tee': 0x22,
  'i32.load': 0x28,
  'f32.store': 0x38,
  'i32.const': 0x41,
  'i32.ge_u': 0x4f,
  'i32.add': 0x6a,
  'i32.sub': 0x6b,
  'i32.mul': 0x6c,
  'i32.shr_u': 0x76,
} as const;
type ScalarOp = keyof typeof OP;

export type Local = number;

/** One function's locals and instructions. Parameters are locals 0..n-1. */
export class FunctionBody {
  private readonly locals: ValueType[] = [];
  private readonly code: number[] = [];

  constructor(readonly params: readonly ValueType[]) {}

  get localCount(): number {
    return this.locals.length;
  }

  local(type: ValueType): Local {
    this.locals.push(type);
    return this.params.length + this.locals.length - 1;
  }

  op(name: ScalarOp, ...immediates: number[]): this {
    this.code.push(OP[name], ...immediates);
    return this;
  }

  i32(value: number): this {
    this.code.push(OP['i32.const'], ...signedLeb128(value));
    return this;
  }

  get(local: Local): this {
    return this.op('local.get', ...unsignedLeb128(local));
  }

  set(local: Local): this {
    return this.op('local.set', ...unsignedLeb128(local));
  }

  simd(name: SimdOp, ...immediates: number[]): this {
    this.code.push(0xfd, ...unsignedLeb128(SIMD[name]), ...immediates);
    return this;
  }

  /** `block { loop { if (exitWhen) break; inner; continue } }`: `exitWhen` leaves an i32 on the stack. */
  loop(exitWhen: () => void, inner: () => void): this {
    this.op('block', 0x40).op('loop', 0x40);
    exitWhen();
    this.op('br_if', 1);
    inner();
    return this.op('br', 0).op('end').op('end');
  }

  /** A fresh i32 local holding the word at byte `offset` from `base` (a local holding an address, or address 0). */
  loadWord(base: Local | 'zero', offset: number): Local {
    const t = this.local('i32');
    if (base === 'zero') this.i32(0);
    else this.get(base);
    this.op('i32.load', 2, ...unsignedLeb128(offset)).set(t);
    return t;
  }

  /** v128.load / store with natural 16-byte alignment and a constant offset. */
  memory(name: 'v128.load' | 'v128.store' | 'v128.load32_splat', offset = 0): this {
    const align = name === 'v128.load32_splat' ? 2 : 4;
    return this.simd(name, ...unsignedLeb128(align), ...unsignedLeb128(offset));
  }

  v128(bytes: readonly number[]): this {
    if (bytes.length !== 16) throw new Error('bug: v128.const takes 16 bytes');
    return this.simd('v128.const', ...bytes);
  }

  shuffle(lanes: readonly number[]): this {
    if (lanes.length !== 16) throw new Error('bug: i8x16.shuffle takes 16 lane indices');
    return this.simd('i8x16.shuffle', ...lanes);
  }

  encode(): number[] {
    const groups: number[][] = [];
    for (let i = 0; i < this.locals.length;) {
      let j = i;
      while (j < this.locals.length && this.locals[j] === this.locals[i]) j++;
      groups.push([...unsignedLeb128(j - i), VALUE_TYPE[this.locals[i] as ValueType]]);
      i = j;
    }
    const body = [...vector(groups), ...this.code, OP.end];
    return [...unsignedLeb128(body.length), ...body];
  }
}

export interface ExportedFunction {
  readonly name: string;
  readonly results: readonly ValueType[];
  readonly body: FunctionBody;
}

export interface MemoryImport {
  readonly minPages: number;
  readonly maxPages: number;
  readonly shared: boolean;
}

/** A module importing `env.memory` and exporting `functions`, one type per function. */
export function encodeModule(memory: MemoryImport, functions: readonly ExportedFunction[]): Uint8Array<ArrayBuffer> {
  const types = functions.map((f) => [0x60, ...vector(f.body.params.map((t) => [VALUE_TYPE[t]])), ...vector(f.results.map((t) => [VALUE_TYPE[t]]))]);
  const limits = [memory.shared ? 0x03 : 0x01, ...unsignedLeb128(memory.minPages), ...unsignedLeb128(memory.maxPages)];
  const imports = vector([[...utf8Name('env'), ...utf8Name('memory'), 0x02, ...limits]]);
  const bytes = [
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    ...section(1, vector(types)),
    ...section(2, imports),
    ...section(3, vector(functions.map((_, i) => unsignedLeb128(i)))),
    ...section(7, vector(functions.map((f, i) => [...utf8Name(f.name), 0x00, ...unsignedLeb128(i)]))),
    ...section(10, vector(functions.map((f) => f.body.encode()))),
  ];
  const out = new Uint8Array(new ArrayBuffer(bytes.length));
  out.set(bytes);
  return out;
}
