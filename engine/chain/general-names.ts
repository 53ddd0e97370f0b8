/**
 * GeneralName values (RFC 5280 4.2.1.6): the subject alternative names of a
 * certificate and the subtrees of name constraints, as the certificate reader
 * (certificate-info.ts) gives them. Types Certsmith does not interpret
 * (otherName, x400Address, ...) are kept with their tag so that nothing is
 * silently lost. Also the IP address text both sides of a comparison use.
 */
export type GeneralNameValue =
  | { type: 'dns'; value: string }
  | { type: 'email'; value: string }
  | { type: 'uri'; value: string }
  | { type: 'ip'; bytes: Uint8Array; value: string }
  /** A directory name: the DER of each of its RDNs. */
  | { type: 'dn'; rdns: Uint8Array[] }
  | { type: 'other'; tag: number };

/** An IP address (4 or 16 bytes) as text; address+mask (8 or 32 bytes) as CIDR-ish "addr/mask". */
export function formatIp(bytes: Uint8Array): string {
  const one = (b: Uint8Array): string => {
    if (b.length === 4) return Array.from(b).join('.');
    if (b.length === 16) {
      const groups: string[] = [];
      for (let i = 0; i < 16; i += 2) groups.push(((b[i] << 8) | b[i + 1]).toString(16));
      // Compress the longest run of zero groups.
      let best = -1;
      let bestLen = 0;
      for (let i = 0; i < 8; ) {
        if (groups[i] !== '0') {
          i++;
          continue;
        }
        let j = i;
        while (j < 8 && groups[j] === '0') j++;
        if (j - i > bestLen && j - i > 1) {
          best = i;
          bestLen = j - i;
        }
        i = j;
      }
      if (best === -1) return groups.join(':');
      return `${groups.slice(0, best).join(':')}::${groups.slice(best + bestLen).join(':')}`;
    }
    return Buffer.from(b).toString('hex');
  };
  if (bytes.length === 8 || bytes.length === 32) {
    const half = bytes.length / 2;
    return `${one(bytes.subarray(0, half))}/${one(bytes.subarray(half))}`;
  }
  return one(bytes);
}

/** Parses an IPv4 or IPv6 literal (brackets allowed) to bytes, or undefined. */
export function parseIp(text: string): Uint8Array | undefined {
  let s = text.trim();
  if (s.startsWith('[') && s.endsWith(']')) s = s.slice(1, -1);
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(s);
  if (v4) {
    const parts = v4.slice(1).map(Number);
    if (parts.some((p, i) => p > 255 || (v4[i + 1].length > 1 && v4[i + 1].startsWith('0')))) return undefined;
    return Uint8Array.from(parts);
  }
  if (!s.includes(':') || !/^[0-9a-fA-F:.]+$/.test(s)) return undefined;
  let tail: number[] = [];
  const lastColon = s.lastIndexOf(':');
  if (s.slice(lastColon + 1).includes('.')) {
    const four = parseIp(s.slice(lastColon + 1));
    if (!four || four.length !== 4) return undefined;
    tail = Array.from(four);
    s = s.slice(0, lastColon + 1) + '0:0';
  }
  const halves = s.split('::');
  if (halves.length > 2) return undefined;
  const parse = (h: string) => (h === '' ? [] : h.split(':'));
  const head = parse(halves[0]);
  const rest = halves.length === 2 ? parse(halves[1]) : [];
  const total = head.length + rest.length;
  if (halves.length === 1 ? total !== 8 : total > 7) return undefined;
  const groups = [...head, ...Array(8 - total).fill('0'), ...rest];
  const out = new Uint8Array(16);
  for (let i = 0; i < 8; i++) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(groups[i])) return undefined;
    const n = parseInt(groups[i], 16);
    out[2 * i] = n >> 8;
    out[2 * i + 1] = n & 0xff;
  }
  if (tail.length) out.set(tail, 12);
  return out;
}
