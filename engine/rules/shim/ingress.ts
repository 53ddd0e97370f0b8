/**
 * How the ingress-shim turns spec.tls into Certificates (sync.go): one
 * Certificate per TLS entry, named after its secretName, with its hosts as
 * dnsNames (IP addresses as ipAddresses). checkForDuplicateSecretNames
 * refuses the whole Ingress when two entries share a secretName;
 * validateIngressTLSBlock skips an entry without hosts or secretName.
 *
 * Whether a rule serves each TLS host is not cert-manager's check but the
 * ingress controller's side of the same mistake; it is kept conservative.
 */
import { isMap, isScalar, isSeq, type Node, type YAMLMap } from 'yaml';
import { mapGet, mapGetPair } from '../../manifests/parsed-document.js';
import { formatPath } from '../../schema/field-path.js';
import { closest } from '../../core/suggest.js';
import type { RuleReporter } from '../registry.js';
import { goParseIP } from '../../gocompat/go-net.js';
import { issuerAnnotation, reportAt, type ShimObject } from './shim-object.js';

interface TlsEntry {
  index: number;
  node: YAMLMap;
  hosts: { value: string; node: Node }[];
  /** The hosts key, for an entry without hosts (undefined when there is no such key). */
  hostsAt: Node | undefined;
  secretName: string;
  /** The secretName value (undefined when there is none). */
  secretAt: Node | undefined;
}

function readTls(o: ShimObject): { tlsKey?: Node; entries: TlsEntry[] } {
  const doc = o.obj.document;
  const spec = doc.resolve(mapGet(o.obj.node, 'spec', doc));
  const tlsPair = mapGetPair(spec, 'tls', doc);
  const tls = doc.resolve(tlsPair?.value);
  const entries: TlsEntry[] = [];
  if (isSeq(tls)) {
    tls.items.forEach((raw, index) => {
      const node = doc.resolve(raw);
      if (!isMap(node)) return;
      const hostsPair = mapGetPair(node, 'hosts', doc);
      const hostsNode = doc.resolve(hostsPair?.value);
      const hosts: TlsEntry['hosts'] = [];
      if (isSeq(hostsNode)) {
        for (const h of hostsNode.items) {
          const hn = doc.resolve(h);
          if (isScalar(hn) && typeof hn.value === 'string') hosts.push({ value: hn.value, node: hn });
        }
      }
      const secretPair = mapGetPair(node, 'secretName', doc);
      const secretNode = doc.resolve(secretPair?.value);
      const secretName = isScalar(secretNode) && typeof secretNode.value === 'string' ? secretNode.value : '';
      entries.push({
        index,
        node,
        hosts,
        hostsAt: doc.resolve(hostsPair?.key),
        secretName,
        secretAt: isScalar(secretNode) ? secretNode : doc.resolve(secretPair?.key),
      });
    });
  }
  return { tlsKey: (doc.resolve(tlsPair?.key) as Node | undefined) ?? undefined, entries };
}

/** The hosts of spec.rules; `catchAll` when a rule has no host, `none` when there are no rules at all. */
function readRuleHosts(o: ShimObject): { hosts: string[]; catchAll: boolean; none: boolean } {
  const doc = o.obj.document;
  const spec = doc.resolve(mapGet(o.obj.node, 'spec', doc));
  const rules = doc.resolve(mapGet(spec, 'rules', doc));
  if (!isSeq(rules) || rules.items.length === 0) return { hosts: [], catchAll: false, none: true };
  const hosts: string[] = [];
  let catchAll = false;
  for (const raw of rules.items) {
    const rule = doc.resolve(raw);
    const host = doc.resolve(mapGet(rule, 'host', doc));
    if (isScalar(host) && typeof host.value === 'string' && host.value !== '') hosts.push(host.value.toLowerCase());
    else if (!isScalar(host) || host.value === null || host.value === '') catchAll = true;
    else return { hosts, catchAll: true, none: false }; // a host of another type: leave it to the schema rules
  }
  return { hosts, catchAll, none: false };
}

/** An Ingress wildcard host (*.example.com) matches exactly one more label. */
function wildcardMatches(wildcard: string, host: string): boolean {
  if (!wildcard.startsWith('*.')) return false;
  const suffix = wildcard.slice(1); // ".example.com"
  if (!host.endsWith(suffix)) return false;
  const label = host.slice(0, host.length - suffix.length);
  return label.length > 0 && !label.includes('.');
}

function served(tlsHost: string, ruleHosts: readonly string[]): boolean {
  const h = tlsHost.toLowerCase();
  return ruleHosts.some(
    (r) =>
      r === h ||
      wildcardMatches(r, h) || // a wildcard rule serves the host
      wildcardMatches(h, r) || // a wildcard certificate covers the rule host
      r === `www.${h}` ||
      h === `www.${r}`, // the www twin, served by a redirect or a sibling Ingress
  );
}

export function checkIngress(o: ShimObject, report: RuleReporter): void {
  // Only with an explicit issuer annotation: kubernetes.io/tls-acme alone works only with a
  // default issuer configured in cert-manager, and other controllers read it too.
  const trigger = issuerAnnotation(o);
  if (!trigger) return;
  const { tlsKey, entries } = readTls(o);
  const path = (i: number, field?: string) => formatPath(field ? ['spec', 'tls', i, field] : ['spec', 'tls', i]);

  if (entries.length === 0) {
    report.atNode(
      'shim-no-tls',
      trigger.keyNode,
      `${trigger.key} asks cert-manager for a certificate, but this Ingress has no ${tlsKey ? 'entries in spec.tls' : 'spec.tls'}: cert-manager creates one Certificate per spec.tls entry (hosts and secretName), so nothing is issued.`,
      formatPath(['metadata', 'annotations', trigger.key]),
    );
    return;
  }

  // checkForDuplicateSecretNames: the first entry of each shared name, naming the second.
  const byName = new Map<string, TlsEntry[]>();
  for (const e of entries) byName.set(e.secretName, [...(byName.get(e.secretName) ?? []), e]);
  for (const [name, list] of byName) {
    if (list.length < 2) continue;
    const [first, second] = list;
    const what = name === '' ? 'The TLS entries without a secretName' : `secretName "${name}"`;
    reportAt(
      report,
      'shim-tls-duplicate-secret-name',
      first.secretAt,
      first.node,
      true,
      `${what} must only appear in a single TLS entry but ${name === '' ? 'there is another one at' : 'is also used in'} ${path(second.index, 'secretName')}: cert-manager makes one Certificate per secretName, so it refuses this Ingress (BadConfig Event) and creates no Certificate. Put the hosts in one entry.`,
      path(first.index, 'secretName'),
    );
  }

  // validateIngressTLSBlock.
  for (const e of entries) {
    if (e.hosts.length === 0) {
      reportAt(
        report,
        'shim-tls-no-hosts',
        e.hostsAt,
        e.node,
        true,
        `cert-manager skips this TLS entry: it has no hosts, and the hosts become the certificate's names (BadConfig Event "Skipped a TLS block"); no certificate is issued${e.secretName ? ` into Secret "${e.secretName}"` : ''}.`,
        path(e.index, 'hosts'),
      );
    }
    if (e.secretName === '') {
      reportAt(
        report,
        'shim-tls-no-secret-name',
        e.secretAt,
        e.node,
        true,
        'cert-manager skips this TLS entry: it has no secretName, which names the Certificate and the Secret it is stored in (BadConfig Event "Skipped a TLS block"); its hosts get no certificate.',
        path(e.index, 'secretName'),
      );
    }
  }

  const rules = readRuleHosts(o);
  if (rules.none || rules.catchAll) return;
  for (const e of entries) {
    e.hosts.forEach((h, i) => {
      if (h.value === '' || goParseIP(h.value) || served(h.value, rules.hosts)) return;
      // A typo of a rule host, not a subdomain of one (b.example.com is no typo of example.com).
      const lower = h.value.toLowerCase();
      const near = closest(lower, rules.hosts.filter((r) => !lower.endsWith(`.${r}`) && !r.endsWith(`.${lower}`)));
      report.atNode(
        'shim-tls-host-not-served',
        h.node,
        `No rule of this Ingress serves the TLS host "${h.value}": cert-manager puts it in the certificate, but the ingress controller serves only the rule hosts (${rules.hosts.join(', ')}).${near ? ` Did you mean "${near}"?` : ''}`,
        formatPath(['spec', 'tls', e.index, 'hosts', i]),
      );
    });
  }
}
