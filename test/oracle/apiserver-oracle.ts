/**
 * Oracle 2: the API server's own checks (decoding with fieldValidation=Strict,
 * the CRDs' OpenAPI schemas and CEL rules, Kubernetes' built-in validation),
 * asked by creating each document with server-side dry run (dryRun=All) on a
 * real kube-apiserver (test/world/kube-apiserver.ts) with the project's
 * cert-manager and Gateway API CRDs installed. Nothing is stored.
 *
 * Each document is sent as written (Content-Type: application/yaml), so the
 * API server reads the YAML itself (YAML 1.1, duplicate keys refused by Strict).
 */
import { readFileSync } from 'node:fs';
import https from 'node:https';
import { join } from 'node:path';
import { parse } from 'yaml';
import type { KubeApiServer } from '../world/kube-apiserver.js';

interface ApiServerError {
  /** The field the API server names (status.details.causes[].field, or `unknown field "..."`); undefined when it names none. */
  field?: string;
  reason: string;
  message: string;
}

export interface ApiServerAnswer {
  id: string;
  /** HTTP status of the dry-run create (0: not sent, see errors). */
  status: number;
  accepted: boolean;
  errors: ApiServerError[];
  /** Warning headers. */
  warnings: string[];
}

interface Resource {
  plural: string;
  namespaced: boolean;
}

interface Tls {
  ca: string;
  cert: string;
  key: string;
}

function request(agent: https.Agent, server: string, method: string, path: string, tls: Tls, body?: string, contentType = 'application/json'): Promise<{ status: number; body: string; warnings: string[] }> {
  return new Promise((resolve, reject) => {
    const req = https.request(`${server}${path}`, { method, agent, ...tls, headers: body === undefined ? {} : { 'content-type': contentType, 'content-length': Buffer.byteLength(body) }, timeout: 30_000 }, (res) => {
      let data = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (data += c));
      res.on('end', () => {
        const w = res.headers.warning;
        const warnings = (Array.isArray(w) ? w : w ? [w] : []).flatMap((h) => [...h.matchAll(/\d{3} \S+ "((?:[^"\\]|\\.)*)"/g)].map((m) => m[1]!.replace(/\\(.)/g, '$1')));
        resolve({ status: res.statusCode ?? 0, body: data, warnings });
      });
    });
    req.on('timeout', () => req.destroy(new Error(`${method} ${path}: no answer within 30 s`)));
    req.on('error', reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}

/** A dry-run client for one API server, with the server's own discovery. */
export class ApiServerOracle {
  private readonly agent: https.Agent;
  private readonly tls: Tls;
  private readonly resources = new Map<string, Map<string, Resource> | null>();
  private readonly namespaces = new Set<string>(['default']);

  constructor(private readonly kube: KubeApiServer, private readonly concurrency = 6) {
    this.tls = { ca: kube.caPem, cert: readFileSync(join(kube.dir, 'admin.pem'), 'utf8'), key: readFileSync(join(kube.dir, 'admin.key'), 'utf8') };
    this.agent = new https.Agent({ keepAlive: true, maxSockets: concurrency });
  }

  close(): void {
    this.agent.destroy();
  }

  private async discover(apiVersion: string): Promise<Map<string, Resource> | null> {
    if (this.resources.has(apiVersion)) return this.resources.get(apiVersion)!;
    const path = apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
    const r = /^[a-z0-9.-]+(\/[a-z0-9]+)?$/.test(apiVersion) ? await request(this.agent, this.kube.server, 'GET', path, this.tls) : { status: 404, body: '' };
    let map: Map<string, Resource> | null = null;
    if (r.status === 200) {
      map = new Map();
      for (const res of (JSON.parse(r.body) as { resources: { name: string; kind: string; namespaced: boolean }[] }).resources) {
        if (!res.name.includes('/')) map.set(res.kind, { plural: res.name, namespaced: res.namespaced });
      }
    } else if (r.status !== 404) throw new Error(`discovery GET ${path} answered ${r.status}: ${r.body.slice(0, 300)}`);
    this.resources.set(apiVersion, map);
    return map;
  }

  private async ensureNamespace(ns: string): Promise<void> {
    if (this.namespaces.has(ns)) return;
    this.namespaces.add(ns);
    const r = await request(this.agent, this.kube.server, 'POST', '/api/v1/namespaces', this.tls, JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } }));
    if (r.status !== 201 && r.status !== 409 && r.status !== 422) throw new Error(`creating namespace ${ns} answered ${r.status}: ${r.body.slice(0, 300)}`);
  }

  /** Dry-run create of one document. */
  async check(id: string, text: string): Promise<ApiServerAnswer> {
    let head: { apiVersion?: unknown; kind?: unknown; metadata?: { namespace?: unknown } } | undefined;
    try {
      const v = parse(text, { version: '1.1', uniqueKeys: false, maxAliasCount: 100 }) as unknown;
      if (v && typeof v === 'object' && !Array.isArray(v)) head = v as typeof head;
    } catch {
      head = undefined;
    }
    // Where to send it comes from apiVersion and kind, as kubectl finds it; what
    // cannot be routed is what kubectl (or the server's discovery) refuses.
    const apiVersion = typeof head?.apiVersion === 'string' ? head.apiVersion : undefined;
    const kind = typeof head?.kind === 'string' ? head.kind : undefined;
    if (!head || !apiVersion || !kind) {
      return { id, status: 0, accepted: false, warnings: [], errors: [{ field: head && !apiVersion ? 'apiVersion' : head && !kind ? 'kind' : undefined, reason: 'NoRoute', message: 'no apiVersion and kind to send it to' }] };
    }
    const resources = await this.discover(apiVersion);
    const res = resources?.get(kind);
    if (!res) {
      return { id, status: 0, accepted: false, warnings: [], errors: [{ field: resources ? 'kind' : 'apiVersion', reason: 'NotServed', message: `the API server serves no ${kind} in ${apiVersion}` }] };
    }
    const nsValue = head.metadata?.namespace;
    const ns = typeof nsValue === 'string' && nsValue !== '' ? nsValue : 'default';
    if (res.namespaced && /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(ns) && ns.length <= 63) await this.ensureNamespace(ns);
    const prefix = apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
    const base = `${prefix}${res.namespaced ? `/namespaces/${encodeURIComponent(ns)}` : ''}/${res.plural}?dryRun=All`;
    const strict = await this.send(`${base}&fieldValidation=Strict`, text);
    if (strict.accepted || !strict.errors.some((e) => e.reason === 'StrictDecoding')) return { id, ...strict };
    // Strict decoding stops at unknown and duplicate fields; the API server's
    // other checks (schema, CEL, metadata) run when those are only warnings.
    const rest = await this.send(`${base}&fieldValidation=Warn`, text);
    return {
      id,
      status: strict.status,
      accepted: false,
      errors: [...strict.errors, ...(rest.accepted ? [] : rest.errors)],
      warnings: rest.warnings.filter((w) => !/^(unknown|duplicate) field /.test(w)),
    };
  }

  private async send(path: string, text: string): Promise<Omit<ApiServerAnswer, 'id'>> {
    const r = await request(this.agent, this.kube.server, 'POST', path, this.tls, text, 'application/yaml');
    if (r.status >= 200 && r.status < 300) return { status: r.status, accepted: true, errors: [], warnings: r.warnings };
    let status: { message?: string; reason?: string; details?: { causes?: { field?: string; reason?: string; message?: string }[] } } = {};
    try {
      status = JSON.parse(r.body) as typeof status;
    } catch {
      status = { message: r.body };
    }
    if (r.status >= 500 || r.status === 401 || r.status === 403) throw new Error(`dry-run create ${path} answered ${r.status}: ${r.body.slice(0, 500)}`);
    const errors: ApiServerError[] = [];
    for (const c of status.details?.causes ?? []) {
      const m = /^(?:unknown|duplicate) field "([^"]*)"$/.exec(c.message ?? '');
      const field = c.field || (m ? m[1] : undefined);
      errors.push({ field: field && field !== '<nil>' ? field : undefined, reason: c.reason ?? status.reason ?? String(r.status), message: c.message ?? '' });
    }
    if (errors.length === 0) {
      const msg = status.message ?? '';
      const named = /strict decoding error/.test(msg) ? [...msg.matchAll(/(?:unknown|duplicate) field "([^"]*)"/g)].map((m) => m[1]!) : [];
      if (named.length) for (const f of named) errors.push({ field: f, reason: 'StrictDecoding', message: msg });
      else errors.push({ reason: status.reason ?? String(r.status), message: msg });
    }
    return { status: r.status, accepted: false, errors, warnings: r.warnings };
  }

  /** All documents, at most `concurrency` at a time; answers in order. */
  async checkAll(docs: { id: string; text: string }[]): Promise<ApiServerAnswer[]> {
    const answers: ApiServerAnswer[] = new Array(docs.length);
    let next = 0;
    const worker = async () => {
      while (next < docs.length) {
        const i = next++;
        answers[i] = await this.check(docs[i]!.id, docs[i]!.text);
      }
    };
    await Promise.all(Array.from({ length: this.concurrency }, worker));
    return answers;
  }
}
