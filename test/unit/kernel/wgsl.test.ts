/**
 * The WGSL kernel generator. Everywhere: every library loss and a few hundred random
 * expressions compile to WGSL that a WGSL parser (wgsl_reflect) accepts, with the three
 * bindings the executor binds. Where WebGPU has an adapter (Dawn from the `webgpu` package, or
 * the module named by LOSSLAB_WEBGPU_MODULE; on a machine without a GPU, Mesa's lavapipe gives
 * Dawn a CPU adapter), the kernels run and agree with the float64 reference to float32
 * tolerance in value, gradient and second derivative, and the tree sum of the reduction
 * shader equals its float32 model exactly.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type * as WgslReflectModule from 'wgsl_reflect';
import { findLoss } from '../../../src/core/analyze';
import type { Bindings } from '../../../src/core/ir/bindings';
import type { Executor } from '../../../src/core/engine/executor';
import { runReference } from '../../../src/core/engine/reference';
import { createWebGpuKernelExecutor, type WebGpuKernelExecutor } from '../../../src/core/engine/webgpuKernel';
import { gradient, secondDerivative } from '../../../src/core/ir/autodiff';
import type { NodeId } from '../../../src/core/ir/graph';
import { lowerToProgram, type Program } from '../../../src/core/ir/program';
import { dispatchSize, generateWgslKernel } from '../../../src/core/kernel/wgslKernel';
import { wgslConstant } from '../../../src/core/kernel/wgslOps';
import { generateWgslSum, REDUCE_GROUPS, sumInTreeOrder } from '../../../src/core/kernel/wgslReduce';
import { checkLossText } from '../../../src/core/lang/check';
import { isDifferentiableRole, isVectorRole } from '../../../src/core/lang/kinds';
import type { LoweredLoss } from '../../../src/core/lang/lower';
import { seededRandom } from '../../../src/core/checks/random';

const ROOT = join(import.meta.dirname, '..', '..', '..');

// wgsl_reflect's CommonJS entry is mislabelled as a module; its ES build is the one Node loads.
const WGSL_REFLECT_ES = 'wgsl_reflect/wgsl_reflect.module.js';

/** A seeded generator (mulberry32): the same expressions and inputs on every run. */
const random = seededRandom;

interface Case {
  readonly label: string;
  readonly loss: LoweredLoss;
  readonly program: Program;
}

/** Value, gradient in every differentiable input, and the second derivative in the first scalar one. */
function caseOf(label: string, loss: LoweredLoss): Case {
  const g = loss.graph;
  const differentiable = loss.inputs.filter((i) => isDifferentiableRole(i.spec.role));
  const outputs: NodeId[] = [
    loss.value,
    ...gradient(
      g,
      loss.value,
      differentiable.map((i) => i.leaf),
    ).filter((d): d is NodeId => d !== undefined),
  ];
  const scalar = differentiable.find((i) => !isVectorRole(i.spec.role));
  if (scalar !== undefined) outputs.push(secondDerivative(g, loss.value, scalar.leaf));
  return { label, loss, program: lowerToProgram(g, outputs) };
}

function libraryCases(): Case[] {
  const cases: Case[] = [];
  for (const file of readdirSync(join(ROOT, 'library')).filter((f) => f.endsWith('.loss'))) {
    const text = readFileSync(join(ROOT, 'library', file), 'utf8');
    const checked = checkLossText(text, { libraryDirectory: null });
    if (!checked.ok) throw new Error(`${file} does not check`);
    // Batch losses are left out: the WGSL kernels have no form for tensors yet (README, Tensors).
    for (const info of checked.file.losses.filter((l) => l.kind !== 'batch')) {
      const found = findLoss(text, info.name, { libraryDirectory: null });
      if (found.ok) cases.push(caseOf(`${file}:${info.name}`, found.loss));
    }
  }
  return cases;
}

const UNARY = [
  'exp',
  'log',
  'log1p',
  'expm1',
  'sqrt',
  'tanh',
  'sin',
  'cos',
  'sigmoid',
  'softplus',
  'relu',
  'abs',
  'sign',
  'sinh',
  'cosh',
  'atan',
  'acos',
  'erf',
];
const BINARY = ['+', '-', '*', '/', '^'];

/** A random margin-loss expression of z from the grammar's scalar functions, kept in the domains of log, sqrt and acos. */
function randomExpression(next: () => number, depth: number): string {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)] as T;
  if (depth === 0 || next() < 0.2) return next() < 0.7 ? 'z' : String(Math.round((next() * 4 - 2) * 100) / 100);
  const r = next();
  const sub = () => randomExpression(next, depth - 1);
  if (r < 0.4) {
    const f = pick(UNARY);
    const arg = sub();
    // acos needs [-1, 1], and its derivative is infinite at the ends (where tanh rounds to 1 in float32 long
    // before float64); sinh and cosh of an unbounded argument make the expression too ill-conditioned for float32.
    if (f === 'acos') return `acos(0.5 * tanh(${arg}))`;
    if (f === 'sinh' || f === 'cosh') return `${f}(tanh(${arg}))`;
    return f === 'log' || f === 'sqrt' ? `${f}(1 + abs(${arg}))` : f === 'log1p' ? `log1p(abs(${arg}))` : `${f}(${arg})`;
  }
  if (r < 0.8) {
    const op = pick(BINARY);
    if (op === '^') return `abs(${sub()}) ^ ${pick(['2', '1.5', '3'])}`;
    if (op === '/') return `${sub()} / (1 + ${sub()}^2)`;
    return `(${sub()} ${op} ${sub()})`;
  }
  if (r < 0.85) return `max(${sub()}, ${sub()})`;
  if (r < 0.9) return `atan2(${sub()}, ${sub()})`;
  return `${sub()} > ${sub()} ? ${sub()} : ${sub()}`;
}

function randomCases(count: number, seed: number): Case[] {
  const next = random(seed);
  const cases: Case[] = [];
  while (cases.length < count) {
    const text = `f(z) = ${randomExpression(next, 4)}`;
    const found = findLoss(text);
    if (found.ok) cases.push(caseOf(text, found.loss));
  }
  return cases;
}

/** Per-row inputs in each input's domain; params at their defaults. */
function bindingsFor(loss: LoweredLoss, rows: number, next: () => number): Bindings {
  const K = loss.info.classes;
  const values: Record<string, number | Float32Array> = Object.fromEntries(loss.params.map((p) => [p.decl.name, p.decl.value]));
  for (const { spec } of loss.inputs) {
    const width = isVectorRole(spec.role) ? K : 1;
    const column = new Float32Array(rows * width);
    for (let r = 0; r < rows; r++) {
      if (spec.role === 'simplex') {
        const w = Array.from({ length: K }, () => 0.05 + next());
        const total = w.reduce((s, x) => s + x, 0);
        w.forEach((x, k) => (column[r * K + k] = x / total));
      } else
        for (let k = 0; k < width; k++) {
          const u = next();
          column[r * width + k] =
            spec.role === 'probability'
              ? 0.01 + 0.98 * u
              : spec.role === 'binaryLabel'
                ? Math.round(u)
                : spec.role === 'classIndex'
                  ? 1 + Math.floor(u * K)
                  : 8 * u - 4;
        }
    }
    values[spec.name] = column;
  }
  return { rows, values };
}

describe('WGSL generation', () => {
  const library = libraryCases();
  const randoms = randomCases(300, 8);

  it('writes a kernel for every library loss and random expression that a WGSL parser reads, with the three bindings', async () => {
    const { WgslParser, WgslReflect } = (await import(WGSL_REFLECT_ES)) as typeof WgslReflectModule;
    assert.ok(library.length >= 80, `only ${library.length} library losses`);
    for (const c of [...library, ...randoms]) {
      const perRow = new Set(c.loss.inputs.map((i) => i.spec.name));
      const generated = generateWgslKernel(c.program, { perRow, workgroupSize: 64 });
      assert.ok(generated.ok, `${c.label}: ${generated.ok ? '' : generated.message}`);
      assert.doesNotThrow(() => new WgslParser().parse(generated.kernel.code), c.label);
      const bindings = new WgslReflect(generated.kernel.code).getBindGroups()[0] ?? [];
      assert.deepEqual(
        bindings.map((b) => b.name),
        ['U', 'inputs', 'outputs'],
        c.label,
      );
      assert.equal(generated.kernel.layout.outputs.length, c.program.outputs.length, c.label);
    }
  });

  it('packs per-row leaves in the input buffer and broadcast ones in the uniform', () => {
    const found = findLoss('param gamma = 2 in [0, 5]\nfocal(p) = -(1 - p)^gamma * log(p)');
    assert.ok(found.ok);
    const c = caseOf('focal', found.loss);
    const generated = generateWgslKernel(c.program, { perRow: new Set(['p']) });
    assert.ok(generated.ok);
    assert.deepEqual(generated.kernel.layout.rowInputs, [{ name: 'p', width: 1, offset: 0 }]);
    assert.deepEqual(generated.kernel.layout.broadcast, [{ name: 'gamma', width: 1, offset: 0 }]);
    assert.equal(generated.kernel.layout.outputWidth, 3);
  });

  it('refuses more classes than fit a row, as a value', () => {
    const found = findLoss('@classes 1000\nce(s, y) = logsumexp(s) - s[y]');
    assert.ok(found.ok);
    const generated = generateWgslKernel(caseOf('ce', found.loss).program, { perRow: new Set(['s', 'y']) });
    assert.equal(generated.ok, false);
  });

  it('writes float32 constants that round-trip, and NaN and infinity through the uniform', () => {
    for (const x of [0.1, -2.5e-38, 3.4028234663852886e38, 1e-45, 1 / 3]) {
      const text = wgslConstant(x).replace(/[()]/g, '');
      assert.equal(Math.fround(Number(text)), Math.fround(x), text);
    }
    assert.equal(wgslConstant(Infinity), 'll_inf()');
    assert.equal(wgslConstant(NaN), 'll_nan()');
  });

  it('dispatches 2^24 rows within 65,535 workgroups per dimension', () => {
    const [x, y] = dispatchSize(1 << 24, 256);
    assert.ok(x <= 65535 && x * y * 256 >= 1 << 24);
  });
});

interface DawnModule {
  create(flags: string[]): GPU;
  globals: Record<string, unknown>;
}

/** Dawn from LOSSLAB_WEBGPU_MODULE or the `webgpu` package, or why not. */
function loadDawn(): DawnModule | string {
  const name = process.env.LOSSLAB_WEBGPU_MODULE ?? 'webgpu';
  try {
    return createRequire(import.meta.filename)(name) as DawnModule;
  } catch {
    return `${name} cannot be loaded (install the webgpu package, or set LOSSLAB_WEBGPU_MODULE)`;
  }
}

describe('WGSL kernels on a WebGPU adapter', async () => {
  const dawn = loadDawn();
  let gpu: GPU | undefined;
  let skip: string | false = typeof dawn === 'string' ? dawn : false;
  if (typeof dawn !== 'string') {
    for (const [k, value] of Object.entries(dawn.globals)) if (!(k in globalThis)) Object.assign(globalThis, { [k]: value });
    gpu = dawn.create([]);
    if ((await gpu.requestAdapter()) === null) skip = 'WebGPU found no adapter (on a machine without a GPU, Mesa lavapipe gives Dawn one)';
  }
  const fallbackUsed: string[] = [];
  const fallback: Executor = {
    backend: 'cpu',
    compile: () => async () => {
      throw new Error('bug: the test fallback was asked to compute');
    },
  };
  let executor: WebGpuKernelExecutor | undefined;
  before(async () => {
    if (skip !== false || gpu === undefined) return;
    const started = await createWebGpuKernelExecutor(fallback, { gpu, onFallback: (why) => fallbackUsed.push(why) });
    if (started.ok) executor = started.executor;
  });
  after(() => executor?.dispose());

  /** float32 tolerance: relative to the entry, plus absolute relative to the output's scale. */
  const agrees = (a: number, b: number, scale: number): boolean =>
    (Number.isNaN(b) && Number.isNaN(a)) || a === b || Math.abs(a - b) <= 2e-4 * Math.abs(b) + 1e-5 * scale;

  async function compare(cases: readonly Case[], rows: number, seed: number): Promise<string[]> {
    const next = random(seed);
    const wrong: string[] = [];
    for (const c of cases) {
      const bindings = bindingsFor(c.loss, rows, next);
      const ref = runReference(c.program, bindings);
      const got = await (executor as WebGpuKernelExecutor).compile(c.program)(bindings);
      ref.forEach((r, o) => {
        const finite = Array.from(r).filter((x) => Number.isFinite(x) && Math.abs(x) < 3e38);
        const scale = Math.max(1, ...finite.map(Math.abs));
        r.forEach((b, i) => {
          // Where the float64 value does not fit float32 there is nothing to agree on.
          if (!Number.isFinite(b) || Math.abs(b) > 3e38) return;
          const a = got[o]?.[i] as number;
          if (!agrees(a, b, scale)) wrong.push(`${c.label}: output ${o} row ${i}: WGSL ${a}, float64 ${b}`);
        });
      });
    }
    return wrong;
  }

  it('agrees with the float64 reference on every library loss (value, gradient, second derivative)', { skip }, async () => {
    const wrong = await compare(libraryCases(), 257, 1);
    assert.deepEqual(fallbackUsed, []);
    assert.deepEqual(wrong.slice(0, 10), [], `${wrong.length} disagreements`);
  });

  it('agrees with the float64 reference on 100 random expressions', { skip }, async () => {
    const wrong = await compare(randomCases(100, 8), 64, 2);
    assert.deepEqual(fallbackUsed, []);
    assert.deepEqual(wrong.slice(0, 10), [], `${wrong.length} disagreements`);
  });

  it('sums a column by a workgroup tree exactly as its float32 model does', { skip }, async () => {
    const device = await ((await (gpu as GPU).requestAdapter()) as GPUAdapter).requestDevice();
    const n = 100_003;
    const next = random(3);
    const values = Float32Array.from({ length: n }, () => next() - 0.25);
    const shader = generateWgslSum(256);
    const module = device.createShaderModule({ code: shader.code });
    const pipeline = device.createComputePipeline({ layout: 'auto', compute: { module, entryPoint: 'main' } });
    const usage = { storage: 0x80, copyDst: 0x8, copySrc: 0x4, uniform: 0x40, mapRead: 0x1 };
    const input = device.createBuffer({ size: n * 4, usage: usage.storage | usage.copyDst });
    device.queue.writeBuffer(input, 0, values);
    const partials = device.createBuffer({ size: REDUCE_GROUPS * 4, usage: usage.storage | usage.copySrc });
    const total = device.createBuffer({ size: 16, usage: usage.storage | usage.copySrc });
    const read = device.createBuffer({ size: 16, usage: usage.mapRead | usage.copyDst });
    const range = (count: number) => {
      const b = device.createBuffer({ size: 16, usage: usage.uniform | usage.copyDst });
      device.queue.writeBuffer(b, 0, Uint32Array.of(count, 0, 0, 0));
      return b;
    };
    const encoder = device.createCommandEncoder();
    for (const [count, from, to, groups] of [
      [n, input, partials, REDUCE_GROUPS],
      [REDUCE_GROUPS, partials, total, 1],
    ] as const) {
      const pass = encoder.beginComputePass();
      pass.setPipeline(pipeline);
      pass.setBindGroup(
        0,
        device.createBindGroup({
          layout: pipeline.getBindGroupLayout(0),
          entries: [
            { binding: 0, resource: { buffer: range(count) } },
            { binding: 1, resource: { buffer: from } },
            { binding: 2, resource: { buffer: to } },
          ],
        }),
      );
      pass.dispatchWorkgroups(groups);
      pass.end();
    }
    encoder.copyBufferToBuffer(total, 0, read, 0, 16);
    device.queue.submit([encoder.finish()]);
    await read.mapAsync(0x1);
    const got = new Float32Array(read.getMappedRange())[0] as number;
    read.unmap();
    device.destroy();
    assert.equal(got, sumInTreeOrder(values, REDUCE_GROUPS, 256));
    let exact = 0;
    for (const x of values) exact += x;
    // A tree of depth log2(n) rounds at most about log2(n) times per entry: well under 1e-5 here.
    assert.ok(Math.abs(got - exact) <= 1e-5 * values.reduce((s, x) => s + Math.abs(x), 0), `${got} vs ${exact}`);
  });
});
