/**
 * The losses an experiment trains with, found by name and lowered for the data's number of
 * classes: the file's own definition when the file has one (its @classes replaced by the data's
 * K, since the data decide it), else the library's. Every loss must train a classifier
 * (margin, probability or multiclass), and binary losses need two classes.
 */
import { findLoss } from '../analyze';
import { checkLossText, type CheckOptions } from '../lang/check';
import type { LossDiagnostic } from '../lang/diagnostics';
import { lowerLoss, type LoweredLoss } from '../lang/lower';
import { parseLossText } from '../lang/parse';
import { isTrainableKind } from './objective';

export interface ExperimentLoss {
  readonly loss: LoweredLoss;
  readonly source: 'file' | 'library';
}

export type ExperimentLossesResult =
  { ok: true; losses: ExperimentLoss[]; classes: number } | { ok: false; message: string; diagnostics?: readonly LossDiagnostic[] };

function definedInFile(text: string, name: string): boolean {
  const parsed = parseLossText(text);
  return parsed.definitions.some((d) => d.name === name) || parsed.uses.some((u) => u.name === name);
}

/** The loss `name` of `text` (the first loss when absent), lowered with K = `classes` when it is multiclass. */
function lowerFileLoss(text: string, name: string | undefined, classes: number | undefined, options: CheckOptions) {
  const checked = checkLossText(text, options);
  const info = name === undefined ? checked.file.losses[0] : checked.file.losses.find((l) => l.name === name);
  if (info === undefined || info.kind !== 'multiclass' || classes === undefined || classes === info.classes) return findLoss(text, name, options);
  return lowerLoss(checked.file, { ...info, classes });
}

/**
 * `main` (the file's first loss when absent) and each of `others`. `classes` is the data's K when
 * the setup gives it; otherwise the main loss's K for a multiclass loss, 2 for a binary one.
 */
export function findExperimentLosses(
  text: string,
  main: string | undefined,
  others: readonly string[],
  classes: number | undefined,
  options: CheckOptions = {},
): ExperimentLossesResult {
  const first = lowerFileLoss(text, main, classes, options);
  if (!first.ok) return { ok: false, message: first.diagnostics[0]?.message ?? 'the loss has errors', diagnostics: first.diagnostics };
  const K = classes ?? (first.loss.info.kind === 'multiclass' ? first.loss.info.classes : 2);
  const losses: ExperimentLoss[] = [{ loss: first.loss, source: 'file' }];
  for (const name of others) {
    if (losses.some((l) => l.loss.info.name === name)) continue;
    const inFile = definedInFile(text, name);
    const found = inFile ? lowerFileLoss(text, name, K, options) : findLoss(`@classes ${K}\nuse ${name} from "library"`, name, options);
    if (!found.ok) {
      const why = found.diagnostics[0]?.message ?? 'it has errors';
      // A library loss's diagnostics point into the library's text, not the user's file.
      if (!inFile) return { ok: false, message: `'${name}' is neither a loss of this file nor of the library: ${why}` };
      return { ok: false, message: why, diagnostics: found.diagnostics };
    }
    losses.push({ loss: found.loss, source: inFile ? 'file' : 'library' });
  }
  for (const { loss } of losses) {
    const kind = loss.info.kind;
    if (!isTrainableKind(kind)) {
      return { ok: false, message: `'${loss.info.name}' is a ${kind} loss; experiments train classifiers with margin, probability or multiclass losses` };
    }
    if (kind !== 'multiclass' && K !== 2) {
      return { ok: false, message: `'${loss.info.name}' is a ${kind} loss, which trains on two classes, but the data have ${K}` };
    }
  }
  return { ok: true, losses, classes: K };
}
