/// <reference types="@webgpu/types" />
/**
 * An `Executor` that runs each `Program` as one fused WGSL compute shader (src/core/kernel/
 * wgslKernel.ts) through WebGPU: Dawn for Node (the optional `webgpu` package, loaded like
 * backend.ts loads it) or any `GPU` handed in. Where no adapter exists, or a program has an op
 * the generator cannot express, or a batch exceeds the device's buffer limits, the fallback
 * executor (TensorFlow.js) computes it instead: a kernel never changes what is computed.
 *
 * Shaders and pipelines are cached by program text and by which leaves vary per row; buffers
 * are kept per compiled program and grown, never allocated per call.
 */
import { stableForFloat32 } from '../ir/float32Forms';
import type { Program } from '../ir/program';
import { INF_BITS, NAN_BITS, dispatchSize, generateWgslKernel, type KernelLayout, type WgslKernel } from '../kernel/wgslKernel';
import { leafColumn, type Bindings, type LeafValue } from '../ir/bindings';
import type { CompiledProgram, Executor } from './executor';

export interface WebGpuKernelExecutor extends Executor {
  readonly engine: 'fused-webgpu';
  /** What Dawn reports of the adapter: vendor, architecture, description. */
  readonly adapter: string;
  dispose(): void;
}

export type WebGpuStart = { ok: true; executor: WebGpuKernelExecutor } | { ok: false; why: string; executor: Executor };

interface DawnModule {
  create(flags: string[]): GPU;
  globals: Record<string, unknown>;
}

/** Dawn's `GPU`, or why there is none. The package is optional and never installed by LossLab. */
function loadDawn(): GPU | string {
  const g = globalThis as { navigator?: { gpu?: GPU } };
  if (g.navigator?.gpu) return g.navigator.gpu;
  try {
    const dawn = require('webgpu') as DawnModule;
    // GPUBufferUsage and friends are globals in a browser; Dawn hands them over.
    for (const [k, value] of Object.entries(dawn.globals)) if (!(k in globalThis)) Object.assign(globalThis, { [k]: value });
    return dawn.create([]);
  } catch {
    return 'the webgpu package (Dawn for Node) is not installed';
  }
}

// WebGPU's usage flags as numbers, so this file does not depend on Dawn's globals being set.
const USAGE = { MAP_READ: 0x1, COPY_SRC: 0x4, COPY_DST: 0x8, UNIFORM: 0x40, STORAGE: 0x80 } as const;
const MAP_MODE_READ = 0x1;
const GPUShaderStageCompute = 0x4;

export interface WebGpuKernelOptions {
  /** A WebGPU entry point (a browser's `navigator.gpu`); Dawn for Node when absent. */
  readonly gpu?: GPU;
  /** Told why a program ran on the fallback executor instead of a kernel. */
  readonly onFallback?: (why: string) => void;
}

export async function createWebGpuKernelExecutor(fallback: Executor, options: WebGpuKernelOptions = {}): Promise<WebGpuStart> {
  const gpu = options.gpu ?? loadDawn();
  if (typeof gpu === 'string') return { ok: false, why: gpu, executor: fallback };
  const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  if (adapter === null) return { ok: false, why: 'WebGPU found no adapter', executor: fallback };
  const device = await adapter.requestDevice({
    requiredLimits: {
      maxStorageBufferBindingSize: adapter.limits.maxStorageBufferBindingSize,
      maxBufferSize: adapter.limits.maxBufferSize,
    },
  });
  // `adapter.info` is newer than the @webgpu/types that tfjs pins; Dawn has it.
  const info = (adapter as GPUAdapter & { info?: { vendor: string; architecture: string; description: string } }).info;
  const name = info ? [info.vendor, info.architecture, info.description].filter((s) => s !== '').join(', ') : 'unknown adapter';
  const pipelines = new Map<string, { kernel: WgslKernel; pipeline: GPUComputePipeline } | string>();
  const layout = device.createBindGroupLayout({
    entries: [
      { binding: 0, visibility: GPUShaderStageCompute, buffer: { type: 'uniform' } },
      { binding: 1, visibility: GPUShaderStageCompute, buffer: { type: 'read-only-storage' } },
      { binding: 2, visibility: GPUShaderStageCompute, buffer: { type: 'storage' } },
    ],
  });
  const pipelineLayout = device.createPipelineLayout({ bindGroupLayouts: [layout] });

  /** The shader for `program` with these per-row leaves, compiled once; a string says why not. */
  const pipelineFor = async (program: Program, programKey: string, perRow: ReadonlySet<string>) => {
    const key = `${[...perRow].sort().join(',')}|${programKey}`;
    const cached = pipelines.get(key);
    if (cached !== undefined) return cached;
    const generated = generateWgslKernel(program, { perRow });
    let entry: { kernel: WgslKernel; pipeline: GPUComputePipeline } | string;
    if (!generated.ok) entry = generated.message;
    else {
      device.pushErrorScope('validation');
      const module = device.createShaderModule({ code: generated.kernel.code });
      const compiled = await module.getCompilationInfo();
      const errors = compiled.messages.filter((m) => m.type === 'error').map((m) => `WGSL ${m.lineNum}:${m.linePos}: ${m.message}`);
      const pipeline = await device
        .createComputePipelineAsync({ layout: pipelineLayout, compute: { module, entryPoint: 'main' } })
        .catch((e: unknown) => String(e));
      const error = await device.popErrorScope();
      entry =
        errors.length > 0
          ? errors.join('; ')
          : typeof pipeline === 'string'
            ? pipeline
            : error !== null
              ? error.message
              : { kernel: generated.kernel, pipeline };
    }
    pipelines.set(key, entry);
    return entry;
  };

  const executor: WebGpuKernelExecutor = {
    backend: 'webgpu',
    engine: 'fused-webgpu',
    adapter: name,
    compile(written) {
      const program = stableForFloat32(written);
      const programKey = JSON.stringify([program.classes, program.instructions, program.outputs]);
      let fallbackFn: CompiledProgram | undefined;
      const viaFallback = (b: Bindings, why: string) => {
        options.onFallback?.(why);
        return (fallbackFn ??= fallback.compile(program))(b);
      };
      const buffers = new KernelBuffers(device);
      // One run at a time per compiled program: its buffers are reused.
      let queue: Promise<unknown> = Promise.resolve();
      return (bindings) => {
        const run = queue.then(async () => {
          const perRow = perRowLeaves(program, bindings);
          const entry = await pipelineFor(program, programKey, perRow);
          if (typeof entry === 'string') return viaFallback(bindings, entry);
          const limit = device.limits.maxStorageBufferBindingSize;
          const { layout: kl } = entry.kernel;
          if (Math.max(kl.inputWidth, kl.outputWidth) * bindings.rows * 4 > limit)
            return viaFallback(bindings, `${bindings.rows} rows exceed the device's ${limit}-byte storage buffers`);
          return buffers.run(entry.pipeline, layout, kl, bindings);
        });
        queue = run.catch(() => undefined);
        return run;
      };
    },
    dispose() {
      device.destroy();
    },
  };
  return { ok: true, executor };
}

function widthOf(program: Program, leafName: string): number {
  const i = program.instructions.findIndex((n) => n.tag === 'leaf' && n.name === leafName);
  return program.shapes[i]?.length === 1 ? program.classes : 1;
}

/** Leaves bound to one value (or K values) per row; with one row every leaf is broadcast. */
function perRowLeaves(program: Program, bindings: Bindings): Set<string> {
  const perRow = new Set<string>();
  if (bindings.rows <= 1) return perRow;
  for (const n of program.instructions) {
    if (n.tag !== 'leaf') continue;
    const value: LeafValue | undefined = bindings.values[n.name];
    if (value !== undefined && typeof value !== 'number' && value.length === bindings.rows * widthOf(program, n.name)) perRow.add(n.name);
  }
  return perRow;
}

/** Input, output, staging and uniform buffers of one compiled program, grown as batches grow. */
class KernelBuffers {
  private input: GPUBuffer | undefined;
  private output: GPUBuffer | undefined;
  private staging: GPUBuffer | undefined;
  private uniform: GPUBuffer | undefined;
  private host = new Float32Array(0);

  constructor(private readonly device: GPUDevice) {}

  private ensure(current: GPUBuffer | undefined, bytes: number, usage: number): GPUBuffer {
    if (current !== undefined && current.size >= bytes) return current;
    current?.destroy();
    // Round up to 4 bytes (and at least 16) as copies and bindings require.
    return this.device.createBuffer({ size: Math.max(16, Math.ceil(bytes / 4) * 4), usage });
  }

  async run(pipeline: GPUComputePipeline, bindLayout: GPUBindGroupLayout, layout: KernelLayout, b: Bindings): Promise<Float32Array[]> {
    const rows = b.rows;
    const inBytes = rows * layout.inputWidth * 4;
    const outBytes = rows * layout.outputWidth * 4;
    const uniformBytes = 16 + 16 * layout.uniformVec4s;
    this.input = this.ensure(this.input, inBytes, USAGE.STORAGE | USAGE.COPY_DST);
    this.output = this.ensure(this.output, outBytes, USAGE.STORAGE | USAGE.COPY_SRC);
    this.staging = this.ensure(this.staging, outBytes, USAGE.MAP_READ | USAGE.COPY_DST);
    this.uniform = this.ensure(this.uniform, uniformBytes, USAGE.UNIFORM | USAGE.COPY_DST);
    const queue = this.device.queue;

    const uniform = new ArrayBuffer(uniformBytes);
    new Uint32Array(uniform, 0, 3).set([rows, INF_BITS, NAN_BITS]);
    const broadcast = new Float32Array(uniform, 16);
    for (const slot of layout.broadcast) broadcast.set(leafColumn(b.values[slot.name], slot.name, rows, slot.width).data, slot.offset);
    queue.writeBuffer(this.uniform, 0, uniform);

    for (const slot of layout.rowInputs) {
      const raw = b.values[slot.name];
      const at = rows * slot.offset * 4;
      // Float32 columns go to the GPU without a copy; others are converted once.
      if (raw instanceof Float32Array && raw.length === rows * slot.width) queue.writeBuffer(this.input, at, raw.buffer, raw.byteOffset, raw.byteLength);
      else {
        const col = leafColumn(raw, slot.name, rows, slot.width);
        if (this.host.length < col.data.length) this.host = new Float32Array(col.data.length);
        this.host.set(col.data);
        queue.writeBuffer(this.input, at, this.host.buffer, 0, col.data.length * 4);
      }
    }

    const group = this.device.createBindGroup({
      layout: bindLayout,
      entries: [
        { binding: 0, resource: { buffer: this.uniform, size: uniformBytes } },
        { binding: 1, resource: { buffer: this.input } },
        { binding: 2, resource: { buffer: this.output } },
      ],
    });
    const encoder = this.device.createCommandEncoder();
    const pass = encoder.beginComputePass();
    pass.setPipeline(pipeline);
    pass.setBindGroup(0, group);
    const [x, y] = dispatchSize(rows, layout.workgroupSize);
    pass.dispatchWorkgroups(x, y);
    pass.end();
    if (outBytes > 0) encoder.copyBufferToBuffer(this.output, 0, this.staging, 0, outBytes);
    queue.submit([encoder.finish()]);

    await this.staging.mapAsync(MAP_MODE_READ, 0, Math.max(16, outBytes));
    try {
      const all = new Float32Array(this.staging.getMappedRange(0, Math.max(16, outBytes)));
      return layout.outputs.map((slot) => all.slice(rows * slot.offset, rows * (slot.offset + slot.width)));
    } finally {
      this.staging.unmap();
    }
  }
}
