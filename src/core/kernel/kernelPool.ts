/**
 * Threads for the kernels: `worker_threads` that share the kernels' memory and instantiate the
 * same compiled modules, each running `run(begin, end, planeBytes)` on its share of the rows while
 * the calling thread runs the first share. The workers' script is the fixed text below (not
 * generated, and independent of how the extension is bundled); what they run is the WebAssembly
 * module, sent to them compiled.
 */
import { Worker } from 'node:worker_threads';

const WORKER_SCRIPT = `
const { parentPort } = require('node:worker_threads');
let memory;
const kernels = new Map();
parentPort.on('message', (m) => {
  try {
    if (m.type === 'memory') memory = m.memory;
    else if (m.type === 'load') kernels.set(m.id, new WebAssembly.Instance(m.module, { env: { memory } }).exports.run);
    else if (m.type === 'run') {
      kernels.get(m.id)(m.begin, m.end, m.planeBytes);
      parentPort.postMessage({ ok: true });
    }
  } catch (e) {
    parentPort.postMessage({ ok: false, message: String(e && e.stack || e) });
  }
});
`;

interface WorkerReply {
  readonly ok: boolean;
  readonly message?: string;
}

class KernelThread {
  private readonly worker = new Worker(WORKER_SCRIPT, { eval: true });
  private readonly loaded = new Set<number>();
  private waiting: ((reply: WorkerReply) => void) | undefined;

  constructor(memory: WebAssembly.Memory) {
    this.worker.on('message', (reply: WorkerReply) => {
      const w = this.waiting;
      this.waiting = undefined;
      this.worker.unref();
      w?.(reply);
    });
    this.worker.on('error', (e) => this.waiting?.({ ok: false, message: String(e) }));
    this.worker.on('exit', (code) => this.waiting?.({ ok: false, message: `exited with code ${code}` }));
    this.worker.postMessage({ type: 'memory', memory });
    this.worker.unref();
  }

  run(id: number, module: WebAssembly.Module, begin: number, end: number, planeBytes: number): Promise<void> {
    if (!this.loaded.has(id)) {
      this.worker.postMessage({ type: 'load', id, module });
      this.loaded.add(id);
    }
    // Held by the event loop only while it works, so an idle pool never keeps a process alive.
    this.worker.ref();
    return new Promise((resolve, reject) => {
      this.waiting = (reply) => (reply.ok ? resolve() : reject(new Error(`kernel thread: ${reply.message ?? 'failed'}`)));
      this.worker.postMessage({ type: 'run', id, begin, end, planeBytes });
    });
  }

  terminate(): Promise<number> {
    return this.worker.terminate();
  }
}

export class KernelPool {
  private readonly workers: KernelThread[];

  /** `threads` counts the calling thread: 2 threads is one worker. */
  constructor(
    memory: WebAssembly.Memory,
    readonly threads: number,
  ) {
    this.workers = Array.from({ length: Math.max(0, threads - 1) }, () => new KernelThread(memory));
  }

  /**
   * Runs the kernel over byte range [0, bytes) of every plane: the workers take the later shares
   * (posted first, so they start while this thread works), this thread the first.
   */
  async run(
    id: number,
    module: WebAssembly.Module,
    local: (begin: number, end: number, planeBytes: number) => void,
    bytes: number,
    planeBytes: number,
  ): Promise<void> {
    const vectors = bytes / 16;
    const parts = this.workers.length + 1;
    const cut = (j: number): number => Math.round((vectors * j) / parts) * 16;
    const pending = this.workers.map((t, j) => t.run(id, module, cut(j + 1), cut(j + 2), planeBytes));
    local(0, cut(1), planeBytes);
    await Promise.all(pending);
  }

  async dispose(): Promise<void> {
    await Promise.all(this.workers.map((t) => t.terminate()));
  }
}
