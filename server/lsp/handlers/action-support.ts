/**
 * What the action handlers share: the text of a document (the editor's when
 * open, else the file's), cancellation as an AbortSignal, progress through
 * the request's work-done token, and the refusal in an untrusted workspace.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { CancellationToken, WorkDoneProgressReporter } from 'vscode-languageserver/node';
import type { ServerState } from '../server-state.js';

/** The document's text and version (undefined when not open), or why it cannot be read. */
export function documentText(state: ServerState, uri: string): { text: string; version?: number } | { error: string } {
  const doc = state.documents.get(uri);
  if (doc) return { text: doc.getText(), version: doc.version };
  try {
    return { text: readFileSync(fileURLToPath(uri), 'utf8') };
  } catch (e) {
    return { error: `cannot read ${uri}: ${((e as Error)?.message ?? String(e)).split('\n')[0]}` };
  }
}

/** How a long action is driven: cancelled through the signal, told about each step. */
export interface ActionCall {
  signal?: AbortSignal;
  progress?: (message: string) => void;
}

/** An AbortSignal that follows the request's cancellation. */
export function abortOn(token: CancellationToken | undefined): AbortSignal {
  const ac = new AbortController();
  if (token?.isCancellationRequested) ac.abort();
  token?.onCancellationRequested(() => ac.abort());
  return ac.signal;
}

/** Progress of a long action: begun with a title, each step a message; ended when the action returns. */
export async function withProgress<T>(reporter: WorkDoneProgressReporter | undefined, title: string, cancellable: boolean, fn: (report: (message: string) => void) => Promise<T>): Promise<T> {
  reporter?.begin(title, undefined, undefined, cancellable);
  try {
    return await fn((message) => reporter?.report(message));
  } finally {
    reporter?.done();
  }
}

/** Actions that change DNS, open ports, write keys or talk to a cluster: refused in an untrusted workspace. */
export function untrusted(state: ServerState, what: string): string | undefined {
  return state.settings.trusted ? undefined : `${what} is not available in an untrusted workspace (it changes DNS, listens on ports, writes keys or talks to a cluster); trust the workspace first`;
}
