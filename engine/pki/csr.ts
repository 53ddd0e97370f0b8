/**
 * The PKCS #10 certificate signing request cert-manager puts in a
 * CertificateRequest (GenerateCSR + EncodeCSR, as the requestmanager
 * controller calls them with the default feature gates: literal subjects,
 * name constraints and other names on, basic constraints in requests off):
 *
 * - subject and SANs as in the certificate; the SAN extension is critical
 *   when the subject is empty;
 * - key usage and EKU extensions unless spec.encodeUsagesInRequest is false
 *   (isCA adds cert sign; no key usage extension when no bit is set);
 * - no basic constraints extension, even for isCA;
 * - the name constraints extension when spec.nameConstraints has entries;
 * - extensions in that order, in a single extensionRequest attribute (no
 *   attribute at all when there are none); version 0;
 * - signed with spec.signatureAlgorithm or cert-manager's choice for
 *   spec.privateKey, which must fit the key.
 */
import type { KeyObject } from 'node:crypto';
import { checkKeyMatchesSpec } from './certificate-template.js';
import { bitString, implicitConstructed, objectIdentifier, sequence, setOf, smallInteger } from './der-writer.js';
import { PkiError } from './errors.js';
import { encodeExtension, OIDS, type ExtensionDer } from './extensions.js';
import { extKeyUsageExtension, keyUsageExtension, keyUsagesFor } from './key-usages.js';
import { nameConstraintsExtension, nameConstraintsFor } from './name-constraints.js';
import { spkiDer, toPem } from './private-key.js';
import { sansEmpty, subjectAltNameExtension, subjectAltNamesFor } from './sans.js';
import { algorithmIdentifier, checkAlgorithmFitsKey, requestSignatureAlgorithm, signBytes } from './signature-algorithm.js';
import { booleanField, specObject, stringList } from './spec.js';
import { subjectFor } from './subject.js';

/** The CSR's DER. `key` is the certificate's private key (the CSR is signed with it). */
export function buildCsrDer(specInput: unknown, key: KeyObject): Buffer {
  const spec = specObject(specInput);
  if (key.type !== 'private') throw new PkiError('a CSR is signed with the certificate\'s private key; a public key was given');
  checkKeyMatchesSpec(spec, key);
  const subject = subjectFor(spec);
  const sans = subjectAltNamesFor(spec);
  if (subject.commonName === '' && sansEmpty(sans)) {
    throw new PkiError('at least one of commonName (from the commonName field or from a literalSubject), dnsNames, emailAddresses, ipAddresses, otherNames or uris must be set', 'spec');
  }
  const alg = requestSignatureAlgorithm(spec);
  checkAlgorithmFitsKey(alg, key);

  const extensions: (ExtensionDer | null)[] = [];
  if (!sansEmpty(sans)) extensions.push(subjectAltNameExtension(sans, subject.empty));
  if (booleanField(spec, 'encodeUsagesInRequest', 'spec') !== false) {
    const usages = keyUsagesFor(stringList(spec, 'usages', 'spec'), booleanField(spec, 'isCA', 'spec') ?? false);
    extensions.push(keyUsageExtension(usages.keyUsage), extKeyUsageExtension(usages.extKeyUsages));
  }
  const nc = nameConstraintsFor(spec);
  if (nc) extensions.push(nameConstraintsExtension(nc));
  const present = extensions.filter((e): e is ExtensionDer => e !== null);

  const attributes = present.length ? [sequence(objectIdentifier(OIDS.extensionRequest), setOf([sequence(...present.map(encodeExtension))]))] : [];
  const info = sequence(smallInteger(0), subject.der, spkiDer(key), implicitConstructed(0, ...attributes));
  return sequence(info, algorithmIdentifier(alg), bitString(signBytes(alg, key, info)));
}

/** The CSR as PEM ("CERTIFICATE REQUEST"), as spec.request of a CertificateRequest holds it. */
export function buildCsr(spec: unknown, key: KeyObject): string {
  return toPem('CERTIFICATE REQUEST', buildCsrDer(spec, key));
}
