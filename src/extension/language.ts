/**
 * The language features of .loss text, in .loss files and wherever losses are embedded:
 * completion, signature help, hover, go to definition, rename and the Outline. Each provider asks
 * the worker (which answers from `core/editor`) and turns the answer into VS Code's types; none
 * reads the text itself. In a Python, TypeScript or Markdown file, a position outside the losses
 * gets no answer, so that the language's own providers answer there.
 */
import * as vscode from 'vscode';
import type { CompletionKind, LossSymbol, SourcePosition, SourceRange, WorkerRequestType, WorkerResults } from '../protocol';
import type { RequestOf, WorkerClient } from '../worker/client';
import { LOSS_HOSTS, mayHoldLosses } from './analysis';
import { toVsRange } from './diagnostics';

export interface HoverContext {
  /** The loss the panel shows, with its slider values, when it is in `uri`. */
  shownIn(uri: vscode.Uri): { loss: string; params: Readonly<Record<string, number>> } | undefined;
  readoutDigits(): number;
}

const COMPLETION_KIND: Readonly<Record<CompletionKind, vscode.CompletionItemKind>> = {
  function: vscode.CompletionItemKind.Function,
  loss: vscode.CompletionItemKind.Function,
  helper: vscode.CompletionItemKind.Function,
  param: vscode.CompletionItemKind.Variable,
  argument: vscode.CompletionItemKind.Variable,
  constant: vscode.CompletionItemKind.Constant,
  keyword: vscode.CompletionItemKind.Keyword,
  directive: vscode.CompletionItemKind.Keyword,
  kind: vscode.CompletionItemKind.EnumMember,
};

const SYMBOL_KIND: Readonly<Record<LossSymbol['kind'], vscode.SymbolKind>> = {
  loss: vscode.SymbolKind.Function,
  helper: vscode.SymbolKind.Function,
  param: vscode.SymbolKind.Variable,
};

const toPosition = (p: vscode.Position): SourcePosition => ({ line: p.line, column: p.character });

export function registerLanguageFeatures(worker: WorkerClient, hover: HoverContext): vscode.Disposable[] {
  let symbolRequests = 0;
  /** One request about `document`, or undefined when it holds no loss or the request was superseded. */
  async function ask<
    K extends Exclude<WorkerRequestType, 'analyze' | 'curves' | 'landscape' | 'point' | 'batch' | 'check' | 'experiment' | 'export' | 'library' | 'memory'>,
  >(
    type: K,
    document: vscode.TextDocument,
    token: vscode.CancellationToken,
    extra: Omit<RequestOf<K>, 'type' | 'view' | 'text' | 'languageId'>,
  ): Promise<WorkerResults[K] | undefined> {
    if (!mayHoldLosses(document)) return undefined;
    // Document symbols are asked for by several consumers at once (the Outline, breadcrumbs, Go to
    // Symbol): each gets its own view, since a superseded request answers nothing and VS Code then
    // shows "No editor symbols". The other requests follow the cursor: the newest one wins.
    const view = type === 'symbols' ? `symbols:${document.uri.toString()}:${++symbolRequests}` : `${type}:${document.uri.toString()}`;
    const request = { type, view, text: document.getText(), languageId: document.languageId, ...extra } as RequestOf<K>;
    const pending = worker.request<K>(request);
    const listener = token.onCancellationRequested(() => pending.cancel());
    const outcome = await pending.promise;
    listener.dispose();
    return outcome.status === 'ok' ? outcome.result : undefined;
  }

  const completion: vscode.CompletionItemProvider = {
    async provideCompletionItems(document, position, token) {
      const answer = (await ask('completion', document, token, { position: toPosition(position) }))?.completion;
      if (!answer) return undefined;
      const range = toVsRange(answer.range);
      return answer.items.map((i) => {
        const item = new vscode.CompletionItem(i.label, COMPLETION_KIND[i.kind]);
        item.detail = i.detail;
        if (i.documentation) item.documentation = new vscode.MarkdownString(i.documentation);
        if (i.snippet) item.insertText = new vscode.SnippetString(i.snippet);
        item.sortText = `${i.sortText}${i.label}`;
        item.range = range;
        return item;
      });
    },
  };

  const signatureHelp: vscode.SignatureHelpProvider = {
    async provideSignatureHelp(document, position, token) {
      const answer = (await ask('signatureHelp', document, token, { position: toPosition(position) }))?.signatureHelp;
      if (!answer) return undefined;
      const help = new vscode.SignatureHelp();
      help.signatures = answer.signatures.map((s) => {
        const info = new vscode.SignatureInformation(s.label, new vscode.MarkdownString(s.documentation));
        info.parameters = s.parameters.map((p) => new vscode.ParameterInformation(p));
        return info;
      });
      help.activeSignature = answer.activeSignature;
      help.activeParameter = answer.activeParameter;
      return help;
    },
  };

  const hoverProvider: vscode.HoverProvider = {
    async provideHover(document, position, token) {
      const shown = hover.shownIn(document.uri);
      const options = { digits: hover.readoutDigits(), ...(shown ? { shown } : {}) };
      const answer = (await ask('hover', document, token, { position: toPosition(position), options }))?.hover;
      return answer && new vscode.Hover(new vscode.MarkdownString(answer.markdown), toVsRange(answer.range));
    },
  };

  const definition: vscode.DefinitionProvider = {
    async provideDefinition(document, position, token) {
      const answer = (await ask('definition', document, token, { position: toPosition(position) }))?.definition;
      return answer && new vscode.Location(answer.file === undefined ? document.uri : vscode.Uri.file(answer.file), toVsRange(answer.range));
    },
  };

  const rename: vscode.RenameProvider = {
    async prepareRename(document, position, token) {
      const answer = await ask('prepareRename', document, token, { position: toPosition(position) });
      if (!answer) return undefined;
      // Outside every loss of a Python or Markdown file: let the language's own rename answer.
      if (!answer.ok && answer.elsewhere && document.languageId !== 'loss') return undefined;
      if (!answer.ok) throw new Error(answer.message);
      return { range: toVsRange(answer.range), placeholder: answer.placeholder };
    },
    async provideRenameEdits(document, position, newName, token) {
      const answer = await ask('rename', document, token, { position: toPosition(position), newName });
      if (!answer) return undefined;
      if (!answer.ok) throw new Error(answer.message);
      const edit = new vscode.WorkspaceEdit();
      for (const e of answer.edits) edit.replace(document.uri, toVsRange(e.range), e.newText);
      return edit;
    },
  };

  const symbols: vscode.DocumentSymbolProvider = {
    async provideDocumentSymbols(document, token) {
      const answer = await ask('symbols', document, token, {});
      return answer?.symbols.map(
        (s) => new vscode.DocumentSymbol(s.name, s.detail, SYMBOL_KIND[s.kind], toVsRange(s.range), toVsRange(clampTo(s.selectionRange, s.range))),
      );
    },
  };

  return [
    vscode.languages.registerCompletionItemProvider(LOSS_HOSTS, completion, '@'),
    vscode.languages.registerSignatureHelpProvider(LOSS_HOSTS, signatureHelp, { triggerCharacters: ['(', ','], retriggerCharacters: [','] }),
    vscode.languages.registerHoverProvider(LOSS_HOSTS, hoverProvider),
    vscode.languages.registerDefinitionProvider(LOSS_HOSTS, definition),
    vscode.languages.registerRenameProvider(LOSS_HOSTS, rename),
    vscode.languages.registerDocumentSymbolProvider(LOSS_HOSTS, symbols, { label: 'LossLab' }),
  ];
}

/** VS Code refuses a symbol whose selection range is not inside its range. */
function clampTo(inner: SourceRange, outer: SourceRange): SourceRange {
  const inside =
    (inner.startLine > outer.startLine || (inner.startLine === outer.startLine && inner.startColumn >= outer.startColumn)) &&
    (inner.endLine < outer.endLine || (inner.endLine === outer.endLine && inner.endColumn <= outer.endColumn));
  return inside ? inner : outer;
}
