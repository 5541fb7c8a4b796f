/**
 * The entry points from document text: what the editor needs to know about a file (diagnostics
 * and the losses it defines), and a lowered loss ready to evaluate, found by name.
 */
import { checkLossText, type CheckOptions, type LossInfo } from './lang/check';
import { errorAt, rangeOnLine, type LossDiagnostic } from './lang/diagnostics';
import { extractLossSources, toHostRange } from './lang/embedded';
import { lowerLoss, type LoweredLoss, type LowerOptions } from './lang/lower';
import { unstablePatternDiagnostics } from './lang/unstable';
import type { AnalyzeResult, LossSummary } from './results';

export function summarizeLoss(info: LossInfo): LossSummary {
  return {
    name: info.name,
    kind: info.kind,
    inputs: info.inputs,
    params: info.params.map((p) => ({ name: p.name, value: p.value, min: p.min, max: p.max })),
    classes: info.classes,
    ...(info.cite !== undefined ? { cite: info.cite } : {}),
    ...(info.description !== undefined ? { description: info.description } : {}),
    range: info.definition.range,
  };
}

/**
 * Diagnostics for the whole file (syntax, names, shapes, and the unstable patterns that can be
 * seen in the source, with their rewrite) and the losses that are usable.
 */
export function analyzeLossText(text: string, options: CheckOptions = {}): AnalyzeResult {
  const checked = checkLossText(text, options);
  const diagnostics: LossDiagnostic[] = [...checked.file.diagnostics, ...unstablePatternDiagnostics(checked.file.parsed.definitions, text)];
  const losses: LossSummary[] = [];
  for (const info of checked.file.losses) {
    const lowered = lowerLoss(checked.file, info);
    if (lowered.ok) losses.push(summarizeLoss(info));
    else diagnostics.push(...lowered.diagnostics);
  }
  return { diagnostics, losses };
}

/**
 * The same for any document that may hold losses (`embedded.ts`): a .loss file, the loss
 * comments of a Python or TypeScript file, the ```loss blocks of Markdown. Ranges are the host's.
 */
export function analyzeDocumentText(text: string, languageId: string, options: CheckOptions = {}): AnalyzeResult {
  const diagnostics: LossDiagnostic[] = [];
  const losses: LossSummary[] = [];
  for (const source of extractLossSources(text, languageId)) {
    const r = analyzeLossText(source.text, options);
    for (const d of r.diagnostics) {
      const range = toHostRange(source, d.range);
      // A diagnostic moved to the anchor drops its fix: the edit's range was not the anchor's.
      diagnostics.push(range === d.range ? d : { range, severity: d.severity, message: d.message, code: d.code });
    }
    losses.push(...r.losses);
  }
  return { diagnostics, losses };
}

export type FindLossResult = { ok: true; loss: LoweredLoss } | { ok: false; diagnostics: readonly LossDiagnostic[] };

/**
 * The loss called `name` (the first loss when no name is given), lowered to the IR. Errors
 * elsewhere in the file do not stop a loss that is itself sound; errors in it, or in a helper it
 * calls, are returned as diagnostics.
 */
export function findLoss(text: string, name?: string, options: CheckOptions & LowerOptions = {}): FindLossResult {
  const checked = checkLossText(text, options);
  const losses = checked.file.losses;
  const info = name === undefined ? losses[0] : losses.find((l) => l.name === name);
  if (info === undefined && !checked.ok) return { ok: false, diagnostics: checked.diagnostics };
  if (info === undefined) {
    const names = losses.map((l) => l.name);
    const message =
      name === undefined
        ? 'the file defines no loss (a definition whose kind is declared with @kind or follows from its argument names)'
        : `no loss named '${name}'; the file defines ${names.length > 0 ? names.map((n) => `'${n}'`).join(', ') : 'no loss'}`;
    return { ok: false, diagnostics: [errorAt(rangeOnLine(0, 0, 1), 'no-such-loss', message)] };
  }
  return lowerLoss(checked.file, info, options);
}
