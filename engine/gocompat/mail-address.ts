/**
 * Go's net/mail.ParseAddress, as far as cert-manager's check needs it: the
 * address it finds (to compare with the input, which must be that address
 * alone), or Go's error text. Follows Go's order: an addr-spec first, then a
 * display name with an angle-addr, or a group.
 */

const ATEXT_CHAR = /[A-Za-z0-9!#$%&'*+\-/=?^_`{|}~\u0080-\uffff]/;

class Parser {
  constructor(
    private s: string,
    private i = 0,
  ) {}

  empty(): boolean {
    return this.i >= this.s.length;
  }
  peek(): string {
    return this.s[this.i];
  }
  skipSpace(): void {
    while (!this.empty() && (this.peek() === ' ' || this.peek() === '\t')) this.i++;
  }
  consume(c: string): boolean {
    if (this.peek() !== c) return false;
    this.i++;
    return true;
  }

  /** An atom (dot-atom when dots are allowed), or undefined. */
  atom(dot: boolean): string | undefined {
    const start = this.i;
    while (!this.empty() && (ATEXT_CHAR.test(this.peek()) || (dot && this.peek() === '.'))) this.i++;
    const a = this.s.slice(start, this.i);
    if (a === '') return undefined;
    if (dot && (a.startsWith('.') || a.endsWith('.') || a.includes('..'))) return undefined;
    return a;
  }

  quoted(): string | undefined {
    if (!this.consume('"')) return undefined;
    let out = '';
    while (!this.empty()) {
      const c = this.s[this.i++];
      if (c === '"') return out;
      if (c === '\\') {
        if (this.empty()) return undefined;
        out += this.s[this.i++];
      } else out += c;
    }
    return undefined;
  }

  addrSpec(): { spec: string } | { error: string } {
    const start = this.i;
    this.skipSpace();
    const local = this.peek() === '"' ? this.quoted() : this.atom(true);
    if (local === undefined) {
      this.i = start;
      return { error: 'mail: invalid string' };
    }
    if (!this.consume('@')) {
      this.i = start;
      return { error: 'mail: missing @ in addr-spec' };
    }
    this.skipSpace();
    if (this.empty()) {
      this.i = start;
      return { error: 'mail: no domain in addr-spec' };
    }
    let domain: string | undefined;
    if (this.peek() === '[') {
      const end = this.s.indexOf(']', this.i);
      domain = end === -1 ? undefined : this.s.slice(this.i, end + 1);
      if (domain) this.i = end + 1;
    } else domain = this.atom(true);
    if (domain === undefined) {
      this.i = start;
      return { error: 'mail: invalid domain in addr-spec' };
    }
    return { spec: `${local}@${domain}` };
  }

  phrase(): { words: string[] } | { error: string } {
    const words: string[] = [];
    for (;;) {
      this.skipSpace();
      if (this.empty()) break;
      const w = this.peek() === '"' ? this.quoted() : this.atom(true);
      if (w === undefined) break;
      words.push(w);
    }
    return words.length ? { words } : { error: 'mail: missing word in phrase' };
  }
}

export function parseMailAddress(input: string): { address: string } | { error: string } {
  const p = new Parser(input);
  p.skipSpace();
  if (p.empty()) return { error: 'mail: no address' };
  const first = p.addrSpec();
  if ('spec' in first) {
    p.skipSpace();
    if (!p.empty()) return { error: `mail: expected single address, got "${input.slice(input.length - (input.length - input.indexOf(first.spec) - first.spec.length))}"` };
    return { address: first.spec };
  }
  let displayWords: string[] = [];
  if (p.peek() !== '<') {
    const ph = p.phrase();
    if ('error' in ph) return ph;
    displayWords = ph.words;
  }
  p.skipSpace();
  if (p.consume(':')) {
    // A group: "name: addr, addr;" — cert-manager wants one bare address.
    const member = p.addrSpec();
    if ('error' in member) return member;
    p.skipSpace();
    if (!p.consume(';') && !p.consume(',')) return { error: 'mail: expected comma' };
    return { error: 'mail: expected single address' };
  }
  if (!p.consume('<')) {
    const atext = displayWords.every((w) => [...w].every((c) => ATEXT_CHAR.test(c) || c === '.'));
    return { error: atext ? "mail: missing '@' or angle-addr" : 'mail: no angle-addr' };
  }
  const spec = p.addrSpec();
  if ('error' in spec) return spec;
  if (!p.consume('>')) return { error: 'mail: unclosed angle-addr' };
  return { address: spec.spec };
}
