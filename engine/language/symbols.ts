/** Document symbols: one per Kubernetes object, named `Kind/name`. */
import type { Range } from '../core/position.js';
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
    const lines = fd.checked.lines;
    for (const obj of fd.checked.objects) {
      out.push({
        name: `${obj.kind ?? '(no kind)'}/${obj.name ?? '(no name)'}`,
        detail: [obj.apiVersion, obj.namespace ? `namespace ${obj.namespace}` : undefined].filter(Boolean).join(', '),
        range: file.toFileRange(fd, lines.rangeOf(obj.start, obj.end)),
        selectionRange: file.toFileRange(fd, lines.rangeOf(obj.labelStart, obj.labelEnd)),
      });
    }
  }
  return out;
}
