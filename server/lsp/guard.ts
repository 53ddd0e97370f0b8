/**
 * The one error guard of the language server: a handler that throws logs one
 * line ("certsmith: hover failed: ...") and answers its fallback, so that a
 * bug in one feature never takes the server down or shows the client a stack
 * trace.
 */
import type { CancellationToken, ProgressToken, WorkDoneProgressReporter } from 'vscode-languageserver/node';
import type { ServerState } from './server-state.js';

export function guarded<A extends unknown[], R>(state: ServerState, what: string, fallback: R, fn: (...args: A) => R): (...args: A) => R {
  return (...args: A): R => {
    try {
      return fn(...args);
    } catch (e) {
      state.logError(what, e);
      return fallback;
    }
  };
}

/** The same for asynchronous handlers. */
export function guardedAsync<A extends unknown[], R>(state: ServerState, what: string, fallback: (message: string) => NoInfer<R>, fn: (...args: A) => Promise<R>): (...args: A) => Promise<R> {
  return async (...args: A): Promise<R> => {
    try {
      return await fn(...args);
    } catch (e) {
      state.logError(what, e);
      return fallback(((e as Error)?.message ?? String(e)).split('\n')[0]);
    }
  };
}

/**
 * guardedAsync for requests that report progress: the client's
 * `workDoneToken` in the params becomes a reporter ($/progress), the
 * cancellation token comes with it.
 */
export function guardedRequest<P extends { workDoneToken?: ProgressToken }, R>(
  state: ServerState,
  what: string,
  fallback: (message: string) => NoInfer<R>,
  fn: (params: P, token: CancellationToken, progress: WorkDoneProgressReporter) => Promise<R>,
): (params: P, token: CancellationToken) => Promise<R> {
  const run = guardedAsync(state, what, fallback, fn);
  return (params, token) => run(params, token, state.connection.window.attachWorkDoneProgress(params.workDoneToken));
}
