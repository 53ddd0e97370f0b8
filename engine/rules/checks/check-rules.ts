/** The rules about apiVersion, kind and metadata (engine/rules/checks). */
import type { RuleDefinition } from '../../core/rule-definition.js';

const K8S_NAMES = 'https://kubernetes.io/docs/concepts/overview/working-with-objects/names/';
const K8S_LABELS = 'https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#syntax-and-character-set';
const K8S_ANNOTATIONS = 'https://kubernetes.io/docs/concepts/overview/working-with-objects/annotations/#syntax-and-character-set';
const CM_API = 'https://cert-manager.io/docs/reference/api-docs/';

export const CHECK_RULES = [
  // --- API version and kind ---------------------------------------------------
  {
    id: 'api-version-removed',
    family: 'api',
    severity: 'error',
    title: 'An API version that is no longer served',
    description:
      'cert-manager removed cert-manager.io/v1alpha2, v1alpha3 and v1beta1 in v1.7 (and certmanager.k8s.io/v1alpha1 long before); Kubernetes removed networking.k8s.io/v1beta1 and extensions/v1beta1 Ingress in 1.22. Current clusters reject these objects. Use the version the message names; some fields were renamed on the way.',
    docs: 'https://cert-manager.io/docs/releases/upgrading/remove-deprecated-apis/',
    example: 'apiVersion: cert-manager.io/v1alpha2\nkind: Certificate\n',
  },
  {
    id: 'api-version-unknown',
    family: 'api',
    severity: 'error',
    title: 'A version of a known API group that does not exist',
    description: 'The API group is one Certsmith knows, but not at this version. The message lists the served versions.',
    docs: CM_API,
    example: 'apiVersion: cert-manager.io/v2\nkind: Certificate\n',
  },
  {
    id: 'api-version-deprecated',
    family: 'api',
    severity: 'warning',
    title: 'A deprecated API version',
    description: 'The version is still served but deprecated; move to the one the message names before it is removed.',
    docs: CM_API,
    example: 'apiVersion: (a deprecated version)\n',
  },
  {
    id: 'kind-unknown',
    family: 'api',
    severity: 'error',
    title: 'A kind that the API group does not have',
    description: 'The apiVersion is known but has no such kind (often a typo or a wrong case). The API server answers "no matches for kind".',
    docs: CM_API,
    example: 'apiVersion: cert-manager.io/v1\nkind: Certficate\n',
  },
  {
    id: 'kind-missing',
    family: 'api',
    severity: 'error',
    title: 'apiVersion or kind missing',
    description: 'Every Kubernetes object needs both apiVersion and kind; kubectl refuses a document with only one of them.',
    docs: 'https://kubernetes.io/docs/concepts/overview/working-with-objects/#required-fields',
    example: 'kind: Certificate\nmetadata:\n  name: web\n',
  },
  // --- Metadata ---------------------------------------------------------------
  {
    id: 'metadata-name-missing',
    family: 'metadata',
    severity: 'error',
    title: 'metadata.name missing',
    description: 'An object needs metadata.name (or metadata.generateName for kubectl create).',
    docs: K8S_NAMES,
    example: 'apiVersion: cert-manager.io/v1\nkind: Issuer\nmetadata: {}\n',
  },
  {
    id: 'metadata-name-invalid',
    family: 'metadata',
    severity: 'error',
    title: 'metadata.name is not a valid Kubernetes name',
    description:
      'Names must be DNS subdomains (RFC 1123): lowercase letters, digits, "-" and ".", starting and ending with a letter or digit, at most 253 characters. Uppercase letters and underscores are rejected by the API server.',
    docs: K8S_NAMES,
    example: 'metadata:\n  name: My_Certificate\n',
  },
  {
    id: 'metadata-namespace-invalid',
    family: 'metadata',
    severity: 'error',
    title: 'metadata.namespace is not a valid namespace name',
    description: 'Namespace names are DNS labels (RFC 1123): lowercase letters, digits and "-", at most 63 characters.',
    docs: K8S_NAMES,
    example: 'metadata:\n  namespace: Team.A\n',
  },
  {
    id: 'metadata-namespace-ignored',
    family: 'metadata',
    severity: 'warning',
    title: 'A namespace on a cluster-scoped object',
    description:
      'ClusterIssuer (and IngressClass) objects are cluster-scoped: the API server drops metadata.namespace. For a ClusterIssuer, the Secrets it references are read from the cluster resource namespace (`cert-manager` by default), not from this namespace.',
    docs: 'https://cert-manager.io/docs/configuration/#cluster-resource-namespace',
    example: 'kind: ClusterIssuer\nmetadata:\n  name: le\n  namespace: default\n',
  },
  {
    id: 'metadata-label-invalid',
    family: 'metadata',
    severity: 'error',
    title: 'A label key or value Kubernetes rejects',
    description:
      'Label keys are an optional DNS-subdomain prefix and "/" plus a name of at most 63 characters ([A-Za-z0-9] at both ends, "-", "_", "." inside); values are at most 63 such characters, or empty.',
    docs: K8S_LABELS,
    example: 'metadata:\n  labels:\n    app: "has spaces"\n',
  },
  {
    id: 'metadata-annotation-invalid',
    family: 'metadata',
    severity: 'error',
    title: 'An annotation key Kubernetes rejects, or annotations over 256 KiB',
    description: 'Annotation keys follow the label key syntax; all annotations together must stay under 256 KiB.',
    docs: K8S_ANNOTATIONS,
    example: 'metadata:\n  annotations:\n    "bad key": x\n',
  },
] as const satisfies readonly RuleDefinition[];
