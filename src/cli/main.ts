/**
 * `losslab`: the command-line tool over the same core as the extension (README, "Command
 * line"). Exit codes: 0 when it ran, 1 when a check failed under --strict,
 * 2 on bad input, with `file:line:col: message` on stderr.
 */
import katex from 'katex';
import { readFileSync, writeFileSync } from 'node:fs';
import { documentErrors, findLossInDocument, languageIdOfFile } from '../core/documentLoss';
import { compareLosses, findComparisonLoss, type ComparisonEntry } from '../core/compare';
import { runChecks } from '../core/checks/suite';
import { startBackend } from '../core/engine/backend';
import type { Executor } from '../core/engine/executor';
import { computeCurves } from '../core/engine/curves';
import { evaluatePoint } from '../core/engine/point';
import { EXPORT_TARGETS } from '../core/export/exportPlan';
import { exportWithVerdicts } from '../core/export/withVerdicts';
import { chooseKernels } from '../core/engine/kernels';
import { tensorExecutor } from '../core/engine/tensor';
import { runExperiment } from '../core/experiments/experiment';
import { executorEngine } from '../core/experiments/programEngine';
import { formatDiagnostic } from '../core/lang/diagnostics';
import { defaultLibraryDirectory } from '../core/lang/library';
import type { LoweredLoss } from '../core/lang/lower';
import { loadLibrary } from '../core/library/catalogue';
import { renderHtmlReport } from '../core/report/html';
import { landscapeResolutionError, resolveRunLimits, startDeadline } from '../core/runLimits';
import packageJson from '../../package.json';
import { parseCliArgs, type CliOptions } from './args';
import { formatCheckReport, formatComparison, formatLibrary, formatPoint } from './format';
import { formatExperiment, terminalProgress } from './formatExperiment';

const USAGE = `usage:
  losslab --version
  losslab eval   FILE [--loss NAME] [--param k=v]... [--at x=v]... [--precision float64|float32] [--json]
  losslab check  FILE [--loss NAME] [--param k=v]... [--only id,id] [--strict] [--json]
  losslab export FILE [--loss NAME] [--param k=v]... --to ${EXPORT_TARGETS.join('|')} [--reduction mean|sum|none]
  losslab report FILE [--loss NAME] [--param k=v]... [--only id,id] --html OUT.html
  losslab list   [--family F] [--json]
  losslab compare FILE --loss A --with B,C [--param k=v]... [--at x=v]... [--only id,id] [--precision float64|float32] [--json]
  losslab experiment FILE [--loss NAME] [--with B,C] [--dataset blobs|moons|spirals|separable] [--classes K] [--noise R]
                   [--noise-type symmetric|asymmetric] [--imbalance R] [--model linear|mlp] [--hidden 16,16] [--activation relu|tanh]
                   [--optimizer adam|gd] [--lr X] [--epochs N] [--points N] [--seeds N] [--landscape] [--resolution N] [--json]
options: --size NAME=N (repeatable: a batch loss's named sizes, e.g. --size B=64; the file's defaults otherwise)
         --limit NAME=VALUE (repeatable: the losslab.limits.* settings, e.g. --limit checkSeconds=5)
         --backend tensorflow|webgpu|wasm|cpu (default: the best that starts)
         --kernels fused|webgpu|tfjs (default fused: LossLab's WebAssembly SIMD kernels; webgpu: as WGSL on a
                   WebGPU adapter through the optional webgpu package; tfjs: TensorFlow.js alone)`;

const packageVersion: string = packageJson.version;

/** |a - b| / |b|, 0 when both agree exactly (both NaN, the same infinity). */
function relativeDifference(a: number, b: number): number {
  if (Object.is(a, b) || a === b) return 0;
  return Math.abs(a - b) / Math.abs(b);
}

class BadInput extends Error {}

function readLoss(options: CliOptions): LoweredLoss {
  return readSource(options).loss;
}

function readSource(options: CliOptions): { text: string; loss: LoweredLoss } {
  if (options.file === undefined) throw new BadInput(`${options.command} needs a FILE\n${USAGE}`);
  let text: string;
  try {
    text = readFileSync(options.file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new BadInput(`${options.file}: cannot read the file${code === 'ENOENT' ? ': no such file' : code === 'EISDIR' ? ': it is a directory' : ''}`);
  }
  // A .py, .ts or .md file is read as the editor reads it: its loss comments or ```loss blocks.
  const languageId = languageIdOfFile(options.file);
  const errors = documentErrors(text, languageId, { limits: options.limits });
  if (errors.length > 0) throw new BadInput(errors.map((d) => formatDiagnostic(options.file as string, d)).join('\n'));
  const found = findLossInDocument(text, languageId, options.loss, { limits: options.limits, sizes: options.sizes });
  if (!found.ok) throw new BadInput(found.diagnostics.map((d) => formatDiagnostic(options.file as string, d)).join('\n'));
  return { text: found.text, loss: found.loss };
}

async function executor(options: CliOptions): Promise<Executor> {
  const started = await startBackend(options.backend);
  if (started.notice) process.stderr.write(`losslab: ${started.notice}\n`);
  const kernels = await chooseKernels(tensorExecutor(started.tf, started.backend), options.kernels);
  if (kernels.notice) process.stderr.write(`losslab: ${kernels.notice}\n`);
  return kernels.executor;
}

function print(options: CliOptions, json: unknown, human: string): void {
  process.stdout.write(options.json ? `${JSON.stringify(json, null, 2)}\n` : `${human}\n`);
}

async function main(argv: readonly string[]): Promise<number> {
  const parsed = parseCliArgs(argv);
  if (!parsed.ok) throw new BadInput(`${parsed.message}\n${USAGE}`);
  const options = parsed.options;
  switch (options.command) {
    case 'eval': {
      const loss = readLoss(options);
      const exact = await evaluatePoint('float64', loss, options.params, options.at);
      if (!exact.ok) throw new BadInput(`${options.file}: ${exact.message}`);
      if (options.precision !== 'float32') {
        print(options, exact.value, formatPoint(exact.value));
        return 0;
      }
      // What a float32 training run computes, beside the float64 value it should approximate.
      const r = await evaluatePoint(await executor(options), loss, options.params, options.at);
      if (!r.ok) throw new BadInput(`${options.file}: ${r.message}`);
      const difference = relativeDifference(r.value.value, exact.value.value);
      print(
        options,
        { ...r.value, float64_value: exact.value.value, relative_difference: difference },
        formatPoint(r.value, { value: exact.value.value, difference }),
      );
      return 0;
    }
    case 'check': {
      const loss = readLoss(options);
      const deadline = startDeadline('checkSeconds', `the checks of '${loss.info.name}'`, resolveRunLimits(options.limits));
      const r = await runChecks(await executor(options), loss, options.params, {
        ...(options.only ? { only: options.only } : {}),
        isCancelled: deadline.expired,
      });
      if (r === undefined) throw new BadInput(`${options.file}: ${deadline.message}`);
      if (!r.ok) throw new BadInput(`${options.file}: ${r.message}`);
      print(options, r.value, formatCheckReport(r.value));
      return options.strict && r.value.checks.some((c) => c.verdict === 'fail') ? 1 : 0;
    }
    case 'list': {
      const library = loadLibrary(defaultLibraryDirectory());
      if (!library.ok) throw new Error(`the built-in library has errors:\n${library.errors.join('\n')}`);
      const entries = library.entries.filter((e) => options.family === undefined || e.family === options.family);
      if (entries.length === 0)
        throw new BadInput(`no family '${options.family}'; the families are ${[...new Set(library.entries.map((e) => e.family))].join(', ')}`);
      const json = { losses: entries.map((e) => ({ ...e.loss, family: e.family, file: e.file })) };
      print(options, json, formatLibrary(entries));
      return 0;
    }
    case 'compare': {
      if (options.with === undefined) throw new BadInput(`losslab compare needs --with B,C (losses of FILE or of the library)\n${USAGE}`);
      const { text, loss } = readSource(options);
      const entries: ComparisonEntry[] = [{ loss, source: 'file' }];
      for (const name of options.with) {
        const found = findComparisonLoss(text, name, loss.info.classes);
        if (!found.ok)
          throw new BadInput(
            found.result.diagnostics
              .map((d) => (found.source === 'file' ? formatDiagnostic(options.file as string, d) : `--with ${name}: ${d.message}`))
              .join('\n'),
          );
        entries.push(found.entry);
      }
      const r = await compareLosses(await executor(options), entries, options.params, options.at, {
        ...(options.only ? { only: options.only } : {}),
        ...(options.precision ? { precision: options.precision } : {}),
      });
      if (!r.ok) throw new BadInput(`${options.file}: ${r.message}`);
      print(options, r.value, formatComparison(r.value));
      return 0;
    }
    case 'export': {
      if (options.to === undefined) throw new BadInput(`losslab export needs --to ${EXPORT_TARGETS.join('|')}\n${USAGE}`);
      const { text, loss } = readSource(options);
      // The header carries LossLab's verdicts, at the params the exported code defaults to.
      const r = await exportWithVerdicts(await executor(options), text, loss, {
        target: options.to,
        params: options.params,
        ...(options.reduction ? { reduction: options.reduction } : {}),
        file: options.file as string,
      });
      if (!r.ok) throw new BadInput(`${options.file}: ${r.message}`);
      process.stdout.write(r.value);
      return 0;
    }
    case 'experiment': {
      const { text } = readSource(options);
      const limits = resolveRunLimits(options.limits);
      const tooFine = options.experiment?.resolution === undefined ? undefined : landscapeResolutionError(options.experiment.resolution, limits);
      if (tooFine !== undefined) throw new BadInput(tooFine);
      const deadline = startDeadline('experimentSeconds', 'the experiment', limits);
      const progress = options.json ? undefined : terminalProgress();
      const r = await runExperiment(
        executorEngine(await executor(options)),
        {
          text,
          ...(options.loss !== undefined ? { loss: options.loss } : {}),
          with: options.with ?? [],
          params: options.params,
          setup: options.experiment ?? {},
        },
        { ...(progress ? { onProgress: progress } : {}), isCancelled: deadline.expired },
      );
      if (r === undefined) throw new BadInput(`${options.file}: ${deadline.message}`);
      if (!r.ok)
        throw new BadInput(
          r.diagnostics?.length ? r.diagnostics.map((d) => formatDiagnostic(options.file as string, d)).join('\n') : `${options.file}: ${r.message}`,
        );
      print(options, r.value, formatExperiment(r.value));
      return 0;
    }
    case 'report': {
      if (options.html === undefined) throw new BadInput(`losslab report needs --html OUT.html\n${USAGE}`);
      const loss = readLoss(options);
      const ex = await executor(options);
      const curves = await computeCurves(ex, loss, options.params, 200);
      if (!curves.ok) throw new BadInput(`${options.file}: ${curves.message}`);
      const deadline = startDeadline('checkSeconds', `the checks of '${loss.info.name}'`, resolveRunLimits(options.limits));
      const checks = await runChecks(ex, loss, options.params, { ...(options.only ? { only: options.only } : {}), isCancelled: deadline.expired });
      if (checks === undefined) throw new BadInput(`${options.file}: ${deadline.message}`);
      if (!checks.ok) throw new BadInput(`${options.file}: ${checks.message}`);
      const html = renderHtmlReport(
        {
          file: options.file as string,
          curves: curves.value,
          checks: checks.value,
          ...(loss.info.cite !== undefined ? { cite: loss.info.cite } : {}),
          ...(loss.info.description !== undefined ? { description: loss.info.description } : {}),
        },
        (latex) => katex.renderToString(latex, { output: 'mathml', throwOnError: false, trust: false, maxExpand: 1000 }),
      );
      try {
        writeFileSync(options.html, html);
      } catch (e) {
        throw new BadInput(`${options.html}: cannot write the report: ${e instanceof Error ? e.message : String(e)}`);
      }
      process.stderr.write(`losslab: wrote ${options.html}\n`);
      return options.strict && checks.value.checks.some((c) => c.verdict === 'fail') ? 1 : 0;
    }
    case 'help':
      process.stdout.write(`${USAGE}\n`);
      return 0;
    case 'version':
      process.stdout.write(`losslab ${packageVersion}\n`);
      return 0;
    default:
      throw new BadInput(options.command === '' ? USAGE : `unknown command '${options.command}'\n${USAGE}`);
  }
}

// tfjs may print advice on stdout; stdout is reserved for the result (JSON readers rely on it).
console.log = (...args: unknown[]) => process.stderr.write(`${args.map(String).join(' ')}\n`);

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    if (e instanceof BadInput) {
      process.stderr.write(`${e.message}\n`);
      process.exitCode = 2;
    } else {
      process.stderr.write(`losslab: internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
      process.exitCode = 3;
    }
  },
);
