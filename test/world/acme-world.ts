/**
 * An ACME world for tests, benchmarks and `npm start`: a bind9 authoritative
 * for a test zone (TSIG-updatable, `* IN A 127.0.0.1` so HTTP-01 names reach
 * the local responder) and a Pebble whose validation authority asks that
 * bind9. Plus the manifests a user would write for it: an Issuer with the
 * rfc2136 and HTTP-01 solvers, its TSIG Secret, and Pebble's listener CA as
 * spec.acme.caBundle.
 */
import { startBind9, zoneFile, type Bind9 } from './bind9.js';
import { startPebble, type Pebble, type PebbleOptions } from './pebble.js';

export interface AcmeWorld {
  zone: string;
  bind9: Bind9;
  pebble: Pebble;
  /** Options every `certsmith issue` against this world needs (resolvers, ports, state). */
  issueArgs(stateDir: string): string[];
  /** Issuer + TSIG Secret YAML (namespace "default"). */
  issuerYaml(o?: IssuerYamlOptions): string;
  stop(): Promise<void>;
}

interface IssuerYamlOptions {
  name?: string;
  /** Solvers in YAML, indented for spec.acme.solvers (default: dns01 rfc2136 for everything). */
  solvers?: string;
  /** A different TSIG secret in the Secret (to test a refused key). */
  tsigSecret?: string;
  externalAccountBinding?: { keyID: string; hmacKey: string };
  preferredChain?: string;
  directoryUrl?: string;
}

export async function startAcmeWorld(o: { zone?: string; pebble?: Omit<PebbleOptions, 'dnsServer'> } = {}): Promise<AcmeWorld> {
  const zone = o.zone ?? 'example.test';
  const bind9 = await startBind9({ zones: [{ name: zone, content: zoneFile({ zone, records: ['@ IN A 127.0.0.1', '* IN A 127.0.0.1'] }) }], tsig: true });
  let pebble: Pebble;
  try {
    pebble = await startPebble({ ...o.pebble, dnsServer: bind9.address });
  } catch (e) {
    await bind9.stop();
    throw e;
  }
  const world: AcmeWorld = {
    zone,
    bind9,
    pebble,
    issueArgs: (stateDir) => [
      '--state',
      stateDir,
      '--recursive-nameservers',
      bind9.address,
      '--dns01-authoritative-port',
      String(bind9.port),
      '--http01-listen',
      `127.0.0.1:${pebble.httpPort}`,
      '--timeout',
      '60s',
    ],
    issuerYaml(y = {}) {
      const solvers =
        y.solvers ??
        `      - dns01:
          rfc2136:
            nameserver: ${bind9.address}
            tsigKeyName: ${bind9.tsig!.name}
            tsigAlgorithm: HMACSHA256
            tsigSecretSecretRef:
              name: tsig-secret
              key: tsig-secret-key`;
      const eab = y.externalAccountBinding
        ? `    externalAccountBinding:
      keyID: ${y.externalAccountBinding.keyID}
      keySecretRef:
        name: eab-secret
        key: secret
`
        : '';
      return `apiVersion: cert-manager.io/v1
kind: Issuer
metadata:
  name: ${y.name ?? 'pebble'}
  namespace: default
spec:
  acme:
    server: ${y.directoryUrl ?? pebble.directoryUrl}
    email: ops@${zone}
    caBundle: ${Buffer.from(pebble.caBundlePem).toString('base64')}
    privateKeySecretRef:
      name: pebble-account
${y.preferredChain ? `    preferredChain: ${y.preferredChain}\n` : ''}${eab}    solvers:
${solvers}
---
apiVersion: v1
kind: Secret
metadata:
  name: tsig-secret
  namespace: default
type: Opaque
stringData:
  tsig-secret-key: ${y.tsigSecret ?? bind9.tsig!.secret}
${
  y.externalAccountBinding
    ? `---
apiVersion: v1
kind: Secret
metadata:
  name: eab-secret
  namespace: default
stringData:
  secret: ${y.externalAccountBinding.hmacKey}
`
    : ''
}`;
    },
    async stop() {
      await Promise.allSettled([pebble.stop()]);
      await bind9.stop();
    },
  };
  return world;
}

/** A Certificate manifest. */
export function certificateYaml(o: { name: string; secretName?: string; issuer?: string; dnsNames: string[]; privateKey?: string; extra?: string }): string {
  return `apiVersion: cert-manager.io/v1
kind: Certificate
metadata:
  name: ${o.name}
  namespace: default
spec:
  secretName: ${o.secretName ?? `${o.name}-tls`}
  issuerRef:
    name: ${o.issuer ?? 'pebble'}
  dnsNames:
${o.dnsNames.map((d) => `    - "${d}"`).join('\n')}
${o.privateKey ? `  privateKey:\n${o.privateKey}\n` : ''}${o.extra ?? ''}`;
}
