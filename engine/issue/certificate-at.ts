/**
 * Which cert-manager Certificate the cursor is in (for "Issue Certificate…"
 * from the editor), and every Certificate of a text, from the YAML nodes.
 */
import { ParsedDocument } from '../manifests/parsed-document.js';
import { objectsOf } from '../manifests/kube-object.js';
import { splitDocuments } from '../manifests/segments.js';

export interface CertificateRef {
  name: string;
  namespace: string | null;
}

function certificatesIn(text: string): (CertificateRef & { start: number; end: number })[] {
  const out: (CertificateRef & { start: number; end: number })[] = [];
  for (const segment of splitDocuments(text)) {
    if (!/kind:\s*["']?Certificate\b/.test(segment.text)) continue;
    const doc = new ParsedDocument(segment.text);
    for (const o of objectsOf(doc)) {
      if (o.kind !== 'Certificate' || !o.apiVersion?.startsWith('cert-manager.io/') || !o.name) continue;
      const [s, , e] = o.node.range ?? [0, 0, segment.text.length];
      out.push({ name: o.name, namespace: o.namespace ?? null, start: segment.offset + s, end: segment.offset + e });
    }
  }
  return out;
}

/** The Certificate whose document contains `offset`, else undefined. */
export function certificateAt(text: string, offset: number): CertificateRef | undefined {
  const all = certificatesIn(text);
  const hit = all.find((c) => offset >= c.start && offset <= c.end);
  return hit ? { name: hit.name, namespace: hit.namespace } : undefined;
}
