/**
 * Every rule Certsmith reports, in one registry shared by the CLI, the
 * language server, docs/rules.md and the tests.
 */
import type { RuleDefinition } from './rule.js';
import { WEBHOOK_RULES } from './webhook/webhook-rules.js';
import { SHIM_RULES } from './shim/shim-rules.js';
import { CROSS_RULES } from './cross/cross-rules.js';

const K8S_NAMES = 'https://kubernetes.io/docs/concepts/overview/working-with-objects/names/';
const K8S_LABELS = 'https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#syntax-and-character-set';
const K8S_ANNOTATIONS = 'https://kubernetes.io/docs/concepts/overview/working-with-objects/annotations/#syntax-and-character-set';
const FIELD_VALIDATION = 'https://kubernetes.io/docs/reference/using-api/api-concepts/#field-validation';
const CM_API = 'https://cert-manager.io/docs/reference/api-docs/';
const YAML_SPEC = 'https://yaml.org/spec/1.2.2/';

export const RULES: readonly RuleDefinition[] = [
  // --- YAML -----------------------------------------------------------------
  {
    id: 'yaml-syntax',
    family: 'yaml',
    severity: 'error',
    title: 'The YAML cannot be read',
    description: 'kubectl and the API server would refuse the file. The message says what the parser expected at that point.',
    docs: YAML_SPEC,
    example: 'metadata:\n  name: "unterminated\n',
  },
  {
    id: 'yaml-duplicate-key',
    family: 'yaml',
    severity: 'error',
    title: 'The same key twice in one mapping',
    description: 'Strict decoding rejects duplicate keys; a lenient reader would silently keep only the last one.',
    docs: FIELD_VALIDATION,
    example: 'spec:\n  secretName: a\n  secretName: b\n',
  },
  {
    id: 'yaml-tab-indentation',
    family: 'yaml',
    severity: 'error',
    title: 'A tab used for indentation',
    description: 'YAML indentation is spaces only. Replace the tab with spaces.',
    docs: YAML_SPEC,
    example: 'spec:\n\tsecretName: a\n',
  },
  {
    id: 'yaml-alias-limit',
    family: 'yaml',
    severity: 'error',
    title: 'Aliases expand to too many nodes (a YAML bomb)',
    description:
      'The document uses anchors and aliases that expand to an enormous tree ("billion laughs"). Kubernetes refuses it as excessive aliasing; Certsmith stops reading it instead of running out of memory.',
    docs: 'https://en.wikipedia.org/wiki/Billion_laughs_attack',
    example: 'a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n# ... and so on\n',
  },
  {
    id: 'yaml-too-deep',
    family: 'yaml',
    severity: 'error',
    title: 'Nesting deeper than any manifest needs',
    description: 'The document nests more than 256 levels (a deep cert-manager object has about 15). It is not checked further, so that a hostile file cannot exhaust the stack.',
    docs: YAML_SPEC,
    example: 'a: [[[[[[[[ ... ]]]]]]]]\n',
  },
  // --- Files ----------------------------------------------------------------
  {
    id: 'file-too-large',
    family: 'file',
    severity: 'error',
    title: 'The file is too large to check',
    description:
      'Files over the size limit (10 MiB by default, `--max-file-size` / `certsmith.maxFileSize`) are not parsed. The API server limits one request to 3 MiB, so a manifest file this size is usually a mistake (a log, a dump, a binary).',
    docs: 'https://kubernetes.io/docs/setup/best-practices/cluster-large/',
    example: '(a 50 MB file)',
  },
  {
    id: 'file-template',
    family: 'file',
    severity: 'information',
    title: 'A template, not YAML yet',
    description:
      'The file holds Go template actions ({{ .Values.x }}, {{- if }}), as Helm charts do: it is not YAML until rendered, so it is not checked (and the language server stays quiet on it). Lint the rendered output: helm template . | certsmith lint -.',
    docs: 'https://helm.sh/docs/helm/helm_template/',
    example: 'metadata:\n  name: {{ .Values.issuer.name }}\n',
  },
  {
    id: 'file-not-text',
    family: 'file',
    severity: 'error',
    title: 'The file is not text',
    description: 'The file contains NUL bytes or is not valid UTF-8: it is binary, not a YAML manifest.',
    docs: YAML_SPEC,
    example: '(binary data)',
  },
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
  // --- Schema -----------------------------------------------------------------
  {
    id: 'schema-unknown-field',
    family: 'schema',
    severity: 'error',
    title: 'A field the schema does not have',
    description:
      'The API server drops unknown fields, and kubectl (strict field validation, the default) refuses them. Usually a typo or a wrong case (`renewbefore` for `renewBefore`) or a field at the wrong indentation.',
    docs: FIELD_VALIDATION,
    example: 'spec:\n  renewbefore: 360h\n',
  },
  {
    id: 'schema-required',
    family: 'schema',
    severity: 'error',
    title: 'A required field is missing',
    description: 'The CRD schema requires this field; the API server rejects the object without it.',
    docs: CM_API,
    example: 'spec:\n  issuerRef:\n    kind: ClusterIssuer\n',
  },
  {
    id: 'schema-type',
    family: 'schema',
    severity: 'error',
    title: 'A value of the wrong type',
    description:
      'The value is not of the type the schema declares. Note that Kubernetes reads YAML 1.1: unquoted yes/no/on/off are booleans and 0777 is a number, so quote such strings.',
    docs: CM_API,
    example: 'spec:\n  dnsNames: example.com\n',
  },
  {
    id: 'schema-enum',
    family: 'schema',
    severity: 'error',
    title: 'A value outside the allowed set',
    description: 'The field accepts only the values the message lists (case matters).',
    docs: CM_API,
    example: 'spec:\n  privateKey:\n    algorithm: EC\n',
  },
  {
    id: 'schema-pattern',
    family: 'schema',
    severity: 'error',
    title: 'A value that does not match the required pattern',
    description: 'The CRD requires values of this field to match a regular expression.',
    docs: CM_API,
    example: '(a Gateway listener hostname with uppercase letters)',
  },
  {
    id: 'schema-format',
    family: 'schema',
    severity: 'error',
    title: 'A value that is not in the required format',
    description: 'The field has a format (base64 bytes, RFC 3339 date-time, IPv4/IPv6 address, ...) the value does not follow.',
    docs: CM_API,
    example: 'spec:\n  acme:\n    caBundle: not base64!\n',
  },
  {
    id: 'schema-limit',
    family: 'schema',
    severity: 'error',
    title: 'A number, length or count outside its bounds',
    description: 'The value is below the minimum or above the maximum the schema allows (a number, a string length, a list length or a map size).',
    docs: CM_API,
    example: '(a Gateway with more than 64 listeners)',
  },
  {
    id: 'schema-duplicate',
    family: 'schema',
    severity: 'error',
    title: 'A duplicate entry in a list that must be unique',
    description: 'The list is a set, or a map keyed by the fields the message names: each entry (or key) may appear once.',
    docs: 'https://kubernetes.io/docs/reference/using-api/server-side-apply/#merge-strategy',
    example: '(two Gateway listeners with the same name)',
  },
  {
    id: 'schema-alternatives',
    family: 'schema',
    severity: 'error',
    title: 'A value that matches none (or more than one) of the allowed shapes',
    description: 'The schema lists alternative shapes (oneOf/anyOf/not) for this value and it does not fit.',
    docs: CM_API,
    example: '(a Gateway address of type IPAddress whose value is not an IP address)',
  },
  {
    id: 'misplaced-block',
    family: 'schema',
    severity: 'error',
    title: 'A block indented one level too deep (e.g. spec under metadata)',
    description:
      'A field that belongs to an enclosing object is indented under one of its siblings, as some published tutorials show `spec` under `metadata`. Kubernetes reads it as an unknown field of the inner object and drops it, so the object has no spec. The quick fix moves the block out.',
    docs: 'https://kubernetes.io/docs/concepts/overview/working-with-objects/#describing-a-kubernetes-object',
    example: 'metadata:\n  name: web\n  spec:\n    secretName: web-tls\n',
  },
  {
    id: 'schema-cel',
    family: 'schema',
    severity: 'error',
    title: "A value that fails one of the CRD's CEL validation rules",
    description:
      'The CRD carries validation rules (x-kubernetes-validations) that the API server evaluates after defaulting; the message is the rule\'s own. Certsmith evaluates them with a CEL interpreter and reports only a definite failure.',
    docs: 'https://kubernetes.io/docs/tasks/extend-kubernetes/custom-resources/custom-resource-definitions/#validation-rules',
    example: 'spec:\n  venafi:\n    zone: devops\n    # neither tpp, cloud nor ngts\n',
  },
  {
    id: 'schema-null-value',
    family: 'schema',
    severity: 'warning',
    title: 'A field with no value',
    description:
      'The key has no value (null). The API server drops null fields that are not nullable, so the field is as good as absent: fill it in or remove it.',
    docs: FIELD_VALIDATION,
    example: 'spec:\n  dnsNames:\n',
  },
  // --- Across documents ----------------------------------------------------------
  ...CROSS_RULES,
  // --- cert-manager's admission webhook (internal/apis/certmanager/validation) ---
  ...WEBHOOK_RULES,
  ...SHIM_RULES,
];

const BY_ID = new Map(RULES.map((r) => [r.id, r]));

export function ruleById(id: string): RuleDefinition {
  const r = BY_ID.get(id);
  if (!r) throw new Error(`unknown rule id ${id}`);
  return r;
}

export function hasRule(id: string): boolean {
  return BY_ID.has(id);
}
