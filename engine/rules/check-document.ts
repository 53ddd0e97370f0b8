/**
 * All local checks of one YAML document: syntax, apiVersion/kind, metadata and
 * schema. Diagnostics are relative to the document's text; they depend on
 * nothing outside the document, so they can be cached with it.
 */
import { objectsOf, type KubeObject } from '../manifests/kube-object.js';
import { ParsedDocument } from '../manifests/parsed-document.js';
import { validateAgainstSchema } from '../schema/validate.js';
import type { SchemaStore } from '../schema/schema-store.js';
import { checkApiVersionAndKind } from './checks/api-version.js';
import { checkMetadata } from './checks/metadata.js';
import { Reporter } from './report.js';
import type { Diagnostic } from './rule.js';

export interface CheckedDocument {
  doc: ParsedDocument;
  objects: KubeObject[];
  /** Positions relative to the document's text. */
  diagnostics: Diagnostic[];
}

export function checkDocument(text: string, store: SchemaStore): CheckedDocument {
  const doc = new ParsedDocument(text);
  const report = new Reporter(doc);
  for (const p of doc.problems) report.atOffsets(p.code, p.start, p.end, p.message, undefined, p.severity);
  let objects: KubeObject[] = [];
  if (doc.yaml) {
    try {
      objects = objectsOf(doc);
      for (const obj of objects) {
        const entry = checkApiVersionAndKind(obj, store, report);
        checkMetadata(obj, entry, report);
        if (entry) {
          const schema = store.schema(entry.apiVersion, entry.kind);
          if (schema) validateAgainstSchema(doc, obj.node, schema, report);
        }
      }
    } catch (e) {
      if (!(e instanceof RangeError)) throw e;
      // A stack overflow on a pathological document: report it, never crash.
      report.atOffsets('yaml-too-deep', 0, 0, 'This document is nested too deeply to check.');
    }
  }
  return { doc, objects, diagnostics: report.diagnostics };
}
