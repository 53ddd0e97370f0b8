/**
 * cert-manager's ACME solver choice (pkg/util/solverpicker, selectors): for one
 * identifier, among the solvers whose type the authorization offers, the best
 * selector match wins — dnsNames over dnsZones (longest zone) over
 * matchLabels; a solver without selector is the fallback; the first wins ties.
 */

export interface SolverSelector {
  dnsNames?: string[];
  dnsZones?: string[];
  matchLabels?: Record<string, string>;
}

export interface SolverChoice {
  http01: boolean;
  dns01: boolean;
  selector?: SolverSelector;
}

function labelsOf(name: string): string[] {
  return name.replace(/\.$/, '').toLowerCase().split('.').filter(Boolean);
}

/** miekg/dns CompareDomainName: how many labels match, counting from the right. */
function compareDomainName(a: string, b: string): number {
  const la = labelsOf(a);
  const lb = labelsOf(b);
  let n = 0;
  while (n < la.length && n < lb.length && la[la.length - 1 - n] === lb[lb.length - 1 - n]) n++;
  return n;
}

function matchDNSNames(sel: SolverSelector, domain: string): [boolean, number] {
  if (!sel.dnsNames?.length) return [true, 0];
  return sel.dnsNames.includes(domain) ? [true, 1] : [false, 0];
}

function matchDNSZones(sel: SolverSelector, domain: string): [boolean, number] {
  if (!sel.dnsZones?.length) return [true, 0];
  let max = 0;
  for (const zone of sel.dnsZones) {
    const n = compareDomainName(zone, domain);
    if (n !== labelsOf(zone).length) continue;
    if (n > max) max = n;
  }
  return [max > 0, max];
}

function matchLabels(sel: SolverSelector, labels: Record<string, string>): [boolean, number] {
  const required = Object.entries(sel.matchLabels ?? {});
  if (required.length === 0) return [true, 0];
  let n = 0;
  for (const [k, v] of required) {
    if (labels[k] !== v) return [false, n];
    n++;
  }
  return [true, n];
}

/**
 * The index of the solver cert-manager picks for `domain` ("*.example.com" for
 * a wildcard), or undefined. `offered` are the challenge types the ACME server
 * offers for it: a wildcard is offered DNS-01 only.
 */
export function pickSolver(domain: string, offered: { http01: boolean; dns01: boolean }, solvers: SolverChoice[], labels: Record<string, string>): number | undefined {
  let selected: number | undefined;
  let selLabels = 0;
  let selNames = 0;
  let selZones = 0;
  solvers.forEach((cfg, i) => {
    const usable = (offered.http01 && cfg.http01) || (offered.dns01 && cfg.dns01);
    if (!usable) return;
    if (!cfg.selector) {
      if (selected === undefined) selected = i;
      return;
    }
    const [lm, nl] = matchLabels(cfg.selector, labels);
    const [nm, nn] = matchDNSNames(cfg.selector, domain);
    const [zm, nz] = matchDNSZones(cfg.selector, domain);
    if (!lm || !nm || !zm) return;
    const select = () => {
      selected = i;
      selLabels = nl;
      selNames = nn;
      selZones = nz;
    };
    if (selected === undefined) return select();
    const selHasNames = selNames > 0;
    const hasNames = nn > 0;
    if (!selHasNames && hasNames) return select();
    if (selHasNames && !hasNames) return;
    if (selHasNames && hasNames) {
      if (nz > selZones) return select();
      if (selZones > nz) return;
      if (nl > selLabels) return select();
      return;
    }
    const selHasZones = selZones > 0;
    const hasZones = nz > 0;
    if (!selHasZones && hasZones) return select();
    if (selHasZones && !hasZones) return;
    if (selHasZones && hasZones) {
      if (nz > selZones) return select();
      if (selZones > nz) return;
      if (nl > selLabels) return select();
      return;
    }
    if (nl > selLabels) select();
  });
  return selected;
}
