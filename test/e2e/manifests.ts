/** Manifests both editor suites open (code-server + Chromium, and the @vscode/test-electron runner). */

/** Two problems: a duration under 1h and a misspelt renewBefore. */
export const MISTAKES_YAML = `apiVersion: cert-manager.io/v1
kind: Certificate
metadata:
  name: web
  namespace: default
spec:
  secretName: web-tls
  duration: 10m
  renewbefore: 5m
  issuerRef:
    name: pebble
  dnsNames:
    - web.example.test
`;
