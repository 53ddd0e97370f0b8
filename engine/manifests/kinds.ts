/**
 * Typed access to the kinds Certsmith works with. The types describe the
 * fields the engine reads (they are not exhaustive); the data is the object as
 * the API server would receive it, and the KubeObject keeps the nodes for
 * positions.
 */
import { CERT_MANAGER_GROUP, GATEWAY_GROUP, NETWORKING_GROUP, type KubeObject } from './kube-object.js';

interface ObjectMeta {
  name?: string;
  generateName?: string;
  namespace?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

interface Typed<K extends string, S> {
  apiVersion: string;
  kind: K;
  metadata?: ObjectMeta;
  spec?: S;
}

interface ObjectReference {
  name?: string;
  kind?: string;
  group?: string;
}

interface SecretKeySelector {
  name?: string;
  key?: string;
}

interface CertificatePrivateKey {
  algorithm?: 'RSA' | 'ECDSA' | 'Ed25519';
  encoding?: 'PKCS1' | 'PKCS8';
  size?: number;
  rotationPolicy?: 'Never' | 'Always';
}

interface X509Subject {
  organizations?: string[];
  countries?: string[];
  organizationalUnits?: string[];
  localities?: string[];
  provinces?: string[];
  streetAddresses?: string[];
  postalCodes?: string[];
  serialNumber?: string;
}

interface CertificateSpec {
  secretName?: string;
  secretTemplate?: { annotations?: Record<string, string>; labels?: Record<string, string> };
  issuerRef?: ObjectReference;
  commonName?: string;
  literalSubject?: string;
  subject?: X509Subject;
  dnsNames?: string[];
  ipAddresses?: string[];
  uris?: string[];
  emailAddresses?: string[];
  otherNames?: { oid?: string; utf8Value?: string }[];
  duration?: string;
  renewBefore?: string;
  renewBeforePercentage?: number;
  isCA?: boolean;
  usages?: string[];
  privateKey?: CertificatePrivateKey;
  signatureAlgorithm?: string;
  encodeUsagesInRequest?: boolean;
  revisionHistoryLimit?: number;
  additionalOutputFormats?: { type?: string }[];
  keystores?: Record<string, unknown>;
  nameConstraints?: Record<string, unknown>;
}

interface CertificateRequestSpec {
  request?: string;
  issuerRef?: ObjectReference;
  duration?: string;
  isCA?: boolean;
  usages?: string[];
}

interface AcmeSolver {
  selector?: { dnsNames?: string[]; dnsZones?: string[]; matchLabels?: Record<string, string> };
  http01?: Record<string, unknown>;
  dns01?: Record<string, unknown>;
}

interface IssuerSpec {
  acme?: {
    server?: string;
    email?: string;
    privateKeySecretRef?: SecretKeySelector;
    caBundle?: string;
    skipTLSVerify?: boolean;
    externalAccountBinding?: { keyID?: string; keySecretRef?: SecretKeySelector; keyAlgorithm?: string };
    preferredChain?: string;
    solvers?: AcmeSolver[];
    disableAccountKeyGeneration?: boolean;
    enableDurationFeature?: boolean;
    profile?: string;
  };
  ca?: { secretName?: string; crlDistributionPoints?: string[]; ocspServers?: string[]; issuingCertificateURLs?: string[] };
  selfSigned?: { crlDistributionPoints?: string[] };
  vault?: Record<string, unknown>;
  venafi?: Record<string, unknown>;
}

interface IngressSpec {
  ingressClassName?: string;
  tls?: { hosts?: string[]; secretName?: string }[];
  rules?: { host?: string; http?: unknown }[];
}

interface GatewaySpec {
  gatewayClassName?: string;
  listeners?: {
    name?: string;
    hostname?: string;
    port?: number;
    protocol?: string;
    tls?: { mode?: string; certificateRefs?: { name?: string; kind?: string; group?: string; namespace?: string }[] };
  }[];
}

type Certificate = Typed<'Certificate', CertificateSpec>;
type CertificateRequest = Typed<'CertificateRequest', CertificateRequestSpec>;
type Issuer = Typed<'Issuer', IssuerSpec>;
type ClusterIssuer = Typed<'ClusterIssuer', IssuerSpec>;
type Ingress = Typed<'Ingress', IngressSpec>;
type Gateway = Typed<'Gateway', GatewaySpec>;
interface Secret {
  apiVersion: 'v1';
  kind: 'Secret';
  metadata?: ObjectMeta;
  type?: string;
  data?: Record<string, string>;
  stringData?: Record<string, string>;
}

export interface KindMap {
  Certificate: Certificate;
  CertificateRequest: CertificateRequest;
  Issuer: Issuer;
  ClusterIssuer: ClusterIssuer;
  Ingress: Ingress;
  Gateway: Gateway;
  Secret: Secret;
}

const GROUP_OF: Record<keyof KindMap, string> = {
  Certificate: CERT_MANAGER_GROUP,
  CertificateRequest: CERT_MANAGER_GROUP,
  Issuer: CERT_MANAGER_GROUP,
  ClusterIssuer: CERT_MANAGER_GROUP,
  Ingress: NETWORKING_GROUP,
  Gateway: GATEWAY_GROUP,
  Secret: '',
};

/** True when the object is of that kind in its current API group. */
export function isKind<K extends keyof KindMap>(obj: KubeObject, kind: K): boolean {
  return obj.kind === kind && obj.group === GROUP_OF[kind];
}

/**
 * The object as typed data when it is of that kind, else undefined. Fields of
 * the wrong shape are left as they are: check them with the schema rules.
 */
export function asKind<K extends keyof KindMap>(obj: KubeObject, kind: K): KindMap[K] | undefined {
  if (!isKind(obj, kind)) return undefined;
  return obj.toPlain() as KindMap[K] | undefined;
}
