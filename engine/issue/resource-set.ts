/**
 * The Kubernetes resources given to an issuance (`certsmith issue -f ...`, or
 * the files of the editor's workspace), as plain values with where each came
 * from. Lookups follow the API server: kind + name + namespace, where an
 * object without metadata.namespace takes the namespace it will be applied
 * to (the caller's default).
 */
import { withoutByteOrderMark } from '../manifests/file-limits.js';
import { ParsedDocument } from '../manifests/parsed-document.js';
import { objectsOf } from '../manifests/kube-object.js';
import { splitDocuments } from '../manifests/segments.js';
import { checkText } from '../manifests/file-limits.js';
import { UserError } from '../core/errors.js';

export interface Resource {
  apiVersion: string;
  kind: string;
  name: string;
  /** metadata.namespace, or undefined when the manifest leaves it to `kubectl apply`. */
  namespace: string | undefined;
  value: Record<string, unknown>;
  /** "file:line" (one-based) for messages. */
  source: string;
}

export class ResourceSet {
  readonly resources: Resource[] = [];

  /** Adds every object of a file's text. Unreadable YAML is an UserError naming the file and line. */
  addFile(file: string, text: string): void {
    text = withoutByteOrderMark(text);
    const problem = checkText(text);
    if (problem) throw new UserError(`${file}: ${problem.message}`);
    for (const segment of splitDocuments(text)) {
      const doc = new ParsedDocument(segment.text);
      const bad = doc.problems.find((p) => p.severity === 'error');
      if (bad) {
        const line = segment.line + doc.lines.positionAt(bad.start).line + 1;
        throw new UserError(`${file}:${line}: ${bad.message}`);
      }
      for (const o of objectsOf(doc)) {
        const value = o.toPlain();
        const kind = o.kind;
        const name = o.name;
        if (!value || !kind || !name) continue;
        const line = segment.line + doc.lines.positionAt(o.node.range?.[0] ?? 0).line + 1;
        this.resources.push({ apiVersion: o.apiVersion ?? '', kind, name, namespace: o.namespace, value, source: `${file}:${line}` });
      }
    }
  }

  /** Adds a Secret that is not in any file (e.g. a value kept in the editor's secret storage). */
  addSecret(namespace: string, name: string, data: Record<string, string>, source: string): void {
    const value = { apiVersion: 'v1', kind: 'Secret', metadata: { name, namespace }, stringData: data };
    this.resources.push({ apiVersion: 'v1', kind: 'Secret', name, namespace, value, source });
  }

  ofKind(kind: string, group?: string): Resource[] {
    return this.resources.filter((r) => r.kind === kind && (group === undefined || groupOf(r.apiVersion) === group));
  }

  /**
   * The object of this kind and name in `namespace`: one whose namespace is
   * `namespace`, or, failing that, one without a namespace (it will be
   * applied to the default namespace, which the caller says is `namespace`).
   */
  find(kind: string, name: string, namespace: string | undefined, group?: string): Resource | undefined {
    const candidates = this.ofKind(kind, group).filter((r) => r.name === name);
    if (namespace === undefined) return candidates[0];
    return candidates.find((r) => r.namespace === namespace) ?? candidates.find((r) => r.namespace === undefined);
  }
}

function groupOf(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash === -1 ? '' : apiVersion.slice(0, slash);
}
