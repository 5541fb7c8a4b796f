/**
 * `losslab`: the command-line tool over the same core as the extension (PRODUCT.md,
 * "Command-line contract"). Exit codes: 0 when it ran, 1 when a check failed under --strict,
 * 2 on bad input, with `file:line:col: message` on stderr.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { findLoss } from '../core/analyze';
import { runChecks } from '../core/checks/suite';
import { startBackend } from '../core/engine/backend';
import type { Executor } from '../core/engine/executor';
import { evaluatePoint } from '../core/engine/point';
import { tensorExecutor } from '../core/engine/tensor';
import { formatDiagnostic } from '../core/lang/diagnostics';
import type { LoweredLoss } from '../core/lang/lower';
import { loadLibrary } from '../core/library/catalogue';
import { parseCliArgs, type CliOptions } from './args';
import { formatCheckReport, formatLibrary, formatPoint } from './format';

const USAGE = `usage:
  losslab eval   FILE [--loss NAME] [--param k=v]... [--at x=v]... [--json]
  losslab check  FILE [--loss NAME] [--param k=v]... [--only id,id] [--strict] [--json]
  losslab list   [--json]
options: --backend tensorflow|webgpu|wasm|cpu (default: the best that starts)`;

class BadInput extends Error {}

function readLoss(options: CliOptions): LoweredLoss {
  if (options.file === undefined) throw new BadInput(`${options.command} needs a FILE\n${USAGE}`);
  let text: string;
  try {
    text = readFileSync(options.file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new BadInput(`${options.file}: cannot read the file${code === 'ENOENT' ? ': no such file' : code === 'EISDIR' ? ': it is a directory' : ''}`);
  }
  const found = findLoss(text, options.loss);
  if (!found.ok) throw new BadInput(found.diagnostics.map((d) => formatDiagnostic(options.file as string, d)).join('\n'));
  return found.loss;
}

async function executor(options: CliOptions): Promise<Executor> {
  const started = await startBackend(options.backend);
  if (started.notice) process.stderr.write(`losslab: ${started.notice}\n`);
  return tensorExecutor(started.tf, started.backend);
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
      const r = await evaluatePoint(await executor(options), loss, options.params, options.at);
      if (!r.ok) throw new BadInput(`${options.file}: ${r.message}`);
      print(options, r.value, formatPoint(r.value));
      return 0;
    }
    case 'check': {
      const loss = readLoss(options);
      const r = await runChecks(await executor(options), loss, options.params, options.only ? { only: options.only } : {});
      if (r === undefined) return 0;
      if (!r.ok) throw new BadInput(`${options.file}: ${r.message}`);
      print(options, r.value, formatCheckReport(r.value));
      return options.strict && r.value.checks.some((c) => c.verdict === 'fail') ? 1 : 0;
    }
    case 'list': {
      const library = loadLibrary(join(__dirname, '..', 'library'));
      if (!library.ok) throw new Error(`the built-in library has errors:\n${library.errors.join('\n')}`);
      const json = { losses: library.entries.map((e) => ({ ...e.loss, family: e.family, file: e.file })) };
      print(options, json, formatLibrary(library.entries));
      return 0;
    }
    case 'export':
    case 'report':
      throw new BadInput(`losslab ${options.command} is not available yet in this version`);
    case 'help':
      process.stdout.write(`${USAGE}\n`);
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
