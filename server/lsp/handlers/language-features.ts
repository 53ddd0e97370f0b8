/**
 * The requests about one place in a document: completion, hover, go to
 * definition, references, quick fixes, the outline and code lenses. Each is a
 * small adapter from the engine's answer to LSP's shapes, behind the guard.
 */
import { CodeActionKind, CompletionItemKind, InsertTextFormat, InsertTextMode, MarkupKind, SymbolKind, type CodeAction, type CodeLens, type CompletionItem, type DocumentSymbol, type Location } from 'vscode-languageserver/node';
import type { Diagnostic } from '../../../engine/core/diagnostic.js';
import { complete, type CompletionEntry } from '../../../engine/language/completion.js';
import { hover } from '../../../engine/language/hover.js';
import { definition, references } from '../../../engine/language/navigation.js';
import { codeLenses } from '../../../engine/language/code-lenses.js';
import { documentSymbols } from '../../../engine/language/symbols.js';
import { lensCommands } from '../../../protocol/commands.js';
import { guarded } from '../guard.js';
import type { DiagnosticsPublisher } from '../diagnostics-publisher.js';
import { toLspDiagnostic } from '../diagnostics-publisher.js';
import type { ServerState } from '../server-state.js';

const COMPLETION_KIND: Record<CompletionEntry['kind'], CompletionItemKind> = {
  property: CompletionItemKind.Property,
  value: CompletionItemKind.Value,
  enum: CompletionItemKind.EnumMember,
  kind: CompletionItemKind.Class,
  snippet: CompletionItemKind.Snippet,
  reference: CompletionItemKind.Reference,
};

export function registerLanguageFeatures(state: ServerState, publisher: DiagnosticsPublisher, clusterLenses: () => boolean): void {
  // The store follows the cert-manager target (state.workspace.store), so it is read at each request.
  const { connection, workspace } = state;
  const relevantFile = (uri: string) => {
    publisher.sync(uri);
    const file = workspace.get(uri);
    return file?.isRelevant ? file : undefined;
  };

  connection.onCompletion(
    guarded(state, 'completion', [] as CompletionItem[], (params) => {
      const file = relevantFile(params.textDocument.uri);
      if (!file) return [];
      return complete(file, params.position, workspace.store, workspace).map((c) => ({
        label: c.label,
        kind: COMPLETION_KIND[c.kind],
        detail: c.detail,
        documentation: c.documentation ? { kind: MarkupKind.Markdown, value: c.documentation } : undefined,
        textEdit: { range: c.range, newText: c.insertText },
        insertTextFormat: c.snippet ? InsertTextFormat.Snippet : InsertTextFormat.PlainText,
        insertTextMode: InsertTextMode.asIs,
        sortText: c.sortText,
      }));
    }),
  );

  connection.onHover(
    guarded(state, 'hover', null, (params) => {
      const file = relevantFile(params.textDocument.uri);
      if (!file) return null;
      const h = hover(file, params.position, workspace.store);
      return h ? { contents: { kind: MarkupKind.Markdown, value: h.contents }, range: h.range } : null;
    }),
  );

  connection.onDefinition(
    guarded(state, 'definition', [] as Location[], (params) => {
      publisher.sync(params.textDocument.uri);
      return definition(workspace, params.textDocument.uri, params.position);
    }),
  );

  connection.onReferences(
    guarded(state, 'references', [] as Location[], (params) => {
      publisher.sync(params.textDocument.uri);
      return references(workspace, params.textDocument.uri, params.position, params.context.includeDeclaration);
    }),
  );

  connection.onCodeAction(
    guarded(state, 'code actions', [] as CodeAction[], (params) => {
      const uri = params.textDocument.uri;
      if (!relevantFile(uri)) return [];
      const r = params.range;
      const overlaps = (d: Diagnostic) =>
        !(d.range.end.line < r.start.line || (d.range.end.line === r.start.line && d.range.end.character < r.start.character) ||
          d.range.start.line > r.end.line || (d.range.start.line === r.end.line && d.range.start.character > r.end.character));
      const actions: CodeAction[] = [];
      for (const d of workspace.diagnostics(uri)) {
        if (!d.fixes || !overlaps(d)) continue;
        for (const fix of d.fixes) {
          actions.push({
            title: fix.title,
            kind: CodeActionKind.QuickFix,
            diagnostics: [toLspDiagnostic(d)],
            isPreferred: fix.preferred,
            edit: { changes: { [uri]: fix.edits.map((e) => ({ range: e.range, newText: e.newText })) } },
          });
        }
      }
      return actions;
    }),
  );

  connection.onCodeLens(
    guarded(state, 'code lenses', [] as CodeLens[], (params) => {
      // Lenses depend on issuers and Certificates in other documents too.
      publisher.flushNow();
      const commands = lensCommands(state.editorCommands);
      return codeLenses(workspace, params.textDocument.uri, { cluster: clusterLenses() }).map((l) => ({
        range: l.range,
        command: { title: l.command.title, command: commands[l.command.action], arguments: l.command.arguments },
      }));
    }),
  );

  connection.onDocumentSymbol(
    guarded(state, 'document symbols', [] as DocumentSymbol[], (params) => {
      publisher.sync(params.textDocument.uri);
      const file = workspace.get(params.textDocument.uri);
      if (!file) return [];
      return documentSymbols(file).map((s) => ({ name: s.name, detail: s.detail, kind: SymbolKind.Object, range: s.range, selectionRange: s.selectionRange }));
    }),
  );
}
