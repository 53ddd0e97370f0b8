/** Field paths as the API server writes them: `spec.dnsNames[0]`, `metadata.annotations[cert-manager.io/issuer]`. */
export type PathSegment = string | number;

const SIMPLE_KEY = /^[A-Za-z_$][A-Za-z0-9_$-]*$/;

export function formatPath(path: readonly PathSegment[]): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else if (SIMPLE_KEY.test(seg)) out += out ? `.${seg}` : seg;
    else out += `[${seg}]`;
  }
  return out || '(root)';
}
