/** Document symbols: one per Kubernetes object, named `Kind/name`. */
import { mapGet } from '../manifests/parsed-document.js';
import type { Range } from '../manifests/position.js';
import type { ManifestFile } from '../workspace/manifest-file.js';

export interface ObjectSymbol {
  name: string;
  detail: string;
  range: Range;
  selectionRange: Range;
}

export function documentSymbols(file: ManifestFile): ObjectSymbol[] {
  const out: ObjectSymbol[] = [];
  for (const fd of file.documents) {
    const doc = fd.checked.doc;
    for (const obj of fd.checked.objects) {
      const r = obj.node.range;
      if (!r) continue;
      const range = file.toFileRange(fd, doc.lines.rangeOf(r[0], r[1]));
      const nameNode = obj.document.resolve(mapGet(obj.metadataNode, 'name')) ?? mapGet(obj.node, 'kind') ?? obj.node;
      const sr = nameNode.range ?? r;
      const ns = obj.namespace;
      out.push({
        name: obj.label,
        detail: [obj.apiVersion, ns ? `namespace ${ns}` : undefined].filter(Boolean).join(', '),
        range,
        selectionRange: file.toFileRange(fd, doc.lines.rangeOf(sr[0], sr[1])),
      });
    }
  }
  return out;
}
