/**
 * The objects of manifest files, each with the YAML nodes it came from, for
 * sending to a cluster and for mapping the answer back to lines and columns.
 * Documents are split and parsed as `lint` does (segments, ParsedDocument,
 * `v1/List` items); what cannot be sent (YAML errors, an object without
 * apiVersion, kind or name) is a local problem, reported before anything is sent.
 */
import { withoutByteOrderMark } from '../manifests/file-limits.js';
import { ParsedDocument } from '../manifests/parsed-document.js';
import { objectsOf, type KubeObject } from '../manifests/kube-object.js';
import { splitDocuments } from '../manifests/segments.js';
import { shiftRange, type Range } from '../core/position.js';
import { ruleById } from '../rules/registry.js';
import type { Diagnostic } from '../core/diagnostic.js';
import { CLUSTER_CODES, clusterDiagnostic } from './cluster-codes.js';
import { kindOffsets } from './field-path.js';

export interface ManifestText {
  /** How the file is named in output (as given on the command line, or a URI). */
  display: string;
  text: string;
}

export interface SourceObject {
  /** Position in the input (files, documents, List items), from 0. */
  index: number;
  file: string;
  object: KubeObject;
  /** The line of the object's document in its file. */
  lineOffset: number;
  apiVersion: string;
  kind: string;
  name: string;
  /** metadata.namespace as written, if any. */
  namespace?: string;
}

export interface FileDiagnostic {
  file: string;
  diagnostic: Diagnostic;
}

/** Offsets in the object's document → a range in its file. */
export function objectRange(o: SourceObject, offsets: [number, number]): Range {
  return shiftRange(o.object.document.lines.rangeOf(offsets[0], offsets[1]), o.lineOffset);
}

export function readManifestObjects(files: readonly ManifestText[]): { objects: SourceObject[]; problems: FileDiagnostic[] } {
  const objects: SourceObject[] = [];
  const problems: FileDiagnostic[] = [];
  for (const f of files) {
    const text = withoutByteOrderMark(f.text);
    for (const segment of splitDocuments(text)) {
      const doc = new ParsedDocument(segment.text);
      const errors = doc.problems.filter((p) => p.severity === 'error');
      for (const p of errors) {
        const rule = ruleById(p.code);
        problems.push({ file: f.display, diagnostic: { range: shiftRange(doc.lines.rangeOf(p.start, p.end), segment.line), severity: 'error', code: rule.id, message: p.message, href: rule.docs } });
      }
      if (errors.length || !doc.yaml) continue;
      for (const object of objectsOf(doc)) {
        const so: SourceObject = {
          index: objects.length,
          file: f.display,
          object,
          lineOffset: segment.line,
          apiVersion: object.apiVersion ?? '',
          kind: object.kind ?? '',
          name: object.name ?? '',
          namespace: object.namespace,
        };
        const missing = [!so.apiVersion && 'apiVersion', !so.kind && 'kind', !so.name && 'metadata.name'].filter(Boolean) as string[];
        if (missing.length) {
          const hint = missing.includes('metadata.name') && object.nodeAt(['metadata', 'generateName']) ? ' (server-side apply needs a name; generateName is not enough)' : '';
          problems.push({ file: f.display, diagnostic: clusterDiagnostic(CLUSTER_CODES.incomplete, objectRange(so, kindOffsets(object)), `This object has no ${missing.join(', no ')}, so it cannot be sent to a cluster${hint}.`) });
          continue;
        }
        if (object.toPlain() === undefined) {
          problems.push({ file: f.display, diagnostic: clusterDiagnostic(CLUSTER_CODES.incomplete, objectRange(so, kindOffsets(object)), 'This object expands to too many nodes through aliases to be sent.') });
          continue;
        }
        objects.push(so);
      }
    }
  }
  // Renumber: only the objects that will be sent.
  objects.forEach((o, i) => (o.index = i));
  return { objects, problems };
}
