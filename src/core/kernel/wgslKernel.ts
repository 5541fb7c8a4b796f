/**
 * Compiles a straight-line `Program` to one WGSL compute shader that computes every output of
 * one row (value, gradient, second derivative) in a single pass: one invocation per row, each
 * instruction a `let` in registers, each vector op (K entries: logits, simplex points) a loop
 * over a private array, so nothing but the inputs and outputs touches memory.
 *
 * Layout (fixed by the bindings' shapes, so one shader serves every batch of the same shape):
 *   binding 0, uniform: rows, the bits of inf and NaN, then every broadcast leaf (a param, a
 *     vector shared by all rows);
 *   binding 1, storage read: the per-row leaves, each a column block of rows x width floats;
 *   binding 2, storage read_write: the outputs, each a column block of rows x width floats.
 * Three bindings whatever the loss, far below WebGPU's limit of 8 storage buffers per stage.
 */
import { tensorReason, type Program } from '../ir/program';
import { WGSL_ELEMENTWISE, WGSL_PRELUDE, wgslConstant } from './wgslOps';

export type WorkgroupSize = 64 | 256;

/** A leaf or output placed in a packed buffer: `offset` and `width` in floats per row. */
export interface KernelSlot {
  readonly name: string;
  readonly width: number;
  readonly offset: number;
}

/** The uniform's header: rows, then the float32 bit patterns of +inf and a quiet NaN. */
export const INF_BITS = 0x7f800000;
export const NAN_BITS = 0x7fc00000;

export interface KernelLayout {
  /** Leaves with one value (or K values) per row, packed in the input buffer. */
  readonly rowInputs: readonly KernelSlot[];
  /** Leaves shared by every row, packed after `rows` in the uniform (offset in floats). */
  readonly broadcast: readonly KernelSlot[];
  readonly outputs: readonly KernelSlot[];
  /** Floats per row of the input and output buffers. */
  readonly inputWidth: number;
  readonly outputWidth: number;
  /** vec4<f32> entries of the uniform's broadcast array (at least one: WGSL has no empty arrays). */
  readonly uniformVec4s: number;
  readonly workgroupSize: WorkgroupSize;
}

export interface WgslKernel {
  readonly code: string;
  readonly layout: KernelLayout;
}

export type WgslKernelResult = { ok: true; kernel: WgslKernel } | { ok: false; message: string };

/** Private arrays of K floats per vector instruction: beyond this a row no longer fits registers. */
export const MAX_WGSL_CLASSES = 256;

export interface WgslKernelOptions {
  /** Leaves bound to one value per row; the others are broadcast. */
  readonly perRow: ReadonlySet<string>;
  readonly workgroupSize?: WorkgroupSize;
}

const v = (i: number): string => `v${i}`;

export function generateWgslKernel(program: Program, options: WgslKernelOptions): WgslKernelResult {
  const K = program.classes;
  const anyVector = program.shapes.some((s) => s.length === 1);
  const tensor = tensorReason(program);
  if (tensor !== undefined) return { ok: false, message: tensor };
  if (anyVector && (K < 1 || K > MAX_WGSL_CLASSES)) return { ok: false, message: `WGSL kernels take 1 to ${MAX_WGSL_CLASSES} classes, not ${K}` };
  const widthOf = (i: number): number => (program.shapes[i]?.length === 1 ? K : 1);

  const rowInputs: KernelSlot[] = [];
  const broadcast: KernelSlot[] = [];
  let inputWidth = 0;
  let broadcastWidth = 0;
  const body: string[] = [];
  const at = (arg: number, vectorContext: boolean): string => (vectorContext && program.shapes[arg]?.length === 1 ? `${v(arg)}[k]` : v(arg));
  const loop = (line: string): string => `  for (var k = 0u; k < ${K}u; k++) { ${line} }`;

  for (let i = 0; i < program.instructions.length; i++) {
    const n = program.instructions[i];
    if (n === undefined) return { ok: false, message: `bug: no instruction ${i}` };
    const width = widthOf(i);
    if (n.tag === 'const') {
      body.push(`  let ${v(i)}: f32 = ${wgslConstant(n.value)};`);
      continue;
    }
    if (n.tag === 'leaf') {
      if (options.perRow.has(n.name)) {
        rowInputs.push({ name: n.name, width, offset: inputWidth });
        const base = `U.rows * ${inputWidth}u + row * ${width}u`;
        inputWidth += width;
        if (width === 1) body.push(`  let ${v(i)}: f32 = inputs[${base}];`);
        else body.push(`  var ${v(i)}: array<f32, ${K}>;`, loop(`${v(i)}[k] = inputs[${base} + k];`));
      } else {
        broadcast.push({ name: n.name, width, offset: broadcastWidth });
        const entry = (j: string): string => `U.broadcast[(${j}) / 4u][(${j}) % 4u]`;
        if (width === 1) body.push(`  let ${v(i)}: f32 = ${entry(`${broadcastWidth}u`)};`);
        else body.push(`  var ${v(i)}: array<f32, ${K}>;`, loop(`${v(i)}[k] = ${entry(`${broadcastWidth}u + k`)};`));
        broadcastWidth += width;
      }
      continue;
    }
    const elementwise = WGSL_ELEMENTWISE[n.op];
    const [a] = n.args as [number];
    if (elementwise !== undefined) {
      if (width === 1) body.push(`  let ${v(i)}: f32 = ${elementwise(n.args.map((x) => at(x, false)))};`);
      else body.push(`  var ${v(i)}: array<f32, ${K}>;`, loop(`${v(i)}[k] = ${elementwise(n.args.map((x) => at(x, true)))};`));
      continue;
    }
    switch (n.op) {
      case 'sum':
        body.push(`  var ${v(i)}: f32 = 0.0;`, loop(`${v(i)} += ${v(a)}[k];`));
        break;
      case 'vmax':
        body.push(`  var ${v(i)}: f32 = -ll_inf();`, loop(`${v(i)} = max(${v(i)}, ${v(a)}[k]);`));
        break;
      case 'vmin':
        body.push(`  var ${v(i)}: f32 = ll_inf();`, loop(`${v(i)} = min(${v(i)}, ${v(a)}[k]);`));
        break;
      case 'logsumexp':
        // Shift by the largest entry so no exp overflows; m + log(t) + log1p(r / t) with t the
        // entries at the max and r the others' exponentials, as the tensor rule (ops.ts); an
        // infinite maximum is the answer.
        body.push(
          `  var ${v(i)}m: f32 = -ll_inf();`,
          loop(`${v(i)}m = max(${v(i)}m, ${v(a)}[k]);`),
          `  var ${v(i)}s: f32 = 0.0;`,
          `  var ${v(i)}t: f32 = 0.0;`,
          loop(`if (${v(a)}[k] == ${v(i)}m) { ${v(i)}t += 1.0; } else { ${v(i)}s += exp(${v(a)}[k] - ${v(i)}m); }`),
          `  let ${v(i)}: f32 = select(${v(i)}m + log(${v(i)}t) + ll_log1p(${v(i)}s / ${v(i)}t), ${v(i)}m, abs(${v(i)}m) == ll_inf());`,
        );
        break;
      case 'softmax':
        body.push(
          `  var ${v(i)}m: f32 = -ll_inf();`,
          loop(`${v(i)}m = max(${v(i)}m, ${v(a)}[k]);`),
          `  var ${v(i)}: array<f32, ${K}>;`,
          `  var ${v(i)}s: f32 = 0.0;`,
          loop(`${v(i)}[k] = exp(${v(a)}[k] - ${v(i)}m); ${v(i)}s += ${v(i)}[k];`),
          loop(`${v(i)}[k] = ${v(i)}[k] / ${v(i)}s;`),
        );
        break;
      case 'onehot':
        // A class index that is not an integer in 1..K gives NaN, as the reference does.
        body.push(
          `  let ${v(i)}ok = floor(${v(a)}) == ${v(a)} && ${v(a)} >= 1.0 && ${v(a)} <= ${K}.0;`,
          `  var ${v(i)}: array<f32, ${K}>;`,
          loop(`${v(i)}[k] = select(ll_nan(), select(0.0, 1.0, f32(k + 1u) == ${v(a)}), ${v(i)}ok);`),
        );
        break;
      case 'cumsum':
        body.push(`  var ${v(i)}: array<f32, ${K}>;`, `  var ${v(i)}s: f32 = 0.0;`, loop(`${v(i)}s += ${v(a)}[k]; ${v(i)}[k] = ${v(i)}s;`));
        break;
      case 'revcumsum':
        body.push(
          `  var ${v(i)}: array<f32, ${K}>;`,
          `  var ${v(i)}s: f32 = 0.0;`,
          loop(`${v(i)}s += ${v(a)}[${K - 1}u - k]; ${v(i)}[${K - 1}u - k] = ${v(i)}s;`),
        );
        break;
      case 'sort_by':
      case 'unsort_by': {
        // Ranks by permutation.ts's rule (ascending, stable, NaN last), then a scatter or a gather.
        const key = n.args[1] as number;
        const r = `${v(i)}r`;
        body.push(
          `  var ${r}: array<u32, ${K}>;`,
          `  for (var p = 0u; p < ${K}u; p++) {`,
          `    let ki = ${v(key)}[p];`,
          `    let nanI = ll_isnan(ki);`,
          `    var c = 0u;`,
          `    for (var q = 0u; q < ${K}u; q++) {`,
          `      let kj = ${v(key)}[q];`,
          `      let before = select(kj < ki || (nanI && !ll_isnan(kj)), kj <= ki || nanI, q < p);`,
          `      c += select(0u, 1u, before && q != p);`,
          `    }`,
          `    ${r}[p] = c;`,
          `  }`,
          `  var ${v(i)}: array<f32, ${K}>;`,
          n.op === 'sort_by' ? loop(`${v(i)}[${r}[k]] = ${v(a)}[k];`) : loop(`${v(i)}[k] = ${v(a)}[${r}[k]];`),
        );
        break;
      }
      case 'expand':
        body.push(`  var ${v(i)}: array<f32, ${K}>;`, loop(`${v(i)}[k] = ${v(a)};`));
        break;
      default:
        return { ok: false, message: `the op '${n.op}' has no WGSL form` };
    }
  }

  const outputs: KernelSlot[] = [];
  let outputWidth = 0;
  program.outputs.forEach((o, j) => {
    const width = widthOf(o);
    outputs.push({ name: `output ${j}`, width, offset: outputWidth });
    const base = `U.rows * ${outputWidth}u + row * ${width}u`;
    if (width === 1) body.push(`  outputs[${base}] = ${v(o)};`);
    else if (program.shapes[o]?.length === 1) body.push(loop(`outputs[${base} + k] = ${v(o)}[k];`));
    outputWidth += width;
  });

  const workgroupSize = options.workgroupSize ?? 256;
  const uniformVec4s = Math.max(1, Math.ceil(broadcastWidth / 4));
  const code = [
    'struct Uniforms {',
    '  rows: u32,',
    '  infBits: u32,',
    '  nanBits: u32,',
    '  pad2: u32,',
    `  broadcast: array<vec4<f32>, ${uniformVec4s}>,`,
    '}',
    '@group(0) @binding(0) var<uniform> U: Uniforms;',
    '@group(0) @binding(1) var<storage, read> inputs: array<f32>;',
    '@group(0) @binding(2) var<storage, read_write> outputs: array<f32>;',
    WGSL_PRELUDE,
    // Rows beyond 65,535 workgroups spill into the y dimension of the dispatch.
    `@compute @workgroup_size(${workgroupSize})`,
    'fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) lid: u32) {',
    `  let row = (wid.y * nwg.x + wid.x) * ${workgroupSize}u + lid;`,
    '  if (row >= U.rows) { return; }',
    // Touch the input buffer once even when every leaf is broadcast, so the binding stays live.
    ...(inputWidth === 0 ? ['  _ = inputs[0];'] : []),
    ...body,
    '}',
    '',
  ].join('\n');
  return { ok: true, kernel: { code, layout: { rowInputs, broadcast, outputs, inputWidth, outputWidth, uniformVec4s, workgroupSize } } };
}

/** Workgroups to dispatch for `rows` rows: x up to 65,535 (WebGPU's limit per dimension), then y. */
export function dispatchSize(rows: number, workgroupSize: WorkgroupSize): [number, number] {
  const groups = Math.max(1, Math.ceil(rows / workgroupSize));
  const x = Math.min(groups, 65535);
  return [x, Math.ceil(groups / x)];
}
