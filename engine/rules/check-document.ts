/**
 * All local checks of one YAML document: syntax, apiVersion/kind, metadata and
 * schema. Diagnostics are relative to the document's text; they depend on
 * nothing outside the document, so they are cached with it.
 *
 * A checked document keeps its text, its diagnostics and a summary of each
 * object. Its syntax tree is kept only on request: a file of thousands of
 * documents would otherwise hold every tree (memory, and garbage-collector
 * time while they are built). Features that need the tree (hover,
 * completion) re-parse that one document, which takes well under a millisecond.
 */
import { mapGet, ParsedDocument } from '../manifests/parsed-document.js';
import { objectsOf, type KubeObject } from '../manifests/kube-object.js';
import { LineIndex } from '../core/position.js';
import { validateAgainstSchema } from '../schema/validate.js';
import type { SchemaStore } from '../schema/schema-store.js';
import { checkApiVersionAndKind } from './checks/api-version.js';
import { checkMetadata } from './checks/metadata.js';
import { checkWebhook } from './webhook/check-webhook.js';
import { checkShim } from './shim/check-shim.js';
import { extractFacts, type ObjectFacts } from './cross/object-facts.js';
import { Reporter } from '../core/reporter.js';
import { ruleById, type RuleReporter } from './registry.js';
import { hasPlaceholder, mayHavePlaceholders } from './placeholders.js';
import type { Diagnostic } from '../core/diagnostic.js';
import { explainByVersion } from './checks/cert-manager-version.js';

/** What the workspace needs to know about an object without its syntax tree. */
export interface ObjectSummary {
  apiVersion?: string;
  kind?: string;
  group: string;
  name?: string;
  namespace?: string;
  /** Offsets of the object's mapping in the document text. */
  start: number;
  end: number;
  /** Offsets of metadata.name's value (or of kind's, when there is no name). */
  labelStart: number;
  labelEnd: number;
  /** What cross-resource checks and navigation need (cert-manager kinds, Ingress, Gateway). */
  facts?: ObjectFacts;
}

export interface Parsed {
  doc: ParsedDocument;
  objects: KubeObject[];
}

/**
 * A document's text kept elsewhere (a language server's background file: on
 * disk), read when asked for, and its line positions, known without it.
 */
export interface StoredText {
  read(): string;
  lines(): LineIndex;
}

export class CheckedDocument {
  private parsedCache: Parsed | undefined;
  private lineIndex: LineIndex | undefined;

  constructor(
    private readonly source: string | StoredText,
    /** Positions relative to the document's text. */
    readonly diagnostics: Diagnostic[],
    readonly objects: ObjectSummary[],
    /** True when the YAML itself has problems (the objects may be incomplete). */
    readonly hasSyntaxProblems: boolean,
    parsed: Parsed | undefined,
  ) {
    this.parsedCache = parsed;
  }

  /** The syntax tree and objects, re-parsed if they were released. */
  parsed(): Parsed {
    if (!this.parsedCache) {
      const doc = new ParsedDocument(this.text);
      this.parsedCache = { doc, objects: doc.yaml ? safeObjects(doc) : [] };
      this.lineIndex = undefined;
    }
    return this.parsedCache;
  }

  /** Drop the syntax tree (it is rebuilt on demand). */
  release(): void {
    this.parsedCache = undefined;
  }

  get text(): string {
    return typeof this.source === 'string' ? this.source : this.source.read();
  }

  /** The same results over a kept text (a stored document opened in the editor, its text unchanged). */
  keptAs(text: string): CheckedDocument {
    return typeof this.source === 'string' ? this : new CheckedDocument(text, this.diagnostics, this.objects, this.hasSyntaxProblems, undefined);
  }

  get lines(): LineIndex {
    if (this.parsedCache) return this.parsedCache.doc.lines;
    if (typeof this.source !== 'string') return this.source.lines();
    return (this.lineIndex ??= new LineIndex(this.source));
  }
}

function safeObjects(doc: ParsedDocument): KubeObject[] {
  try {
    return objectsOf(doc);
  } catch (e) {
    if (e instanceof RangeError) return [];
    throw e;
  }
}

function summarize(obj: KubeObject): ObjectSummary {
  const r = obj.node.range ?? [0, 0, 0];
  const label = obj.document.resolve(mapGet(obj.metadataNode, 'name')) ?? mapGet(obj.node, 'kind') ?? obj.node;
  const lr = label.range ?? r;
  return {
    apiVersion: obj.apiVersion,
    kind: obj.kind,
    group: obj.group,
    name: obj.name,
    namespace: obj.namespace,
    start: r[0],
    end: r[1],
    labelStart: lr[0],
    labelEnd: lr[1],
    facts: extractFacts(obj),
  };
}

/** True when one field path is the other, or contains it (`spec` and `spec.dnsNames[0]`). */
function pathsRelated(a: string | undefined, b: string | undefined): boolean {
  if (!a || !b) return false;
  const within = (outer: string, inner: string) => inner === outer || inner.startsWith(`${outer}.`) || inner.startsWith(`${outer}[`);
  return within(a, b) || within(b, a);
}

export function checkDocument(text: string, store: SchemaStore, keepTree = true): CheckedDocument {
  const doc = new ParsedDocument(text);
  const report: RuleReporter = new Reporter(doc.lines, ruleById);
  for (const p of doc.problems) report.atOffsets(p.code, p.start, p.end, p.message, undefined, p.severity);
  let objects: KubeObject[] = [];
  // A document kubectl cannot read (a YAML error, a bomb, too deep) is rejected as a
  // whole; field checks on a tree the parser had to guess at would only mislead.
  const unreadable = doc.problems.some((p) => p.severity === 'error');
  if (doc.yaml && !unreadable) {
    try {
      objects = objectsOf(doc);
      for (const obj of objects) {
        const entry = checkApiVersionAndKind(obj, store, report);
        checkMetadata(obj, entry, report);
        if (entry) {
          const schema = store.schema(entry.apiVersion, entry.kind);
          const before = report.diagnostics.length;
          if (schema) validateAgainstSchema(doc, obj.node, schema, report);
          explainByVersion(entry, report.diagnostics.slice(before), store, text, doc.lines);
          // The API server checks the schema before the webhook runs, so a field the schema
          // rejects never reaches the webhook: drop webhook errors about the same spot, or
          // about a field above or below one the schema rejects (they follow from it).
          const schemaErrors = report.diagnostics.slice(before).filter((d) => d.severity === 'error');
          // A misplaced block leaves the object without the fields it was meant to have:
          // report that one thing, not everything that follows from it.
          if (schemaErrors.some((d) => d.code === 'misplaced-block')) continue;
          const webhookStart = report.diagnostics.length;
          checkWebhook(obj, report, store.target.release);
          const fresh = report.diagnostics.splice(webhookStart);
          for (const d of fresh) {
            const shadowed = schemaErrors.some(
              (e) => (e.range.start.line === d.range.start.line && e.range.start.character === d.range.start.character) || pathsRelated(e.path, d.path),
            );
            if (!shadowed) report.diagnostics.push(d);
          }
        }
        checkShim(obj, report, store.target.release);
      }
    } catch (e) {
      if (!(e instanceof RangeError)) throw e;
      // A stack overflow on a pathological document: report it, never crash.
      report.atOffsets('yaml-too-deep', 0, 0, 'This document is nested too deeply to check.');
    }
  }
  const summaries = objects.map(summarize);
  // A diagnostic about a value that is a ${VAR} placeholder is not about the real value.
  const diagnostics = mayHavePlaceholders(text)
    ? report.diagnostics.filter((d) => d.code.startsWith('yaml-') || !hasPlaceholder(text.slice(doc.lines.offsetAt(d.range.start), doc.lines.offsetAt(d.range.end))))
    : report.diagnostics;
  return new CheckedDocument(text, diagnostics, summaries, doc.problems.length > 0, keepTree ? { doc, objects } : undefined);
}
