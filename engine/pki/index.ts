/**
 * Certsmith's certificate-issuing engine: private keys, CSRs and signed
 * certificates for a cert-manager Certificate spec, made as cert-manager's
 * pkg/util/pki and its SelfSigned and CA issuers make them. Each file's
 * header says which upstream behaviour it mirrors; errors are PkiError.
 */
export { PkiError } from './errors.js';
;
;
export {
  generatePrivateKey,
  encodePrivateKeyPem,
  privateKeyDer,
  decodePrivateKeyPem,
  describeKey,
  publicKeyOf,
  
  requestedKey,
  
  
} from './private-key.js';
;
;
;
;
;
;
export { certificateTemplate,    } from './certificate-template.js';
export { buildCsr, buildCsrDer } from './csr.js';
;
export {
  signSelfSigned,
  signWithCa,
  
  EMPTY_ISSUER_DN_WARNING,
  type CaSecret,
  
  
  
  
  
} from './sign.js';
