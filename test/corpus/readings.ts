/**
 * What a person found on reading each hit of the corpus, by rule and file
 * (`<rule> <module>@<version>/<path>`). `npm run corpus:report` prints it beside
 * the hit; a hit without an entry is shown as not read yet. Add the reading
 * when a rule starts to fire on the corpus.
 */
export const READINGS: Record<string, string> = {
  'acme-production-server knative.dev/serving@v0.42.0/test/config/externaldomaintls/certmanager/http01/issuer.yaml':
    'Right, and information is the right level: the e2e issuer points at production on purpose.',
  'ca-secret-not-produced github.com/mongodb/mongodb-kubernetes-operator@v0.9.0/docs/prometheus/issuer-and-cert.yaml':
    'Right: the guide has the user create the CA Secret by hand first.',
  'ca-secret-not-produced knative.dev/serving@v0.42.0/test/config/externaldomaintls/certmanager/caissuer/issuer.yaml':
    "Right: the e2e set-up script creates the Secret ca-key-pair; nothing in the files does.",
  'api-version-unknown github.com/openkruise/rollouts@v0.6.0/test/e2e/test_data/gateway/httproute-test.yaml':
    'Right (broken upstream for current CRDs): HTTPRoute v1alpha2 is served by no Gateway API v1.x CRD, standard or experimental.',
  'misplaced-block github.com/mongodb/mongodb-kubernetes-operator@v0.9.0/config/samples/external_access/cert-x509.yaml':
    'Right (broken upstream): spec is indented under metadata.',
  'schema-null-value k8s.io/ingress-nginx@v0.0.0-20240708192948-52c50467d67d/docs/examples/openpolicyagent/tests/should-allow-ns-except.yaml':
    'Right, and information is the level for this field: `creationTimestamp: null` is what kubectl --dry-run -o yaml and controller-gen write (it was a warning until the corpus showed how routine it is).',
  'schema-null-value k8s.io/ingress-nginx@v0.0.0-20240708192948-52c50467d67d/docs/examples/openpolicyagent/tests/should-allow.yaml':
    'As above (`creationTimestamp: null` from kubectl).',
  'schema-null-value k8s.io/ingress-nginx@v0.0.0-20240708192948-52c50467d67d/docs/examples/openpolicyagent/tests/should-deny.yaml':
    'As above (`creationTimestamp: null` from kubectl).',
  'schema-unknown-field github.com/envoyproxy/gateway@v1.5.0/test/e2e/testdata/cookie-based-session-persistence.yaml':
    'False positive, open: sessionPersistence is an experimental-channel HTTPRoute field (Envoy Gateway installs that channel); Certsmith has the standard channel only.',
  'schema-unknown-field github.com/envoyproxy/gateway@v1.5.0/test/e2e/testdata/header-based-session-persistence.yaml':
    'As above (experimental channel).',
};
