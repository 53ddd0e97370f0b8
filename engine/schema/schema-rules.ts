/** The rules of the API server's schema validation (engine/schema), from the CRDs and OpenAPI documents. */
import type { RuleDefinition } from '../core/rule-definition.js';

const FIELD_VALIDATION = 'https://kubernetes.io/docs/reference/using-api/api-concepts/#field-validation';
const CM_API = 'https://cert-manager.io/docs/reference/api-docs/';

export const SCHEMA_RULES = [
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
      'The key has no value (null). The API server drops null fields that are not nullable, so the field is as good as absent: fill it in or remove it. `metadata.creationTimestamp: null`, which kubectl --dry-run -o yaml and controller-gen write, is reported as information only.',
    docs: FIELD_VALIDATION,
    example: 'spec:\n  dnsNames:\n',
  },
] as const satisfies readonly RuleDefinition[];

export type SchemaRuleId = (typeof SCHEMA_RULES)[number]['id'];
