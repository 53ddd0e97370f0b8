/**
 * Node.js flags the extension starts its language server with (and the
 * editor benchmarks measure it with). Why each, measured in
 * docs/benchmarks.md ("Notes on the language server's memory"):
 * - a young generation of at most 2 MiB per semi-space (V8's default is
 *   16): the server's objects are either short-lived (a parse) or kept for
 *   the session, so a large nursery only adds to the peak (123.7 → 92.5 MiB
 *   with a 2,000-document file open, edits 19.5 → 22.6 ms median).
 * It is a start-up flag: it cannot be set once the server runs. It holds for
 * every thread of the server, the index worker too (V8's flags are per
 * process; the worker's resourceLimits do not override it).
 */
export const SERVER_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=2'];
