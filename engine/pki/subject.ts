/**
 * The subject distinguished name of the CSR and certificate, as cert-manager
 * builds it in GenerateCSR (pkg/util/pki/csr.go and subject.go), with the
 * LiteralCertificateSubject feature gate on (its default):
 *
 * - when spec.literalSubject is set it is the whole subject and
 *   spec.commonName / spec.subject are ignored. The string is read as an
 *   RFC 4514 DN (go-ldap's ParseDN) and its RDNs are encoded in REVERSE of
 *   the written order ("CN=a,O=b" puts O first in the DER), attribute types
 *   mapped by the upper-case names C, O, OU, CN, SERIALNUMBER, L, ST, STREET,
 *   DC, UID or given as dotted OIDs. Its common name, for the "some name must
 *   be set" check, is the first CN in encoded order;
 * - otherwise Go's pkix.Name order: C, ST, L, STREET, POSTALCODE, O, OU, CN,
 *   SERIALNUMBER, where each list (say two organizations) becomes ONE
 *   multi-valued RDN, and empty commonName / serialNumber are left out;
 * - values are PrintableString when they fit its character set, UTF8String
 *   otherwise; the attributes of a multi-valued RDN are sorted by encoding.
 */
import { parseDistinguishedName } from '../gocompat/distinguished-name.js';
import { canonicalOid, directoryString, objectIdentifier, oidProblem, sequence, setOf } from './der-writer.js';
import { PkiError, quote } from './errors.js';
import { objectField, stringField, stringList } from './spec.js';

interface SubjectAttribute {
  /** The short name ("CN", "O") or, for other types, the dotted OID. */
  type: string;
  oid: string;
  value: string;
}

export interface Subject {
  /** RDNs in encoded order; most hold one attribute. */
  rdns: SubjectAttribute[][];
  /** The Name's DER (SEQUENCE OF RDN). */
  der: Buffer;
  /** The common name cert-manager sees (from commonName, or from literalSubject). */
  commonName: string;
  /** True when the subject has no RDN at all (the SAN extension then becomes critical). */
  empty: boolean;
  source: 'literalSubject' | 'fields';
}

const OID_BY_NAME: Record<string, string> = {
  C: '2.5.4.6',
  O: '2.5.4.10',
  OU: '2.5.4.11',
  CN: '2.5.4.3',
  SERIALNUMBER: '2.5.4.5',
  L: '2.5.4.7',
  ST: '2.5.4.8',
  STREET: '2.5.4.9',
  POSTALCODE: '2.5.4.17',
  DC: '0.9.2342.19200300.100.1.25',
  UID: '0.9.2342.19200300.100.1.1',
};
/** literalSubject knows these names only (not POSTALCODE: use 2.5.4.17). */
const LITERAL_NAMES = ['C', 'O', 'OU', 'CN', 'SERIALNUMBER', 'L', 'ST', 'STREET', 'DC', 'UID'];
const NAME_BY_OID: Record<string, string> = Object.fromEntries(Object.entries(OID_BY_NAME).map(([n, o]) => [o, n]));

/** The Name DER of RDNs. */
function encodeName(rdns: readonly (readonly SubjectAttribute[])[]): Buffer {
  return sequence(...rdns.map((rdn) => setOf(rdn.map((a) => sequence(objectIdentifier(a.oid), directoryString(a.value))))));
}

export function subjectFor(spec: Record<string, unknown>): Subject {
  const literal = stringField(spec, 'literalSubject', 'spec');
  if (literal.length > 0) return literalSubject(literal);

  const s = objectField(spec, 'subject', 'spec') ?? {};
  const rdns: SubjectAttribute[][] = [];
  const add = (name: string, values: string[]) => {
    if (values.length) rdns.push(values.map((value) => ({ type: name, oid: OID_BY_NAME[name], value })));
  };
  add('C', stringList(s, 'countries', 'spec.subject'));
  add('ST', stringList(s, 'provinces', 'spec.subject'));
  add('L', stringList(s, 'localities', 'spec.subject'));
  add('STREET', stringList(s, 'streetAddresses', 'spec.subject'));
  add('POSTALCODE', stringList(s, 'postalCodes', 'spec.subject'));
  add('O', stringList(s, 'organizations', 'spec.subject'));
  add('OU', stringList(s, 'organizationalUnits', 'spec.subject'));
  const commonName = stringField(spec, 'commonName', 'spec');
  if (commonName !== '') add('CN', [commonName]);
  const serialNumber = stringField(s, 'serialNumber', 'spec.subject');
  if (serialNumber !== '') add('SERIALNUMBER', [serialNumber]);
  return { rdns, der: encodeName(rdns), commonName, empty: rdns.length === 0, source: 'fields' };
}

function literalSubject(literal: string): Subject {
  const parsed = parseDistinguishedName(literal);
  if ('error' in parsed) throw new PkiError(`${quote(literal)} is not an RFC 4514 distinguished name: ${parsed.error}`, 'spec.literalSubject');
  const rdns: SubjectAttribute[][] = [];
  for (const rdn of [...parsed.rdns].reverse()) {
    rdns.push(
      rdn.map((a) => {
        const known = LITERAL_NAMES.includes(a.type) ? OID_BY_NAME[a.type] : undefined;
        if (known) return { type: a.type, oid: known, value: a.value };
        const problem = oidProblem(a.type);
        if (problem) {
          throw new PkiError(
            `attribute type ${quote(a.type)} is neither one of ${LITERAL_NAMES.join(', ')} (upper case) nor a dotted object identifier${a.type.toUpperCase() === 'POSTALCODE' ? ' (write postal codes as 2.5.4.17=...)' : ''}`,
            'spec.literalSubject',
          );
        }
        const oid = canonicalOid(a.type);
        return { type: NAME_BY_OID[oid] ?? oid, oid, value: a.value };
      }),
    );
  }
  let commonName = '';
  outer: for (const rdn of rdns) {
    for (const a of rdn) {
      if (a.oid === OID_BY_NAME.CN) {
        commonName = a.value;
        break outer;
      }
    }
  }
  return { rdns, der: encodeName(rdns), commonName, empty: rdns.length === 0, source: 'literalSubject' };
}
