/** The example documents the editor tests read, and positions in them found by their text. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LossDocument, type SourcePosition } from '../../../src/core/editor/document';

const EXAMPLES = join(__dirname, '..', '..', '..', 'examples');

export function example(file: string, languageId: string): LossDocument {
  return new LossDocument(readFileSync(join(EXAMPLES, file), 'utf8'), languageId);
}

/**
 * The position of `marker` in the first line of the document that contains `lineText`; with
 * `after`, the position just after it (where the cursor is once `marker` is typed).
 */
export function positionOf(document: LossDocument, lineText: string, marker: string, after = false): SourcePosition {
  const lines = document.text.split(/\r?\n/);
  const line = lines.findIndex((l) => l.includes(lineText));
  if (line < 0) throw new Error(`no line with ${JSON.stringify(lineText)}`);
  const column = (lines[line] as string).indexOf(marker, (lines[line] as string).indexOf(lineText));
  if (column < 0) throw new Error(`no ${JSON.stringify(marker)} in line ${line}`);
  return { line, column: after ? column + marker.length : column };
}

/** A document from text, with the cursor where `|` is (the `|` removed). */
export function withCursor(text: string, languageId = 'loss'): { document: LossDocument; position: SourcePosition } {
  const at = text.indexOf('|');
  const before = text.slice(0, at);
  const line = before.split('\n').length - 1;
  const column = at - (before.lastIndexOf('\n') + 1);
  return { document: new LossDocument(text.slice(0, at) + text.slice(at + 1), languageId), position: { line, column } };
}
