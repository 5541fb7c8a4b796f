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
let done;
const kernels = new Map();
parentPort.on('message', (m) => {
  try {
    if (m.type === 'memory') {
      memory = m.memory;
      done = m.done;
    }
    else if (m.type === 'load') kernels.set(m.id, new WebAssembly.Instance(m.module, { env: { memory } }).exports.run);
    else if (m.type === 'unload') kernels.delete(m.id);
    else if (m.type === 'run') {
      kernels.get(m.id)(m.begin, m.end, m.planeBytes);
      Atomics.store(done, m.slot, m.seq);
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

  constructor(
    memory: WebAssembly.Memory,
    private readonly done: Int32Array,
    private readonly slot: number,
  ) {
    this.worker.on('message', (reply: WorkerReply) => {
      const w = this.waiting;
      this.waiting = undefined;
      this.worker.unref();
      w?.(reply);
    });
    this.worker.on('error', (e) => this.waiting?.({ ok: false, message: String(e) }));
    this.worker.on('exit', (code) => this.waiting?.({ ok: false, message: `exited with code ${code}` }));
    this.worker.postMessage({ type: 'memory', memory, done });
    this.worker.unref();
  }

  run(id: number, module: WebAssembly.Module, begin: number, end: number, planeBytes: number, seq: number): Promise<void> {
    if (!this.loaded.has(id)) {
      this.worker.postMessage({ type: 'load', id, module });
      this.loaded.add(id);
    }
    // Held by the event loop only while it works, so an idle pool never keeps a process alive.
    this.worker.ref();
    return new Promise((resolve, reject) => {
      this.waiting = (reply) => (reply.ok ? resolve() : reject(new Error(`kernel thread: ${reply.message ?? 'failed'}`)));
      this.worker.postMessage({ type: 'run', id, begin, end, planeBytes, slot: this.slot, seq });
    });
  }

  /** Forgets a kernel the executor dropped from its cache; loaded again if it is ever run. */
  unload(id: number): void {
    if (this.loaded.delete(id)) this.worker.postMessage({ type: 'unload', id });
  }

  terminate(): Promise<number> {
    return this.worker.terminate();
  }
}

export class KernelPool {
  private readonly workers: KernelThread[];
  /** Each worker stores the number of the last run it finished here, readable before its reply arrives. */
  private readonly done: Int32Array;
  private seq = 0;

  /** `threads` counts the calling thread: 2 threads is one worker. */
  constructor(
    memory: WebAssembly.Memory,
    readonly threads: number,
  ) {
    const workers = Math.max(0, threads - 1);
    this.done = new Int32Array(new SharedArrayBuffer(4 * Math.max(1, workers)));
    this.workers = Array.from({ length: workers }, (_, j) => new KernelThread(memory, this.done, j));
  }

  /**
   * Runs the kernel over byte range [0, bytes) of every plane: this thread the first
   * `localShare` of the rows, the workers equal shares of the rest (posted first, so they start
   * while this thread works). `afterLocal(end)` runs on this thread once its share [0, end) is
   * computed, while the workers may still be at theirs. Resolves to whether the workers had
   * finished by the time this thread was done: the caller's cue to give itself more or fewer rows.
   */
  async run(
    id: number,
    module: WebAssembly.Module,
    local: (begin: number, end: number, planeBytes: number) => void,
    bytes: number,
    planeBytes: number,
    localShare = 1 / (this.workers.length + 1),
    afterLocal?: (end: number) => void,
  ): Promise<boolean> {
    const vectors = bytes / 16;
    const parts = this.workers.length;
    const first = parts === 0 ? vectors : Math.round(vectors * Math.min(1, Math.max(0, localShare)));
    const cut = (j: number): number => (first + Math.round(((vectors - first) * j) / parts)) * 16;
    const seq = (this.seq = (this.seq + 1) | 0);
    const pending = this.workers.map((t, j) => t.run(id, module, cut(j), cut(j + 1), planeBytes, seq));
    local(0, first * 16, planeBytes);
    afterLocal?.(first * 16);
    const workersDone = this.workers.every((_, j) => Atomics.load(this.done, j) === seq);
    await Promise.all(pending);
    return workersDone;
  }

  /** The threads drop their instance of kernel `id`. */
  unload(id: number): void {
    for (const t of this.workers) t.unload(id);
  }

  async dispose(): Promise<void> {
    await Promise.all(this.workers.map((t) => t.terminate()));
  }
}
