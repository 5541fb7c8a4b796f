/**
 * LossLab's settings other than the backend (`backend.ts`): how finely the panel samples a curve,
 * the input range it starts with for each kind, the checks to run when a loss file is saved,
 * the significant digits of every number shown, and the limits passed to the worker. Values are checked here: a hand-edited
 * settings.json can hold anything.
 */
import * as vscode from 'vscode';
import { isKind, type Kind } from '../core/lang/kinds';
import { LIMIT_SETTINGS } from '../core/lang/limits';
import { MIN_WORKER_MEMORY_MB, RUN_LIMIT_SETTINGS } from '../core/runLimits';
import type { Limits } from '../protocol';

export interface LossLabSettings {
  /** Points per curve in the panel. */
  readonly plotPoints: number;
  /** The input range the panel starts with, for the kinds the user set one for. */
  readonly plotRanges: Readonly<Partial<Record<Kind, readonly [number, number]>>>;
  /** Check ids to run on each loss of a document when it is saved (none by default). */
  readonly checksOnSave: readonly string[];
  /** Significant digits of read-outs: the panel, hovers, check summaries. */
  readonly readoutDigits: number;
}

const SECTION = 'losslab';
export const DEFAULT_SETTINGS: LossLabSettings = { plotPoints: 400, plotRanges: {}, checksOnSave: [], readoutDigits: 4 };

const integerIn = (v: unknown, lo: number, hi: number, fallback: number): number =>
  typeof v === 'number' && Number.isInteger(v) && v >= lo && v <= hi ? v : fallback;

export function readSettings(): LossLabSettings {
  const config = vscode.workspace.getConfiguration(SECTION);
  const ranges: Partial<Record<Kind, readonly [number, number]>> = {};
  const rawRanges = config.get<unknown>('plot.ranges');
  if (typeof rawRanges === 'object' && rawRanges !== null) {
    for (const [kind, range] of Object.entries(rawRanges)) {
      if (!isKind(kind) || !Array.isArray(range) || range.length !== 2) continue;
      const [lo, hi] = range as unknown[];
      if (typeof lo === 'number' && typeof hi === 'number' && Number.isFinite(lo) && Number.isFinite(hi) && lo < hi) ranges[kind] = [lo, hi];
    }
  }
  const rawChecks = config.get<unknown>('checks.onSave');
  return {
    plotPoints: integerIn(config.get<unknown>('plot.points'), 20, 5000, DEFAULT_SETTINGS.plotPoints),
    plotRanges: ranges,
    checksOnSave: Array.isArray(rawChecks) ? rawChecks.filter((c): c is string => typeof c === 'string') : [],
    readoutDigits: integerIn(config.get<unknown>('readout.precision'), 2, 12, DEFAULT_SETTINGS.readoutDigits),
  };
}

export function onDidChangeSettings(listener: () => void): vscode.Disposable {
  return vscode.workspace.onDidChangeConfiguration((e) => {
    if (['plot.points', 'plot.ranges', 'checks.onSave', 'readout.precision'].some((k) => e.affectsConfiguration(`${SECTION}.${k}`))) listener();
  });
}

const LIMIT_KEYS = [...Object.keys(LIMIT_SETTINGS), ...Object.keys(RUN_LIMIT_SETTINGS)] as (keyof Limits)[];

/**
 * The `losslab.limits.*` settings, for the worker: only positive finite numbers are passed on,
 * so a hand-edited value of 0, -1 or "big" leaves that limit at its safe default.
 */
export function readLimitSettings(): Partial<Limits> {
  const config = vscode.workspace.getConfiguration(SECTION);
  const limits: Partial<Record<keyof Limits, number>> = {};
  for (const key of LIMIT_KEYS) {
    const value = config.get<unknown>(`limits.${key}`);
    if (typeof value === 'number' && Number.isFinite(value) && value > 0) limits[key] = value;
  }
  if (limits.workerMemoryMb !== undefined) limits.workerMemoryMb = Math.max(MIN_WORKER_MEMORY_MB, limits.workerMemoryMb);
  return limits;
}

/** The worker restarts with new limits: its memory cap can only be set when a thread starts. */
export function onDidChangeLimitSettings(listener: () => void): vscode.Disposable {
  return vscode.workspace.onDidChangeConfiguration((e) => {
    if (e.affectsConfiguration(`${SECTION}.limits`)) listener();
  });
}
