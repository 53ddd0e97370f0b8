/**
 * One manifest file, checked document by document. An update re-parses and
 * re-checks only the documents whose text changed; the others keep their
 * results and are only shifted to their new lines.
 */
import { KNOWN_GROUPS } from '../rules/checks/api-version.js';
import { checkDocument, type CheckedDocument } from '../rules/check-document.js';
import { ruleById } from '../rules/registry.js';
import type { Diagnostic } from '../core/diagnostic.js';
import { splitDocuments, type Segment } from '../manifests/segments.js';
import { shiftRange, type Range } from '../core/position.js';
import type { SchemaStore } from '../schema/schema-store.js';
import { checkText, DEFAULT_MAX_FILE_BYTES, withoutByteOrderMark, type TextProblem } from '../manifests/file-limits.js';

/** Files with more documents than this keep no syntax trees between requests. */
const KEEP_TREES_UP_TO = 100;

export interface FileDocument {
  segment: Segment;
  checked: CheckedDocument;
}

export interface UpdateStats {
  documents: number;
  reparsed: number;
}

export class ManifestFile {
  /** The text, or where a text that is not kept is read from (storedFileView in file-record.ts). */
  private textSource: string | (() => string) = '';
  documents: FileDocument[] = [];
  problem: TextProblem | undefined;
  /** isRelevant as found when the file was checked elsewhere (a record), until the next update. */
  knownRelevant: boolean | undefined;

  constructor(
    readonly uri: string,
    private readonly store: SchemaStore,
    private readonly maxBytes = DEFAULT_MAX_FILE_BYTES,
    /** Keep the documents' syntax trees; by default only files of few documents do. */
    private readonly keepTrees?: boolean,
  ) {}

  /** The file's text; a background file's is read again (from disk) each time. */
  get text(): string {
    return typeof this.textSource === 'string' ? this.textSource : this.textSource();
  }

  set text(text: string) {
    this.textSource = text;
  }

  /** Where the text is read from when it is not kept. */
  get textReader(): (() => string) | undefined {
    return typeof this.textSource === 'string' ? undefined : this.textSource;
  }

  /** The text is not kept: `read` gives it when asked for. */
  readTextFrom(read: () => string): void {
    this.textSource = read;
  }

  update(text: string): UpdateStats {
    text = withoutByteOrderMark(text);
    // A file whose text was not kept (a background file, now opened): its text as checked, read once.
    const before = typeof this.textSource === 'string' ? undefined : this.textSource();
    this.text = text;
    this.knownRelevant = undefined;
    this.problem = checkText(text, this.maxBytes);
    if (this.problem) {
      this.documents = [];
      return { documents: 0, reparsed: 0 };
    }
    const previous = new Map<string, CheckedDocument>();
    this.documents.forEach((d, i) => {
      // Documents follow one another: each ends where the next begins.
      const end = i + 1 < this.documents.length ? this.documents[i + 1]!.segment.offset : before?.length;
      previous.set(before === undefined ? d.segment.text : before.slice(d.segment.offset, end), d.checked);
    });
    let reparsed = 0;
    const segments = splitDocuments(text);
    // Large files keep no syntax trees (see CheckedDocument); small ones keep them all.
    const keepTrees = this.keepTrees ?? segments.length <= KEEP_TREES_UP_TO;
    this.documents = segments.map((segment) => {
      // A document unchanged since it was checked keeps its results (over the text now kept).
      let checked = previous.get(segment.text)?.keptAs(segment.text);
      if (!checked) {
        checked = checkDocument(segment.text, this.store, keepTrees);
        reparsed++;
      }
      return { segment, checked };
    });
    return { documents: this.documents.length, reparsed };
  }

  /** Local diagnostics of the whole file, in file positions. */
  diagnostics(): Diagnostic[] {
    if (this.problem) {
      const rule = ruleById(this.problem.code);
      return [
        {
          range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
          severity: rule.severity,
          code: rule.id,
          message: this.problem.message,
          href: rule.docs,
        },
      ];
    }
    const out: Diagnostic[] = [];
    for (const d of this.documents) {
      for (const diag of d.checked.diagnostics) {
        const shifted: Diagnostic = { ...diag, range: shiftRange(diag.range, d.segment.line) };
        if (diag.fixes) {
          shifted.fixes = diag.fixes.map((f) => ({ ...f, edits: f.edits.map((e) => ({ ...e, range: shiftRange(e.range, d.segment.line) })) }));
        }
        out.push(shifted);
      }
    }
    return out;
  }

  /** The document that holds a (file) line. */
  documentAtLine(line: number): FileDocument | undefined {
    let lo = 0;
    let hi = this.documents.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.documents[mid].segment.line <= line) lo = mid;
      else hi = mid - 1;
    }
    return this.documents[lo];
  }

  /** A range inside a document, in file positions. */
  toFileRange(d: FileDocument, r: Range): Range {
    return shiftRange(r, d.segment.line);
  }

  /**
   * True when the file holds something Certsmith checks: an object of a
   * cert-manager, networking or Gateway API group, or one of their kinds.
   * Other YAML files (CI configs, Helm values) are left alone.
   */
  get isRelevant(): boolean {
    if (this.knownRelevant !== undefined) return this.knownRelevant;
    // Too large: judged by its beginning. Not text: an editor opened it as YAML, so say what it is.
    // Templates are not YAML yet: an editor shows nothing for them.
    if (this.problem) return this.problem.code === 'file-too-large' ? looksRelevant(this.text.slice(0, 65536)) : this.problem.code === 'file-not-text';
    for (const d of this.documents) {
      for (const o of d.checked.objects) {
        if (KNOWN_GROUPS.has(o.group) || RELEVANT_KINDS.has(o.kind ?? '')) return true;
        if (o.apiVersion === 'extensions/v1beta1' && o.kind === 'Ingress') return true;
        // Secrets that issuers read (CA keys, credentials) take part in the checks across files.
        if (o.apiVersion === 'v1' && o.kind === 'Secret') return true;
      }
    }
    // A file too broken to read objects from: decide by its text.
    return this.documents.some((d) => d.checked.hasSyntaxProblems) && looksRelevant(this.text);
  }
}

const RELEVANT_KINDS = new Set(['Certificate', 'CertificateRequest', 'Issuer', 'ClusterIssuer', 'Ingress', 'Gateway', 'HTTPRoute', 'Order', 'Challenge']);
/** apiVersion or kind of a cert-manager, networking or Gateway object at the start of a line (or of a list item). */
const RELEVANT_TEXT = /^(- +)?(apiVersion:\s*["']?(cert-manager\.io|acme\.cert-manager\.io|certmanager\.k8s\.io|networking\.k8s\.io|gateway\.networking\.k8s\.io)\/|kind:\s*["']?(Certificate|CertificateRequest|Issuer|ClusterIssuer|Ingress|Gateway|HTTPRoute)\b)/m;

/** Whether a text (or its beginning) looks like it holds objects Certsmith checks. */
export function looksRelevant(text: string): boolean {
  return RELEVANT_TEXT.test(text);
}

/** A Secret at the start of a line (or of a list item). */
const SECRET_TEXT = /^(- +)?kind:\s*["']?Secret\b/m;

/** Text the language server's index keeps: the manifests Certsmith checks, and Secrets (issuance and the checks across files need them). */
export function worthIndexing(text: string): boolean {
  return looksRelevant(text) || SECRET_TEXT.test(text);
}
