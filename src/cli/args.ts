/** Command-line arguments of `losslab`, parsed into values or a message saying what is wrong. */
import { parseArgs } from 'node:util';
import { BACKEND_NAMES, type BackendName } from '../core/engine/executor';
import { KERNEL_CHOICES, type KernelChoice } from '../core/engine/kernelChoice';
import type { InputValue } from '../core/engine/point';
import { EXPORT_TARGETS, isExportTarget, isReduction, REDUCTIONS, type ExportTarget, type Reduction } from '../core/export/exportPlan';
import type { ExperimentSetupInput } from '../core/experiments/setup';
import { EXPERIMENT_FLAGS, experimentSetupFromFlags } from './experimentArgs';
import { parseLimits, type CliLimits } from './limitArgs';

export interface CliOptions {
  readonly command: string;
  readonly file?: string;
  readonly loss?: string;
  readonly params: Record<string, number>;
  readonly at: Record<string, InputValue>;
  /** `--size B=64`: a batch loss's named sizes. */
  readonly sizes: Record<string, number>;
  readonly only?: string[];
  /** compare: the losses to set beside --loss (the file's, else the library's). */
  readonly with?: string[];
  /** list: only this family (a library file's name). */
  readonly family?: string;
  readonly json: boolean;
  readonly strict: boolean;
  readonly backend?: BackendName;
  /** Fused WebAssembly kernels (default) or TensorFlow.js alone. */
  readonly kernels?: KernelChoice;
  /** `--limit NAME=VALUE`: the `losslab.limits.*` settings for this run. */
  readonly limits: CliLimits;
  readonly to?: ExportTarget;
  /** report: where to write the HTML page. */
  readonly html?: string;
  readonly reduction?: Reduction;
  /** eval and compare: the numbers in float64 (the default) or as a float32 run computes them. */
  readonly precision?: 'float64' | 'float32';
  /** experiment: the setup its flags give (--dataset, --noise, --epochs, ...). */
  readonly experiment?: ExperimentSetupInput;
}

export type ParsedArgs = { ok: true; options: CliOptions } | { ok: false; message: string };

/** `k=v` with v a number or a vector `[a, b, c]`. */
function parseAssignment(text: string, flag: string, vectors: boolean): [string, InputValue] | string {
  const m = /^([A-Za-z_][A-Za-z0-9_]*)=(.+)$/.exec(text);
  if (!m) return `${flag} expects name=value, got '${text}'`;
  const [, name, raw] = m as unknown as [string, string, string];
  const v = raw.trim();
  if (vectors && v.startsWith('[')) {
    const items = v
      .replace(/^\[|\]$/g, '')
      .split(',')
      .map((s) => Number(s.trim()));
    if (!v.endsWith(']') || items.some((x) => !Number.isFinite(x))) return `${flag} ${name}: '${v}' is not a vector of numbers like [1, 0, -1]`;
    return [name, items];
  }
  const x = Number(v);
  if (v === '' || !Number.isFinite(x)) return `${flag} ${name}: '${v}' is not a finite number`;
  return [name, x];
}

export function parseCliArgs(argv: readonly string[]): ParsedArgs {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        loss: { type: 'string' },
        param: { type: 'string', multiple: true },
        at: { type: 'string', multiple: true },
        size: { type: 'string', multiple: true },
        only: { type: 'string' },
        with: { type: 'string' },
        family: { type: 'string' },
        json: { type: 'boolean', default: false },
        strict: { type: 'boolean', default: false },
        backend: { type: 'string' },
        kernels: { type: 'string' },
        limit: { type: 'string', multiple: true },
        to: { type: 'string' },
        reduction: { type: 'string' },
        precision: { type: 'string' },
        html: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
        version: { type: 'boolean', short: 'v', default: false },
        ...EXPERIMENT_FLAGS,
      },
    });
  } catch (e) {
    return { ok: false, message: argumentErrorMessage(e) };
  }
  const { values, positionals } = parsed;
  const [command = values.help ? 'help' : values.version ? 'version' : '', file] = positionals;
  if (positionals.length > 2) return { ok: false, message: `unexpected argument '${positionals[2]}'` };
  const params: Record<string, number> = {};
  for (const p of values.param ?? []) {
    const a = parseAssignment(p, '--param', false);
    if (typeof a === 'string') return { ok: false, message: a };
    params[a[0]] = a[1] as number;
  }
  const at: Record<string, InputValue> = {};
  for (const p of values.at ?? []) {
    const a = parseAssignment(p, '--at', true);
    if (typeof a === 'string') return { ok: false, message: a };
    at[a[0]] = a[1];
  }
  const sizes: Record<string, number> = {};
  for (const p of values.size ?? []) {
    const a = parseAssignment(p, '--size', false);
    if (typeof a === 'string') return { ok: false, message: a };
    sizes[a[0]] = a[1] as number;
  }
  const backend = values.backend;
  if (backend !== undefined && !(BACKEND_NAMES as readonly string[]).includes(backend)) {
    return { ok: false, message: `--backend must be one of ${BACKEND_NAMES.join(', ')}` };
  }
  const limits = parseLimits(values.limit ?? []);
  if (!limits.ok) return limits;
  const kernels = values.kernels;
  if (kernels !== undefined && !(KERNEL_CHOICES as readonly string[]).includes(kernels)) {
    return { ok: false, message: `--kernels must be one of ${KERNEL_CHOICES.join(', ')}` };
  }
  if (values.to !== undefined && !isExportTarget(values.to)) return { ok: false, message: `--to must be one of ${EXPORT_TARGETS.join(', ')}` };
  if (values.reduction !== undefined && !isReduction(values.reduction)) return { ok: false, message: `--reduction must be one of ${REDUCTIONS.join(', ')}` };
  if (values.precision !== undefined && values.precision !== 'float64' && values.precision !== 'float32')
    return { ok: false, message: `--precision must be float64 or float32, not '${values.precision}'` };
  const experiment = experimentSetupFromFlags(values);
  if (!experiment.ok) return experiment;
  return {
    ok: true,
    options: {
      command,
      ...(file !== undefined ? { file } : {}),
      ...(values.loss !== undefined ? { loss: values.loss } : {}),
      params,
      at,
      sizes,
      ...(values.only !== undefined
        ? {
            only: values.only
              .split(',')
              .map((s) => s.trim())
              .filter(Boolean),
          }
        : {}),
      ...(values.with !== undefined ? { with: commaList(values.with) } : {}),
      ...(values.family !== undefined ? { family: values.family } : {}),
      json: values.json ?? false,
      strict: values.strict ?? false,
      ...(backend !== undefined ? { backend: backend as BackendName } : {}),
      ...(kernels !== undefined ? { kernels: kernels as KernelChoice } : {}),
      limits: limits.limits,
      ...(values.to !== undefined ? { to: values.to as ExportTarget } : {}),
      ...(values.html !== undefined ? { html: values.html } : {}),
      ...(values.reduction !== undefined ? { reduction: values.reduction as Reduction } : {}),
      ...(values.precision !== undefined ? { precision: values.precision as 'float64' | 'float32' } : {}),
      experiment: experiment.setup,
    },
  };
}

function commaList(text: string): string[] {
  return text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

/**
 * node's own messages quote the option and then suggest `-- "--x"` with unbalanced quotes; ours
 * name the option once and say what to do.
 */
function argumentErrorMessage(e: unknown): string {
  const message = e instanceof Error ? e.message : String(e);
  const code = (e as { code?: unknown }).code;
  const option = /'(-[^']*)'/.exec(message)?.[1];
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && option !== undefined) return `unknown option '${option}'`;
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' && option !== undefined) {
    return /argument missing/.test(message) ? `option '${option.split(' ')[0]}' needs a value` : `option '${option.split(' ')[0]}' takes no value`;
  }
  return message;
}
