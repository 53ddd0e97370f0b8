/**
 * The bundles a bundle loads from its own folder at run time: lazily required
 * ones (`require("./lsp-cluster.js")`) and worker threads
 * (`join(__dirname, "lint-worker.js")`). A package that holds a bundle must
 * hold these too, or a command fails (or quietly loses its worker) only when used.
 */
export function bundleReferences(bundleText: string): string[] {
  const found = new Set<string>();
  for (const m of bundleText.matchAll(/\brequire\("\.\/([\w-]+\.js)"\)/g)) found.add(m[1]);
  for (const m of bundleText.matchAll(/\b__dirname,\s*"([\w-]+\.js)"\)/g)) found.add(m[1]);
  return [...found].sort();
}
