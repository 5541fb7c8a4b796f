/**
 * A document as the editor's language features see it: a host text (a .loss file, a Python or
 * TypeScript file with loss comments, Markdown with ```loss blocks) and, for each .loss source in
 * it, the checked file and the table of names. Positions and ranges are the host's: the sources
 * are line- and column-aligned with it (`lang/embedded.ts`).
 */
import { checkLossText, type LossFileResult } from '../lang/check';
import { extractLossSources, lineOf, sourceAt, type LossSource } from '../lang/embedded';
import { findOccurrences, type Occurrence } from '../lang/references';

/** A place in a document, 0-based as in the VS Code API. */
export interface SourcePosition {
  readonly line: number;
  readonly column: number;
}

export interface SourceModel {
  readonly source: LossSource;
  readonly lines: readonly string[];
  readonly checked: LossFileResult;
  readonly occurrences: readonly Occurrence[];
}

export class LossDocument {
  readonly sources: readonly LossSource[];
  private readonly models = new Map<LossSource, SourceModel>();

  constructor(
    readonly text: string,
    readonly languageId: string,
  ) {
    this.sources = extractLossSources(text, languageId);
  }

  /** The source under `position` with its model, or undefined outside every loss. */
  at(position: SourcePosition): SourceModel | undefined {
    const source = sourceAt(this.sources, position.line, position.column);
    return source && this.model(source);
  }

  /** Every source's model, in document order. */
  all(): SourceModel[] {
    return this.sources.map((s) => this.model(s));
  }

  private model(source: LossSource): SourceModel {
    let m = this.models.get(source);
    if (!m) {
      const checked = checkLossText(source.text);
      const lines = source.text.split('\n');
      m = { source, lines, checked, occurrences: findOccurrences(checked.file, lines) };
      this.models.set(source, m);
    }
    return m;
  }
}

/** The text of `line` in the model's source up to `column`: what completion and signature help read. */
export function textBefore(model: SourceModel, position: SourcePosition): string {
  return (model.lines[position.line] ?? lineOf(model.source.text, position.line)).slice(0, position.column);
}

/** The occurrence of a name that spans `position` (its end included, where the cursor sits after typing it). */
export function occurrenceAt(model: SourceModel, position: SourcePosition): Occurrence | undefined {
  return model.occurrences.find((o) => o.range.startLine === position.line && o.range.startColumn <= position.column && position.column <= o.range.endColumn);
}
