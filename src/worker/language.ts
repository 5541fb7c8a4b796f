/**
 * The editor's language features in the worker: each request names a document by its text and
 * language, and is answered from the core. The last document is kept, parsed, because completion,
 * signature help and hover arrive in bursts about the same text.
 */
import { completeAt } from '../core/editor/completion';
import { LossDocument } from '../core/editor/document';
import { hoverAt } from '../core/editor/hover';
import { definitionAt, prepareRenameAt, renameAt } from '../core/editor/navigation';
import { signatureHelpAt } from '../core/editor/signature';
import { documentSymbols } from '../core/editor/symbols';
import type { LanguageRequest, WorkerResults } from '../protocol';

let last: LossDocument | undefined;

function documentOf(text: string, languageId: string): LossDocument {
  if (last?.text !== text || last.languageId !== languageId) last = new LossDocument(text, languageId);
  return last;
}

type Answer = WorkerResults[Exclude<LanguageRequest['type'], 'analyze'>];

export function answerLanguageRequest(m: Exclude<LanguageRequest, { type: 'analyze' }>): Answer {
  const document = documentOf(m.text, m.languageId);
  switch (m.type) {
    case 'completion':
      return optional('completion', completeAt(document, m.position));
    case 'signatureHelp':
      return optional('signatureHelp', signatureHelpAt(document, m.position));
    case 'hover':
      return optional('hover', hoverAt(document, m.position, m.options));
    case 'definition':
      return optional('definition', definitionAt(document, m.position));
    case 'prepareRename':
      return prepareRenameAt(document, m.position);
    case 'rename':
      return renameAt(document, m.position, m.newName);
    case 'symbols':
      return { symbols: documentSymbols(document) };
  }
}

/** `{ key: value }`, or `{}` when there is no value: structured clone keeps no `undefined` key. */
function optional<K extends string, T>(key: K, value: T | undefined): { [P in K]?: T } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: T };
}
