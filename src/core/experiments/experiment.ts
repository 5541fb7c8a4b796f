/**
 * An experiment: every loss trained on the same data, from the same initial weights, once per
 * seed, then the mean and spread over seeds. A run is cached by what determines it (the loss's
 * program, its params, the setup and the seed), so reopening an experiment, or adding a loss to
 * a comparison, recomputes only what is new.
 */
import type { Resolved } from '../engine/point';
import { resolveParams } from '../engine/point';
import { lowerToProgram } from '../ir/program';
import type { CheckOptions } from '../lang/check';
import type { LossDiagnostic } from '../lang/diagnostics';
import type { LoweredLoss } from '../lang/lower';
import { makeExperimentData, streamRandom, type ExperimentData } from './experimentData';
import { findExperimentLosses } from './losses';
import { accuracy, expectedCalibrationError, predict } from './metrics';
import { hessianAt, landscapeAt } from './minimum';
import { forward, initialParameters, modelOutput, modelShape, type ModelShape } from './model';
import { compileObjective } from './objective';
import type { ProgramEngine } from './programEngine';
import type { ExperimentReport, ExperimentRun, ExperimentSummary, Spread } from './report';
import { EmpiricalRisk } from './risk';
import { resolveSetup, type ExperimentSetup, type ExperimentSetupInput } from './setup';
import { train } from './train';

export interface ExperimentRequest {
  readonly text: string;
  /** The file's loss to train (its first loss when absent). */
  readonly loss?: string;
  /** Losses to compare with it: the file's, else the library's. */
  readonly with?: readonly string[];
  /** Each applies to every loss that has a param of that name. */
  readonly params?: Readonly<Record<string, number>>;
  readonly setup?: ExperimentSetupInput;
}

/** A run's training curve so far, for live plots. */
export interface LiveTraining {
  readonly loss: string;
  readonly seed: number;
  readonly train_loss: readonly number[];
}

export interface ExperimentOptions {
  readonly onProgress?: (fraction: number, message: string, live?: LiveTraining) => void;
  /** Polled between epochs and between landscape rows; a cancelled experiment returns undefined. */
  readonly isCancelled?: () => boolean;
  readonly cache?: Map<string, ExperimentRun>;
  readonly checkOptions?: CheckOptions;
}

export type ExperimentResult = (Resolved<ExperimentReport> & { diagnostics?: readonly LossDiagnostic[] }) | undefined;

/** Live curves are sent at most this often. */
const PROGRESS_EVERY_MS = 100;

export async function runExperiment(engine: ProgramEngine, request: ExperimentRequest, options: ExperimentOptions = {}): Promise<ExperimentResult> {
  const started = performance.now();
  const resolved = resolveSetup(request.setup ?? {});
  if (!resolved.ok) return resolved;
  const setup = resolved.setup;
  const found = findExperimentLosses(request.text, request.loss, request.with ?? [], setup.classes, options.checkOptions);
  if (!found.ok) return { ok: false, message: found.message, ...(found.diagnostics ? { diagnostics: found.diagnostics } : {}) };
  const { losses, classes } = found;
  if (setup.points < 2 * classes || setup.testPoints < classes)
    return { ok: false, message: `${classes} classes need at least ${2 * classes} training points and ${classes} test points` };
  const params = request.params ?? {};
  const unknown = Object.keys(params).filter((name) => !losses.some(({ loss }) => loss.params.some((p) => p.decl.name === name)));
  if (unknown.length > 0) return { ok: false, message: `no loss of the experiment has a param ${unknown.map((n) => `'${n}'`).join(', ')}` };
  const resolvedParams: Record<string, number>[] = [];
  for (const { loss } of losses) {
    const own = Object.fromEntries(Object.entries(params).filter(([name]) => loss.params.some((p) => p.decl.name === name)));
    const p = resolveParams(loss, own);
    if (!p.ok) return p;
    resolvedParams.push(p.value);
  }

  const dataBySeed = new Map<number, ExperimentData>();
  const dataFor = (seed: number): ExperimentData => {
    let data = dataBySeed.get(seed);
    if (!data) dataBySeed.set(seed, (data = makeExperimentData(setup, classes, seed)));
    return data;
  };
  const total = losses.length * setup.seeds.length;
  const runs: ExperimentRun[] = [];
  for (const [l, { loss }] of losses.entries()) {
    const lossParams = resolvedParams[l] as Record<string, number>;
    for (const [s, seed] of setup.seeds.entries()) {
      const index = runs.length;
      // A run is what it computes: with or without its landscape, whatever asked for it.
      const { landscapeSeeds, ...shared } = setup;
      const runSetup: ExperimentSetup = { ...shared, landscape: setup.landscape && (landscapeSeeds === undefined || s < landscapeSeeds) };
      const key = cacheKey(engine, loss, lossParams, { ...runSetup, classes }, seed);
      const cached = options.cache?.get(key);
      if (cached) {
        runs.push({ ...cached, loss: loss.info.name });
        continue;
      }
      const report = (fraction: number, message: string, live?: LiveTraining) =>
        options.onProgress?.((index + fraction) / total, `${loss.info.name}, seed ${seed}: ${message}`, live);
      const run = await trainAndMeasure(engine, loss, lossParams, runSetup, dataFor(seed), seed, { ...options, onProgress: report });
      if (!run) return undefined;
      options.cache?.set(key, run);
      runs.push(run);
    }
  }
  options.onProgress?.(1, 'done');
  return {
    ok: true,
    value: {
      losses: losses.map(({ loss, source }, l) => ({
        name: loss.info.name,
        kind: loss.info.kind,
        source,
        params: resolvedParams[l] as Record<string, number>,
      })),
      setup,
      classes,
      engine: engine.name,
      data: setup.seeds.map((seed) => {
        const data = dataFor(seed);
        const counts = new Array<number>(classes).fill(0);
        for (const y of data.cleanTrainLabels) counts[y] = (counts[y] as number) + 1;
        return { seed, class_counts: counts, flipped: data.flippedFraction };
      }),
      runs,
      summary: losses.map(({ loss }) => summarize(loss.info.name, runs)),
      elapsed_ms: performance.now() - started,
    },
  };
}

function cacheKey(engine: ProgramEngine, loss: LoweredLoss, params: Readonly<Record<string, number>>, setup: ExperimentSetup, seed: number): string {
  // The loss's program, not its name: the same formula in two files is the same run.
  const program = lowerToProgram(loss.graph, [loss.value]).instructions;
  const { seeds: _seeds, ...rest } = setup;
  return JSON.stringify([engine.name, program, params, rest, seed]);
}

async function trainAndMeasure(
  engine: ProgramEngine,
  loss: LoweredLoss,
  params: Readonly<Record<string, number>>,
  setup: ExperimentSetup,
  data: ExperimentData,
  seed: number,
  options: ExperimentOptions,
): Promise<ExperimentRun | undefined> {
  const started = performance.now();
  const objective = compileObjective(engine, loss, params);
  const shape: ModelShape = modelShape(data.train.dims, setup.hidden, objective.outputs, setup.activation);
  const risk = new EmpiricalRisk(shape, objective, data.train.x, data.train.rows, data.train.labels);
  const initial = initialParameters(shape, streamRandom(seed, 'init'));
  // Training takes this share of the progress bar when the minimum is analysed afterwards.
  const trainingShare = setup.landscape ? 0.5 : 1;
  const curve: number[] = [];
  let lastProgress = 0;
  const trained = await train(risk, initial, {
    optimizer: setup.optimizer,
    lr: setup.lr,
    epochs: setup.epochs,
    ...(options.isCancelled ? { isCancelled: options.isCancelled } : {}),
    onEpoch: (epoch, value) => {
      curve.push(value);
      const now = performance.now();
      if (now - lastProgress < PROGRESS_EVERY_MS && epoch < setup.epochs - 1) return;
      lastProgress = now;
      options.onProgress?.((trainingShare * (epoch + 1)) / setup.epochs, `epoch ${epoch + 1} of ${setup.epochs}`, {
        loss: loss.info.name,
        seed,
        train_loss: curve,
      });
    },
  });
  if (!trained) return undefined;
  const { theta } = trained;

  const trainOut = modelOutput(forward(shape, theta, data.train.x, data.train.rows));
  const trainPredicted = predict(trainOut, data.train.rows, shape.outputs).predicted;
  const testPredictions = predict(modelOutput(forward(shape, theta, data.test.x, data.test.rows)), data.test.rows, shape.outputs);
  const measured = {
    loss: loss.info.name,
    seed,
    train_loss: trained.trainLoss,
    ...(trained.divergedAt !== undefined ? { diverged_at: trained.divergedAt } : {}),
    train: { accuracy: accuracy(trainPredicted, data.train.labels), clean_accuracy: accuracy(trainPredicted, data.cleanTrainLabels) },
    test: { accuracy: accuracy(testPredictions.predicted, data.test.labels), ece: expectedCalibrationError(testPredictions, data.test.labels) },
  };
  if (!setup.landscape || trained.divergedAt !== undefined) return { ...measured, elapsed_ms: performance.now() - started };

  const analysis = {
    resolution: setup.resolution,
    span: setup.span,
    directions: streamRandom(seed, 'directions'),
    probes: streamRandom(seed, 'hessian'),
    ...(options.isCancelled ? { isCancelled: options.isCancelled } : {}),
  };
  options.onProgress?.(trainingShare, 'Hessian spectrum');
  const hessian = await hessianAt(risk, theta, analysis);
  if (!hessian) return undefined;
  options.onProgress?.(trainingShare + (1 - trainingShare) / 3, `landscape ${setup.resolution}×${setup.resolution}`);
  const landscape = await landscapeAt(risk, initial, theta, analysis);
  if (!landscape) return undefined;
  return { ...measured, hessian, landscape, elapsed_ms: performance.now() - started };
}

function spread(xs: readonly number[]): Spread {
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  const std = xs.length > 1 ? Math.sqrt(xs.reduce((s, x) => s + (x - mean) ** 2, 0) / (xs.length - 1)) : 0;
  return { mean, std };
}

function summarize(name: string, runs: readonly ExperimentRun[]): ExperimentSummary {
  const own = runs.filter((r) => r.loss === name);
  const hessians = own.flatMap((r) => (r.hessian ? [r.hessian] : []));
  return {
    loss: name,
    runs: own.length,
    test_accuracy: spread(own.map((r) => r.test.accuracy)),
    test_ece: spread(own.map((r) => r.test.ece)),
    final_train_loss: spread(own.map((r) => r.train_loss[r.train_loss.length - 1] as number)),
    clean_train_accuracy: spread(own.map((r) => r.train.clean_accuracy)),
    ...(hessians.length > 0
      ? { top_eigenvalue: spread(hessians.map((h) => h.top_eigenvalues[0] as number)), trace: spread(hessians.map((h) => h.trace)) }
      : {}),
  };
}
