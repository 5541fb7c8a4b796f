/**
 * A named loss in any document that may hold losses: a .loss file, the `# loss:` comments of a
 * Python file (`// loss:` in TypeScript or JavaScript), a ```loss block of Markdown. The command
 * line reads these as the editor does, so a loss written beside training code can be checked in CI.
 */
import { analyzeDocumentText, findLoss, type FindLossResult } from './analyze';
import type { CheckOptions } from './lang/check';
import type { LowerOptions } from './lang/lower';
import { errorAt, rangeOnLine, type LossDiagnostic } from './lang/diagnostics';
import { extractLossSources, LOSS_LANGUAGE_ID } from './lang/embedded';

/** VS Code's language id for a file name's extension; anything unknown is read as .loss text. */
export function languageIdOfFile(file: string): string {
  const ext = /\.([A-Za-z]+)$/.exec(file)?.[1]?.toLowerCase();
  switch (ext) {
    case 'py':
      return 'python';
    case 'md':
    case 'markdown':
      return 'markdown';
    case 'ts':
    case 'mts':
    case 'cts':
      return 'typescript';
    case 'tsx':
      return 'typescriptreact';
    case 'js':
    case 'mjs':
    case 'cjs':
      return 'javascript';
    case 'jsx':
      return 'javascriptreact';
    default:
      return LOSS_LANGUAGE_ID;
  }
}

/** The found loss with the .loss text it came from (line-aligned with the document). */
export type DocumentLossResult = (FindLossResult & { ok: true; text: string }) | { ok: false; diagnostics: readonly LossDiagnostic[] };

/**
 * The loss called `name` (the first loss when none is given) among the document's sources. A
 * Markdown file's blocks are separate sources: the first block that defines the name wins, and
 * when none does, the diagnostics of the first block that has errors explain why.
 */
export function findLossInDocument(text: string, languageId: string, name?: string, options: CheckOptions & LowerOptions = {}): DocumentLossResult {
  const sources = extractLossSources(text, languageId);
  if (sources.length === 0)
    return {
      ok: false,
      diagnostics: [
        errorAt(
          rangeOnLine(0, 0, 1),
          'no-such-loss',
          languageId === 'markdown'
            ? 'the file has no ```loss block'
            : `the file has no loss comment (a line '${languageId === 'python' ? '#' : '//'} loss: name(args) = expression')`,
        ),
      ],
    };
  const failures: (FindLossResult & { ok: false })[] = [];
  for (const source of sources) {
    const found = findLoss(source.text, name, options);
    if (found.ok) return { ...found, text: source.text };
    failures.push(found);
  }
  // A block that defines the name with errors explains more than "no loss named ..." does.
  return failures.find((f) => !f.diagnostics.every((d) => d.code === 'no-such-loss')) ?? (failures[0] as FindLossResult & { ok: false });
}

/**
 * Every error of the document, in its own lines and columns: syntax, names, shapes and lowering,
 * in every loss, helper and block. The command line refuses a file with one, even when the
 * loss it was asked for is sound, so that a broken definition is never dropped in silence (a
 * definition that calls a later one is an error, and the file's first loss would be another).
 */
export function documentErrors(text: string, languageId: string, options: CheckOptions = {}): readonly LossDiagnostic[] {
  return analyzeDocumentText(text, languageId, options)
    .diagnostics.filter((d) => d.severity === 'error')
    .sort((a, b) => a.range.startLine - b.range.startLine || a.range.startColumn - b.range.startColumn);
}
