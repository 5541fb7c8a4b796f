/**
 * Losses written inside other files, where researchers already write them:
 *
 *     # param gamma = 2 in [0, 5]                       Python (and `//` in TypeScript/JavaScript)
 *     # loss: focal(p) = -(1 - p)^gamma * log(p)
 *
 *     ```loss                                           Markdown: a fenced block is a .loss document
 *     hinge(z) = max(0, 1 - z)
 *     ```
 *
 * Each becomes a .loss text that is line-aligned with its host: line i of the .loss text is line
 * i of the host, every other line is blank, and the comment markers (`# loss:`, `# `) are replaced
 * by as many spaces. Columns therefore agree too, so a range in the .loss text is the same range
 * in the host file, and messages that name a line ("defined on line 12") name the host's line.
 */
import { rangeOnLine, type SourceRange } from './diagnostics';

/** A .loss text found in a host document, with the lines of the host it came from. */
export interface LossSource {
  /** A whole .loss file, the loss comments of a program, or a fenced block of Markdown. */
  readonly form: 'file' | 'comments' | 'block';
  readonly text: string;
  /** The first and last host lines that carry .loss text (0-based, inclusive). */
  readonly firstLine: number;
  readonly lastLine: number;
  /** Where a diagnostic about the source as a whole belongs (the `# loss:` line, the fence). */
  readonly anchor: SourceRange;
}

export const LOSS_LANGUAGE_ID = 'loss';

/** The host languages that may embed losses, and how. */
const LINE_COMMENT: Readonly<Record<string, string>> = {
  python: '#',
  typescript: '//',
  typescriptreact: '//',
  javascript: '//',
  javascriptreact: '//',
};
const MARKDOWN = 'markdown';
const commentMarker = (languageId: string): string | undefined => (Object.hasOwn(LINE_COMMENT, languageId) ? LINE_COMMENT[languageId] : undefined);

export const HOST_LANGUAGE_IDS: readonly string[] = [LOSS_LANGUAGE_ID, ...Object.keys(LINE_COMMENT), MARKDOWN];

const escape = (s: string): string => s.replace(/[/#]/g, (c) => `\\${c}`);
const NAME = '[A-Za-z_][A-Za-z0-9_]*';

/**
 * A comment line that is .loss text: `loss:` (a definition), `param NAME =`, `where NAME =`
 * (a local name of the definition above), or one of the directives. Other comments (`# param lr: the learning rate`) are left alone.
 */
function commentLinePattern(marker: string): RegExp {
  return new RegExp(`^(\\s*${escape(marker)}\\s*)(loss:\\s*)?(.*)$`);
}

function isLossCommentBody(body: string, isDefinition: boolean): boolean {
  if (isDefinition) return true;
  return new RegExp(`^(param|where)\\s+${NAME}\\s*=`).test(body) || /^@(kind|classes|cite|helper)\b/.test(body);
}

const FENCE_OPEN = /^(\s*)(`{3,}|~{3,})\s*loss\s*(?:\{[^}]*\})?\s*$/;

/** Cheap test, for the editor to skip documents that cannot hold a loss without parsing them. */
export function mayEmbedLosses(text: string, languageId: string): boolean {
  if (languageId === LOSS_LANGUAGE_ID) return true;
  const marker = commentMarker(languageId);
  if (marker !== undefined) return new RegExp(`^\\s*${escape(marker)}\\s*loss:`, 'm').test(text);
  if (languageId === MARKDOWN) return /^\s*(`{3,}|~{3,})\s*loss\b/m.test(text);
  return false;
}

/**
 * The .loss texts of a document: the whole text of a .loss file; all the loss comments of a
 * Python or TypeScript file, as one source (params and helpers are shared across the file, as in
 * a module), when it has at least one `loss:` line; each ```loss block of a Markdown file, as a
 * source of its own. Lines are split on \n or \r\n; the texts use \n.
 */
export function extractLossSources(text: string, languageId: string): LossSource[] {
  const lines = text.split(/\r?\n/);
  if (languageId === LOSS_LANGUAGE_ID) {
    return [{ form: 'file', text: lines.join('\n'), firstLine: 0, lastLine: Math.max(0, lines.length - 1), anchor: rangeOnLine(0, 0, 1) }];
  }
  const marker = commentMarker(languageId);
  if (marker !== undefined) return commentSources(lines, marker);
  if (languageId === MARKDOWN) return fencedSources(lines);
  return [];
}

function commentSources(lines: readonly string[], marker: string): LossSource[] {
  const pattern = commentLinePattern(marker);
  const out: string[] = lines.map(() => '');
  let first: number | undefined;
  let last = 0;
  let anchor: SourceRange | undefined;
  lines.forEach((line, i) => {
    const m = pattern.exec(line);
    if (!m) return;
    const [, prefix, loss, body] = m as unknown as [string, string, string | undefined, string];
    if (!isLossCommentBody(body.trim(), loss !== undefined)) return;
    const lead = prefix.length + (loss?.length ?? 0);
    out[i] = ' '.repeat(lead) + body;
    first ??= i;
    last = i;
    if (loss !== undefined) anchor ??= rangeOnLine(i, prefix.length, line.trimEnd().length);
  });
  if (first === undefined || anchor === undefined) return [];
  return [{ form: 'comments', text: out.join('\n'), firstLine: first, lastLine: last, anchor }];
}

function fencedSources(lines: readonly string[]): LossSource[] {
  const sources: LossSource[] = [];
  let open: { fence: string; line: number; indent: number } | undefined;
  // Fences of other languages hide their contents, ```loss included (e.g. a block that shows one).
  let other: string | undefined;
  lines.forEach((line, i) => {
    if (open) {
      const close = new RegExp(`^\\s*${open.fence[0] === '`' ? '`' : '~'}{${open.fence.length},}\\s*$`);
      if (close.test(line)) {
        sources.push(blockSource(lines, open.line, i, open.indent));
        open = undefined;
      }
      return;
    }
    if (other !== undefined) {
      if (new RegExp(`^\\s*${other[0] === '`' ? '`' : '~'}{${other.length},}\\s*$`).test(line)) other = undefined;
      return;
    }
    const m = FENCE_OPEN.exec(line);
    if (m) {
      open = { fence: m[2] as string, line: i, indent: (m[1] as string).length };
      return;
    }
    const fence = /^\s*(`{3,}|~{3,})/.exec(line);
    if (fence) other = fence[1];
  });
  // An unclosed fence runs to the end of the document, as in CommonMark.
  if (open) sources.push(blockSource(lines, open.line, lines.length, open.indent));
  return sources;
}

/** The lines strictly between `fence` and `close`, with up to `indent` leading spaces blanked. */
function blockSource(lines: readonly string[], fence: number, close: number, indent: number): LossSource {
  const out = lines.map((line, i) => {
    if (i <= fence || i >= close) return '';
    // The fence's indentation (a block in a list item) is not part of the .loss text, but it is
    // only spaces, so columns already agree.
    const lead = Math.min(indent, line.length - line.trimStart().length);
    return ' '.repeat(lead) + line.slice(lead);
  });
  const fenceLine = lines[fence] ?? '';
  return {
    form: 'block',
    text: out.join('\n'),
    firstLine: fence + 1,
    lastLine: Math.max(fence + 1, close - 1),
    anchor: rangeOnLine(fence, indent, fenceLine.trimEnd().length),
  };
}

/**
 * A range of the .loss text as a range of the host. Lines are the same; a range outside the
 * source's lines (a diagnostic about the source as a whole, placed on line 0) goes to its anchor.
 */
export function toHostRange(source: LossSource, range: SourceRange): SourceRange {
  if (range.startLine < source.firstLine || range.endLine > source.lastLine) return source.anchor;
  return range;
}

/**
 * The source whose .loss text is at host `line` and `column`, if any: anywhere in a .loss file
 * or a Markdown block; in a program, only after the marker of a loss comment, never in its code.
 */
export function sourceAt(sources: readonly LossSource[], line: number, column: number): LossSource | undefined {
  const source = sources.find((s) => s.firstLine <= line && line <= s.lastLine);
  if (!source || source.form !== 'comments') return source;
  const text = lineOf(source.text, line);
  if (text === '') return undefined;
  return column >= text.length - text.trimStart().length ? source : undefined;
}

/** Line `line` of `text` (\n-separated), or '' past its end. */
export function lineOf(text: string, line: number): string {
  let start = 0;
  for (let i = 0; i < line; i++) {
    const next = text.indexOf('\n', start);
    if (next < 0) return '';
    start = next + 1;
  }
  const end = text.indexOf('\n', start);
  return text.slice(start, end < 0 ? undefined : end);
}

/** The .loss text that holds the definition on host `line`: what evaluating that loss reads. */
export function lossTextAt(text: string, languageId: string, line: number): string | undefined {
  return sourceAt(extractLossSources(text, languageId), line, Number.MAX_SAFE_INTEGER)?.text;
}
