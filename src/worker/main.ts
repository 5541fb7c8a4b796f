/**
 * The worker thread: every evaluation runs here, never on the extension host. Requests are
 * queued and run one at a time; a request cancelled (or superseded by a newer one for the same
 * view) before it starts is dropped, and one cancelled while running is answered `cancelled`.
 * Questions about a document's text (diagnostics, completion, hover, ...) skip the queue.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { analyzeDocumentText, findLoss, type FindLossResult } from '../core/analyze';
import { runChecks } from '../core/checks/suite';
import { exportWithVerdicts } from '../core/export/withVerdicts';
import { probeBackend, startBackend, startNextBackend, tensorMemory, type StartedBackend } from '../core/engine/backend';
import { computeBatchViews } from '../core/engine/batchViews';
import { computeCurves } from '../core/engine/curves';
import { isCurveDirection } from '../core/engine/curveDirection';
import { computeLandscape } from '../core/engine/landscape';
import type { Executor } from '../core/engine/executor';
import { evaluatePoint } from '../core/engine/point';
import { chooseKernels } from '../core/engine/kernels';
import { tensorExecutor } from '../core/engine/tensor';
import { runExperiment } from '../core/experiments/experiment';
import { executorEngine } from '../core/experiments/programEngine';
import type { ExperimentRun } from '../core/experiments/report';
import { curvePointsError, landscapeResolutionError, resolveRunLimits, startDeadline, type Deadline } from '../core/runLimits';
import { LANGUAGE_REQUEST_TYPES, type LanguageRequest, type WorkerMessage, type WorkerOptions, type WorkerRequest } from '../protocol';
import { answerLanguageRequest } from './language';
import { libraryLosses } from './library';

type Job = Exclude<WorkerRequest, { type: 'cancel' } | { type: 'library' } | { type: 'memory' } | LanguageRequest>;

const port = parentPort;
if (!port) throw new Error('src/worker/main.ts must run in a worker thread');
const options = (workerData ?? {}) as WorkerOptions;
const send = (m: WorkerMessage): void => port.postMessage(m);

/** The `losslab.limits.*` settings: the language's are applied to every text read, the rest per request. */
const checkOptions = { limits: options.limits ?? {} };
const runLimits = resolveRunLimits(options.limits);

async function useBackend(started: StartedBackend): Promise<Executor> {
  const kernels = await chooseKernels(tensorExecutor(started.tf, started.backend), options.kernels);
  const notice = [started.notice, kernels.notice].filter((n) => n !== undefined).join('; ');
  send({ type: 'ready', backend: started.backend, engine: kernels.engine, ...(notice ? { notice } : {}) });
  return kernels.executor;
}

// Replaced when the backend breaks mid-session (`runOnWorkingBackend`).
let executorReady: Promise<Executor> = startBackend(options.backend).then(useBackend);

// Lowering is cheap but not free; a dragged slider re-evaluates the same text many times.
const lowered = new Map<string, FindLossResult>();
function loweredLoss(text: string, name: string): FindLossResult {
  const key = `${name}\u0000${text}`;
  let found = lowered.get(key);
  if (!found) {
    found = findLoss(text, name, checkOptions);
    if (lowered.size >= 16) lowered.delete(lowered.keys().next().value as string);
    lowered.set(key, found);
  }
  return found;
}

// Experiment runs by (loss program, params, setup, seed): reopening an experiment is instant.
const experimentRuns = new Map<string, ExperimentRun>();
const EXPERIMENT_RUNS_KEPT = 256;

const queue: Job[] = [];
const cancelled = new Set<number>();
let running = false;
let runningId: number | undefined;

async function run(job: Job, executor: Executor): Promise<WorkerMessage> {
  const found = loweredLoss(job.text, job.loss);
  if (!found.ok) return { type: 'failed', id: job.id, message: found.diagnostics[0]?.message ?? 'the loss has errors', diagnostics: found.diagnostics };
  const loss = found.loss;
  const answer = <T>(r: { ok: true; value: T } | { ok: false; message: string } | undefined, wrap: (v: T) => WorkerMessage): WorkerMessage => {
    if (r === undefined) return { type: 'cancelled', id: job.id };
    return r.ok ? wrap(r.value) : { type: 'failed', id: job.id, message: r.message };
  };
  switch (job.type) {
    case 'curves': {
      const tooFine = curvePointsError(job.points, runLimits);
      if (tooFine) return { type: 'failed', id: job.id, message: tooFine };
      // The host's request crossed a thread: a direction is checked before it reaches the core.
      if (job.direction !== undefined && !isCurveDirection(job.direction))
        return { type: 'failed', id: job.id, message: `unknown curve direction '${String(job.direction)}'` };
      const curves = await computeCurves(executor, loss, job.params, job.points, job.range, job.direction);
      return answer(curves, (result) => ({ type: 'result', id: job.id, result }));
    }
    case 'landscape': {
      const tooFine = landscapeResolutionError(job.resolution, runLimits);
      if (tooFine) return { type: 'failed', id: job.id, message: tooFine };
      const r = await computeLandscape(executor, loss, job.params, {
        resolution: job.resolution,
        ...(job.x !== undefined ? { x: job.x } : {}),
        ...(job.y !== undefined ? { y: job.y } : {}),
        ...(job.inputRange ? { inputRange: job.inputRange } : {}),
      });
      return answer(r, (result) => ({ type: 'result', id: job.id, result }));
    }
    case 'batch':
      return answer(await computeBatchViews(executor, loss, job.params), (result) => ({ type: 'result', id: job.id, result }));
    case 'point':
      return answer(await evaluatePoint(executor, loss, job.params, job.at), (result) => ({ type: 'result', id: job.id, result }));
    case 'check': {
      const deadline = startDeadline('checkSeconds', `the checks of '${job.loss}'`, runLimits);
      const r = await runChecks(executor, loss, job.params, {
        ...(job.only ? { only: job.only } : {}),
        onProgress: (fraction, message) => send({ type: 'progress', id: job.id, fraction, message }),
        isCancelled: () => cancelled.has(job.id) || deadline.expired(),
      });
      return answer(overBudget(r, job.id, deadline), (result) => ({ type: 'result', id: job.id, result }));
    }
    case 'export': {
      const r = await exportWithVerdicts(executor, job.text, loss, {
        target: job.target,
        params: job.params,
        ...(job.reduction ? { reduction: job.reduction } : {}),
        file: job.file,
      });
      return answer(r, (code) => ({ type: 'result', id: job.id, result: { code } }));
    }
    case 'experiment': {
      const tooFine = job.setup.landscape ? landscapeResolutionError(job.setup.resolution ?? 0, runLimits) : undefined;
      if (tooFine) return { type: 'failed', id: job.id, message: tooFine };
      const deadline = startDeadline('experimentSeconds', 'the experiment', runLimits);
      const r = await runExperiment(
        executorEngine(executor),
        { text: job.text, loss: job.loss, with: job.with ?? [], params: job.params, setup: job.setup },
        {
          onProgress: (fraction, message, live) => send({ type: 'progress', id: job.id, fraction, message, ...(live ? { live } : {}) }),
          isCancelled: () => cancelled.has(job.id) || deadline.expired(),
          cache: experimentRuns,
        },
      );
      for (const key of experimentRuns.keys()) if (experimentRuns.size > EXPERIMENT_RUNS_KEPT) experimentRuns.delete(key);
      return answer(overBudget(r, job.id, deadline), (result) => ({ type: 'result', id: job.id, result }));
    }
  }
}

/** A run stopped by its time budget (not by a cancel) fails with the budget's message. */
function overBudget<T>(r: T | undefined, id: number, deadline: Deadline): T | { ok: false; message: string } | undefined {
  return r === undefined && !cancelled.has(id) && deadline.expired() ? { ok: false, message: deadline.message } : r;
}

/**
 * Runs a job; when it throws and the backend no longer computes (`probeBackend`), the next
 * backend is started, the host is told by a `ready` with a notice, and the job runs again there.
 */
async function runOnWorkingBackend(job: Job): Promise<WorkerMessage> {
  const executor = await executorReady;
  try {
    return await run(job, executor);
  } catch (e) {
    const broken = probeBackend();
    if (broken === undefined) throw e;
    const next = await useBackend(await startNextBackend(executor.backend, broken));
    executorReady = Promise.resolve(next);
    return run(job, next);
  }
}

async function pump(): Promise<void> {
  if (running) return;
  running = true;
  await executorReady;
  for (let job = queue.shift(); job !== undefined; job = queue.shift()) {
    if (cancelled.delete(job.id)) {
      send({ type: 'cancelled', id: job.id });
      continue;
    }
    let reply: WorkerMessage;
    runningId = job.id;
    try {
      reply = await runOnWorkingBackend(job);
    } catch (e) {
      reply = internalError(job.id, e);
    }
    runningId = undefined;
    send(cancelled.delete(job.id) ? { type: 'cancelled', id: job.id } : reply);
  }
  running = false;
}

/** A bug in the core must not take the worker down with it: report it and go on. */
function internalError(id: number, e: unknown): WorkerMessage {
  return { type: 'failed', id, message: `internal error: ${e instanceof Error ? e.message : String(e)}` };
}

const isLanguageRequest = (m: WorkerRequest): m is LanguageRequest => (LANGUAGE_REQUEST_TYPES as readonly string[]).includes(m.type);

/**
 * Questions about a document's text take milliseconds and need no backend: they are answered as
 * they arrive, so diagnostics and completion never wait behind a running check.
 */
function answerNow(m: LanguageRequest): void {
  try {
    send({
      type: 'result',
      id: m.id,
      result: m.type === 'analyze' ? analyzeDocumentText(m.text, m.languageId ?? 'loss', checkOptions) : answerLanguageRequest(m),
    });
  } catch (e) {
    send(internalError(m.id, e));
  }
}

port.on('message', (m: WorkerRequest) => {
  if (m.type === 'cancel') {
    const queued = queue.findIndex((j) => j.id === m.id);
    if (queued >= 0) {
      queue.splice(queued, 1);
      send({ type: 'cancelled', id: m.id });
    } else if (m.id === runningId) cancelled.add(m.id);
    // Otherwise it was answered already (the answer and the cancel crossed): nothing to do.
    return;
  }
  if (isLanguageRequest(m)) {
    answerNow(m);
    return;
  }
  if (m.type === 'memory') {
    // Diagnostics: what this thread holds now, answered at once (the leak checks read it between jobs).
    send({ type: 'result', id: m.id, result: { heapUsedBytes: process.memoryUsage().heapUsed, ...tensorMemory() } });
    return;
  }
  if (m.type === 'library') {
    try {
      send({ type: 'result', id: m.id, result: libraryLosses() });
    } catch (e) {
      send(internalError(m.id, e));
    }
    return;
  }
  // A newer request for a view supersedes the queued ones for it.
  for (let i = queue.length - 1; i >= 0; i--) {
    const j = queue[i] as Job;
    if (j.view === m.view) {
      queue.splice(i, 1);
      send({ type: 'cancelled', id: j.id });
    }
  }
  queue.push(m);
  void pump();
});
