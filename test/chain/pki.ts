/**
 * Test PKIs made with openssl at test time (no committed keys), and openssl's
 * own verdicts to compare the inspector with.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export type KeyType = 'ec' | 'rsa2048' | 'rsa1024' | 'ed25519';

export interface CertOptions {
  subj: string;
  /** openssl extension lines (x509v3_config syntax). */
  ext: string[];
  days?: number;
  key?: KeyType;
  /** Reuse the key file of another certificate. */
  keyOf?: string;
  /** Digest (sha256 by default; sha1 for the weak-signature case). */
  md?: string;
  /** Sign with RSA-PSS. */
  pss?: boolean;
}

export function openssl(args: string[], cwd: string, input?: string): string {
  return execFileSync('openssl', args, { cwd, encoding: 'utf8', input, stdio: ['pipe', 'pipe', 'pipe'] });
}

export class Pki {
  private serial = 1;
  constructor(readonly dir: string) {}

  path(name: string): string {
    return join(this.dir, name);
  }

  key(name: string, type: KeyType): string {
    const file = this.path(`${name}.key`);
    const alg: Record<KeyType, string[]> = {
      ec: ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256'],
      rsa2048: ['-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048'],
      rsa1024: ['-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:1024'],
      ed25519: ['-algorithm', 'ED25519'],
    };
    openssl(['genpkey', ...alg[type], '-out', file], this.dir);
    return file;
  }

  /** A self-signed certificate (a root, or a self-signed leaf). */
  selfSigned(name: string, o: CertOptions): string {
    const key = o.keyOf ? this.path(`${o.keyOf}.key`) : this.key(name, o.key ?? 'ec');
    const cfg = this.config(name, o.ext);
    const out = this.path(`${name}.pem`);
    const args = ['req', '-x509', '-new', '-key', key, '-subj', o.subj, '-days', String(o.days ?? 3650), '-config', cfg, '-extensions', 'ext', '-set_serial', String(this.serial++), '-out', out];
    if (o.md) args.push(`-${o.md}`);
    openssl(args, this.dir);
    return out;
  }

  /** A certificate issued by `issuer` (the name of an earlier certificate). */
  issue(name: string, issuer: string, o: CertOptions): string {
    const key = o.keyOf ? this.path(`${o.keyOf}.key`) : this.key(name, o.key ?? 'ec');
    const csr = this.path(`${name}.csr`);
    openssl(['req', '-new', '-key', key, '-subj', o.subj, '-out', csr, '-config', this.config(`${name}-req`, [])], this.dir);
    const ext = this.path(`${name}.ext`);
    writeFileSync(ext, o.ext.join('\n') + '\n');
    const out = this.path(`${name}.pem`);
    const args = ['x509', '-req', '-in', csr, '-CA', this.path(`${issuer}.pem`), '-CAkey', this.path(`${issuer}.key`), '-set_serial', String(this.serial++), '-days', String(o.days ?? 365), '-extfile', ext, '-out', out];
    const issuerKey = readFileSync(this.path(`${issuer}.key`), 'utf8');
    if (!issuerKey.includes('BEGIN PRIVATE KEY') || !this.isEd25519(issuer)) args.push(`-${o.md ?? 'sha256'}`);
    if (o.pss) args.push('-sigopt', 'rsa_padding_mode:pss', '-sigopt', 'rsa_pss_saltlen:32');
    openssl(args, this.dir);
    return out;
  }

  private isEd25519(name: string): boolean {
    return openssl(['pkey', '-in', this.path(`${name}.key`), '-noout', '-text'], this.dir).startsWith('ED25519');
  }

  private config(name: string, ext: string[]): string {
    const file = this.path(`${name}.cnf`);
    writeFileSync(file, `[req]\ndistinguished_name = dn\nprompt = no\n[dn]\n[ext]\n${ext.join('\n')}\n`);
    return file;
  }

  /** Concatenate PEM files (by certificate name) into one bundle, with optional junk between. */
  bundle(file: string, names: string[], junk = false): string {
    const parts = names.map((n, i) => (junk ? `# ${n} (${i})\nsubject=whatever\n` : '') + readFileSync(this.path(`${n}.pem`), 'utf8'));
    const out = this.path(file);
    writeFileSync(out, parts.join(junk ? '\nsome junk between blocks\n\n' : ''));
    return out;
  }
}

export interface OpensslVerdict {
  ok: boolean;
  output: string;
}

/** `openssl verify -CAfile roots -untrusted bundle [-attime] [...extra] leaf`. */
export function opensslVerify(dir: string, o: { roots: string; untrusted?: string; leaf: string; at?: Date; extra?: string[] }): OpensslVerdict {
  const args = ['verify', '-CAfile', o.roots];
  if (o.untrusted) args.push('-untrusted', o.untrusted);
  if (o.at) args.push('-attime', String(Math.floor(o.at.getTime() / 1000)));
  args.push(...(o.extra ?? []), o.leaf);
  const r = spawnSync('openssl', args, { cwd: dir, encoding: 'utf8' });
  return { ok: r.status === 0 && /: OK\s*$/.test(r.stdout), output: `${r.stdout}${r.stderr}`.trim() };
}

/** Facts `openssl x509` prints about a certificate. */
export function opensslFacts(dir: string, pem: string) {
  const out = openssl(['x509', '-in', pem, '-noout', '-serial', '-fingerprint', '-sha256', '-dates', '-text'], dir);
  const line = (re: RegExp) => re.exec(out)?.[1]?.trim();
  const san = /X509v3 Subject Alternative Name:.*\n\s*(.*)/.exec(out)?.[1] ?? '';
  return {
    serial: line(/^serial=(.*)$/m)!,
    fingerprint: line(/^sha256 Fingerprint=(.*)$/m)!,
    notBefore: new Date(line(/^notBefore=(.*)$/m)!),
    notAfter: new Date(line(/^notAfter=(.*)$/m)!),
    signatureAlgorithm: line(/Signature Algorithm: (.*)$/m)!,
    publicKeyBits: Number(line(/Public-Key: \((\d+) bit\)/) ?? 'NaN'),
    isCA: /CA:TRUE/.test(out),
    pathLen: line(/CA:TRUE, pathlen:(\d+)/) ? Number(line(/CA:TRUE, pathlen:(\d+)/)) : null,
    dnsNames: [...san.matchAll(/DNS:([^,\s]+)/g)].map((m) => m[1]),
    ipAddresses: [...san.matchAll(/IP Address:([^,\s]+)/g)].map((m) => m[1]),
    hasSan: /X509v3 Subject Alternative Name/.test(out),
    text: out,
  };
}
