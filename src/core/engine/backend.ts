/**
 * Starts a TensorFlow.js backend, best first: `tensorflow` (tfjs-node-gpu or tfjs-node, when the
 * user has installed one), `webgpu` (when @tensorflow/tfjs-backend-webgpu and an adapter exist),
 * `wasm` (bundled, the default that works everywhere), `cpu` (last resort). A backend that was
 * asked for but cannot start is reported in `notice`, never skipped silently.
 */
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { BackendName } from './executor';
import type { TfModule } from '../ir/ops';

export interface StartedBackend {
  readonly tf: TfModule;
  readonly backend: BackendName;
  /** Why the backend in use is not the one asked for, when that is so. */
  readonly notice?: string;
}

const AUTO_ORDER: readonly BackendName[] = ['tensorflow', 'webgpu', 'wasm', 'cpu'];

/** Loads an optional package that may not be installed; false when it is absent. */
function loadOptional(name: string): boolean {
  try {
    require(name);
    return true;
  } catch {
    return false;
  }
}

interface DawnModule {
  create(flags: string[]): unknown;
  globals: Record<string, unknown>;
}

/**
 * Node has no `navigator.gpu`; the `webgpu` package (Dawn) provides one when it is installed.
 * Returns why WebGPU is unavailable, or undefined once `navigator.gpu` exists.
 */
function provideWebGpu(): string | undefined {
  const g = globalThis as { navigator?: { gpu?: unknown } };
  if (g.navigator?.gpu) return undefined;
  let dawn: DawnModule;
  try {
    dawn = require('webgpu') as DawnModule;
  } catch {
    return 'the webgpu package (Dawn for Node) is not installed';
  }
  Object.assign(globalThis, dawn.globals);
  Object.defineProperty(globalThis, 'navigator', { value: { ...(g.navigator ?? {}), gpu: dawn.create([]) }, configurable: true });
  return undefined;
}

/** The folder holding tfjs's .wasm binaries: beside the bundle, or in node_modules in development. */
function wasmDirectory(): string {
  if (existsSync(join(__dirname, 'tfjs-backend-wasm.wasm'))) return __dirname;
  return dirname(createRequire(__filename).resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm'));
}

async function tryStart(name: BackendName): Promise<string | undefined> {
  try {
    switch (name) {
      case 'tensorflow':
        if (!loadOptional('@tensorflow/tfjs-node-gpu') && !loadOptional('@tensorflow/tfjs-node'))
          return 'neither @tensorflow/tfjs-node-gpu nor @tensorflow/tfjs-node is installed';
        break;
      case 'webgpu': {
        const why = provideWebGpu();
        if (why !== undefined) return why;
        if (!loadOptional('@tensorflow/tfjs-backend-webgpu')) return '@tensorflow/tfjs-backend-webgpu is not installed';
        break;
      }
      case 'wasm':
        setWasmPaths(`${wasmDirectory()}/`);
        break;
      case 'cpu':
        break;
    }
    if (!(await tf.setBackend(name))) return 'it failed to initialise';
    await tf.ready();
    return tf.getBackend() === name ? undefined : `tfjs chose '${tf.getBackend()}' instead`;
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
}

export async function startBackend(preferred?: BackendName): Promise<StartedBackend> {
  const failures: string[] = [];
  const order = preferred ? [preferred, ...AUTO_ORDER.filter((b) => b !== preferred)] : AUTO_ORDER;
  for (const name of order) {
    const why = await tryStart(name);
    if (why === undefined) {
      const notice =
        preferred && name !== preferred
          ? `the ${preferred} backend could not start: ${(failures[0] ?? '').replace(`${preferred}: `, '')}; using ${name}`
          : undefined;
      const lastResort = !preferred && name === 'cpu' ? `no faster backend could start (${failures.join('; ')}); using cpu` : undefined;
      const said = notice ?? lastResort;
      return { tf: tf as unknown as TfModule, backend: name, ...(said ? { notice: said } : {}) };
    }
    failures.push(`${name}: ${why}`);
  }
  throw new Error(`no TensorFlow.js backend could start: ${failures.join('; ')}`);
}

/**
 * Whether the running backend still computes: 1 + 2 on it. A job that threw on a backend that
 * fails this was stopped by the backend (a lost device, a broken kernel registry), not by a bug
 * in the core, and can be run again on another one. Returns why it failed, or undefined.
 */
export function probeBackend(): string | undefined {
  try {
    const sum = tf.tidy(() => tf.add(tf.scalar(1), tf.scalar(2)).dataSync()[0]);
    return sum === 3 ? undefined : `1 + 2 gave ${sum}`;
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
}

/**
 * Starts the next backend after `failed` in the usual order, after it broke mid-session; its
 * notice says which one broke and why, for the status bar and a warning.
 */
export async function startNextBackend(failed: BackendName, why: string): Promise<StartedBackend> {
  const failures: string[] = [];
  for (const name of AUTO_ORDER.slice(AUTO_ORDER.indexOf(failed) + 1)) {
    const whyNot = await tryStart(name);
    if (whyNot === undefined)
      return { tf: tf as unknown as TfModule, backend: name, notice: `the ${failed} backend failed mid-session (${why}); using ${name}` };
    failures.push(`${name}: ${whyNot}`);
  }
  throw new Error(`the ${failed} backend failed mid-session (${why}) and no other could start: ${failures.join('; ')}`);
}

/** TensorFlow.js's live tensors and their bytes: flat across evaluations when nothing leaks. */
export function tensorMemory(): { readonly numTensors: number; readonly numBytes: number } {
  const { numTensors, numBytes } = tf.memory();
  return { numTensors, numBytes };
}
