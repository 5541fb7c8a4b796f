/**
 * The host's side of the worker channel: sends typed requests, matches answers by id, keeps
 * only the newest request per view (a dragged slider must not queue hundreds of evaluations),
 * and restarts a worker that dies, failing its requests with a message instead of hanging.
 * It knows nothing of VS Code, so the integration tests drive it directly.
 */
import { Worker } from 'node:worker_threads';
import {
  isWorkerMessage,
  type BackendName,
  type LiveTraining,
  type LossDiagnostic,
  type WorkerMessage,
  type WorkerOptions,
  type WorkerRequest,
  type WorkerRequestType,
  type WorkerResults,
} from '../protocol';
import { resolveRunLimits, workerMemoryMessage } from '../core/runLimits';

export type Outcome<T> =
  | { readonly status: 'ok'; readonly result: T }
  | { readonly status: 'failed'; readonly message: string; readonly diagnostics?: readonly LossDiagnostic[] }
  | { readonly status: 'cancelled' };

/** The fraction done so far and what is running; an experiment adds its training curve so far. */
export type ProgressListener = (fraction: number, message: string, live?: LiveTraining) => void;

export type RequestOf<K extends WorkerRequestType> = Omit<Extract<WorkerRequest, { type: K }>, 'id'>;

export interface WorkerEvents {
  /** The thread is starting (the first time, or again after a crash or a restart). */
  readonly onStart?: () => void;
  /** The worker started (again) on this backend; `notice` says why it is not the one asked for. */
  readonly onReady?: (backend: BackendName, notice?: string, engine?: string) => void;
  /** The worker died; it is being restarted and in-flight requests were failed. */
  readonly onCrash?: (message: string) => void;
}

export interface PendingRequest<T> {
  readonly id: number;
  readonly promise: Promise<Outcome<T>>;
  cancel(): void;
}

/**
 * How the thread is launched beyond its options: the fault tests preload a fault injector with
 * `execArgv` (`--require`), so that no test hook is needed in the worker or its protocol.
 */
export interface WorkerLaunch {
  readonly execArgv?: readonly string[];
  /**
   * Start the thread at the first request (or `ready()`), not at construction: VS Code activates
   * LossLab for every Python, TypeScript and Markdown file, and most of them hold no loss.
   */
  readonly lazy?: boolean;
}

/** A worker that dies this many times in a row before it is ready is not started again. */
const CRASHES_BEFORE_READY_TOLERATED = 3;

interface InFlight {
  readonly view: string;
  readonly settle: (o: Outcome<unknown>) => void;
  readonly onProgress?: ProgressListener;
}

export class WorkerClient {
  private worker: Worker | undefined;
  private nextId = 1;
  private readonly inFlight = new Map<number, InFlight>();
  private readonly newestByView = new Map<string, number>();
  private disposed = false;
  private restarts = 0;
  private backend: BackendName | undefined;
  private readyWaiters: ((b: BackendName) => void)[] = [];
  private crashesBeforeReady = 0;
  private everStarted = false;
  /** Why the worker was given up on after crashing at start; requests fail with it until `restart`. */
  private halted: string | undefined;

  constructor(
    private readonly script: string,
    private options: WorkerOptions,
    private readonly events: WorkerEvents = {},
    private readonly launch: WorkerLaunch = {},
  ) {
    if (!launch.lazy) this.start();
  }

  /** Whether the thread has been started (a lazy client starts at its first request). */
  get started(): boolean {
    return this.everStarted;
  }

  private ensureStarted(): void {
    if (!this.everStarted && !this.disposed) this.start();
  }

  get restartCount(): number {
    return this.restarts;
  }

  /** True once the worker kept dying before it was ready and was not started again. */
  get givenUp(): boolean {
    return this.halted !== undefined;
  }

  /** Resolves with the backend once the worker has started it. */
  ready(): Promise<BackendName> {
    this.ensureStarted();
    if (this.backend !== undefined) return Promise.resolve(this.backend);
    return new Promise((resolve) => this.readyWaiters.push(resolve));
  }

  request<K extends WorkerRequestType>(req: RequestOf<K>, onProgress?: ProgressListener): PendingRequest<WorkerResults[K]> {
    const id = this.nextId++;
    if (this.halted !== undefined) return { id, promise: Promise.resolve({ status: 'failed', message: this.halted }), cancel: () => undefined };
    this.ensureStarted();
    const previous = this.newestByView.get(req.view);
    if (previous !== undefined) this.cancel(previous);
    this.newestByView.set(req.view, id);
    const promise = new Promise<Outcome<WorkerResults[K]>>((resolve) => {
      const settle = (o: Outcome<unknown>): void => resolve(o as Outcome<WorkerResults[K]>);
      this.inFlight.set(id, { view: req.view, settle, ...(onProgress ? { onProgress } : {}) });
    });
    this.post({ ...req, id } as WorkerRequest);
    return { id, promise, cancel: () => this.cancel(id) };
  }

  /** Restarts the worker, e.g. with another backend. In-flight requests are cancelled. */
  restart(options: WorkerOptions): void {
    this.options = options;
    this.backend = undefined;
    this.halted = undefined;
    this.crashesBeforeReady = 0;
    this.failAll({ status: 'cancelled' });
    const old = this.worker;
    this.worker = undefined;
    void old?.terminate();
    // A lazy client that has not started yet starts later, with these options.
    if (this.everStarted) this.start();
  }

  /** Ends the worker thread as a crash would; the tests use it to prove recovery. */
  simulateCrash(): Promise<number> {
    return this.worker?.terminate() ?? Promise.resolve(0);
  }

  dispose(): Promise<void> {
    this.disposed = true;
    this.failAll({ status: 'cancelled' });
    const w = this.worker;
    this.worker = undefined;
    return w ? w.terminate().then(() => undefined) : Promise.resolve();
  }

  private cancel(id: number): void {
    const entry = this.inFlight.get(id);
    if (!entry) return;
    this.inFlight.delete(id);
    if (this.newestByView.get(entry.view) === id) this.newestByView.delete(entry.view);
    entry.settle({ status: 'cancelled' });
    this.post({ type: 'cancel', id });
  }

  private post(msg: WorkerRequest): void {
    this.worker?.postMessage(msg);
  }

  private start(): void {
    this.everStarted = true;
    this.events.onStart?.();
    const worker = new Worker(this.script, {
      workerData: this.options,
      // Node ends a thread over this with ERR_WORKER_OUT_OF_MEMORY instead of the whole extension host.
      resourceLimits: { maxOldGenerationSizeMb: resolveRunLimits(this.options.limits).workerMemoryMb },
      ...(this.launch.execArgv ? { execArgv: [...this.launch.execArgv] } : {}),
    });
    this.worker = worker;
    worker.on('message', (m: unknown) => {
      if (worker === this.worker && isWorkerMessage(m)) this.receive(m);
    });
    worker.on('error', (e: Error & { code?: unknown }) => {
      if (worker !== this.worker) return;
      if (e.code === 'ERR_WORKER_OUT_OF_MEMORY') this.crashed(workerMemoryMessage(resolveRunLimits(this.options.limits)));
      else this.crashed(`the LossLab worker failed: ${e.message}`);
    });
    worker.on('exit', (code) => {
      if (worker === this.worker && !this.disposed) this.crashed(`the LossLab worker stopped (exit code ${code})`);
    });
  }

  private crashed(message: string): void {
    this.worker = undefined;
    this.backend = undefined;
    if (++this.crashesBeforeReady > CRASHES_BEFORE_READY_TOLERATED) {
      this.halted = `${message}; it stopped ${this.crashesBeforeReady} times in a row before it was ready and was not restarted (change a setting to try again)`;
      this.failAll({ status: 'failed', message: this.halted });
      this.events.onCrash?.(this.halted);
      return;
    }
    this.failAll({ status: 'failed', message: `${message}; it was restarted, run the request again` });
    this.events.onCrash?.(message);
    if (this.disposed) return;
    this.restarts++;
    this.start();
  }

  private failAll(o: Outcome<never>): void {
    const entries = [...this.inFlight.values()];
    this.inFlight.clear();
    this.newestByView.clear();
    for (const e of entries) e.settle(o);
  }

  private receive(m: WorkerMessage): void {
    if (m.type === 'ready') {
      this.backend = m.backend;
      this.crashesBeforeReady = 0;
      this.events.onReady?.(m.backend, m.notice, m.engine);
      const waiters = this.readyWaiters;
      this.readyWaiters = [];
      for (const w of waiters) w(m.backend);
      return;
    }
    const entry = this.inFlight.get(m.id);
    if (!entry) return;
    if (m.type === 'progress') {
      entry.onProgress?.(m.fraction, m.message, m.live);
      return;
    }
    this.inFlight.delete(m.id);
    if (this.newestByView.get(entry.view) === m.id) this.newestByView.delete(entry.view);
    if (m.type === 'result') entry.settle({ status: 'ok', result: m.result });
    else if (m.type === 'failed') entry.settle({ status: 'failed', message: m.message, ...(m.diagnostics ? { diagnostics: m.diagnostics } : {}) });
    else entry.settle({ status: 'cancelled' });
  }
}
