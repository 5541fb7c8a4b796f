/**
 * `--limit NAME=VALUE`: the command line's counterpart of the `losslab.limits.*` settings, named
 * as the settings are without their prefix (`--limit checkSeconds=5`, `--limit fileSize=100000`).
 */
import { DEFAULT_LIMITS, type LanguageLimits } from '../core/lang/limits';
import { DEFAULT_RUN_LIMITS, type RunLimits } from '../core/runLimits';

export type CliLimits = Partial<LanguageLimits & RunLimits>;

/** workerMemoryMb caps the editor's worker thread; the command line has none to cap. */
const NAMES: readonly string[] = [...Object.keys(DEFAULT_LIMITS), ...Object.keys(DEFAULT_RUN_LIMITS).filter((n) => n !== 'workerMemoryMb')];

export function parseLimits(assignments: readonly string[]): { ok: true; limits: CliLimits } | { ok: false; message: string } {
  const limits: Record<string, number> = {};
  for (const a of assignments) {
    const m = /^([A-Za-z]+)=(.+)$/.exec(a);
    const name = m?.[1];
    if (m === null || name === undefined || !NAMES.includes(name))
      return { ok: false, message: `--limit wants NAME=VALUE with NAME one of ${NAMES.join(', ')}; got '${a}'` };
    const value = Number(m[2]);
    if (!Number.isFinite(value) || value <= 0) return { ok: false, message: `--limit ${name}: '${m[2]}' is not a positive number` };
    limits[name] = value;
  }
  return { ok: true, limits: limits as CliLimits };
}
