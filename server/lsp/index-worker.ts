/**
 * The language server's background index in a worker thread (bundled as
 * dist/index-worker.js): walks the workspace folders, reads the manifests
 * (and Secrets) among the YAML files and checks each on its own, sending
 * back batches of small records (engine/workspace/file-record.ts) and line
 * starts: not the texts, which the server does not keep for files that are
 * not open.
 * The server's own thread stays free for the open documents meanwhile.
 */
import { readFileSync, statSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { parentPort, workerData } from 'node:worker_threads';
import { schemaStore } from '../../engine/schema/schema-store.js';
import type { CertManagerTarget } from '../../engine/schema/cert-manager-target.js';
import { excludeTest } from '../../engine/workspace/exclude-rules.js';
import { findYamlFiles } from '../../engine/workspace/find-manifests.js';
import { lineStartsOf, recordFile, type FileRecord, type LineStarts } from '../../engine/workspace/file-record.js';
import { worthIndexing } from '../../engine/workspace/manifest-file.js';

export interface IndexSetup {
  folders: string[];
  /** files.exclude as the editor sends it. */
  filesExclude: unknown;
  maxFiles: number;
  maxBytes: number;
  target: CertManagerTarget;
}

export type IndexedFile = { uri: string; path: string } & ({ record: FileRecord; lineStarts: LineStarts } | { skipped: true });

export type FromIndexWorker =
  /** The walk is done: this many YAML files to read. */
  | { found: number; uris: string[] }
  | { files: IndexedFile[] }
  | { done: true };

/** Results go back about every this many milliseconds (a batch costs the server's thread a little to take in). */
const BATCH_MS = 40;

if (parentPort) {
  const port = parentPort;
  const setup = workerData as IndexSetup;
  const store = schemaStore(setup.target);
  const seen = new Set<string>();
  // Only the paths are kept while the files are read (a monorepo's list is tens of thousands long).
  const found = setup.folders.flatMap((f) => findYamlFiles(f, f, { maxFiles: setup.maxFiles, seen, exclude: excludeTest(f, setup.filesExclude) }).map((file) => file.path)).slice(0, setup.maxFiles);
  seen.clear();
  const uris = found.map((path) => pathToFileURL(path).href);
  port.postMessage({ found: found.length, uris } satisfies FromIndexWorker);
  let batch: IndexedFile[] = [];
  let since = performance.now();
  found.forEach((path, i) => {
    const uri = uris[i]!;
    let result: IndexedFile = { uri, path, skipped: true };
    try {
      if (statSync(path).size <= setup.maxBytes) {
        const text = readFileSync(path, 'utf8');
        if (worthIndexing(text)) {
          const checked = recordFile(uri, text, store, setup.maxBytes);
          result = { uri, path, record: checked.record, lineStarts: lineStartsOf(checked.text) };
        }
      }
    } catch {
      // unreadable: left out of the index
    }
    batch.push(result);
    if (performance.now() - since >= BATCH_MS) {
      port.postMessage({ files: batch } satisfies FromIndexWorker);
      batch = [];
      since = performance.now();
    }
  });
  if (batch.length) port.postMessage({ files: batch } satisfies FromIndexWorker);
  port.postMessage({ done: true } satisfies FromIndexWorker);
}
