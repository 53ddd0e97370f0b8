/**
 * The project's own manifests, one document each: test/fixtures,
 * test/semantics/webhook-tables (the `manifest` of every case), examples/
 * (not its CI workflows), test/oracle/cases (release boundaries).
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parse } from 'yaml';

const ROOT = join(__dirname, '..', '..');

export interface CorpusDocument {
  id: string;
  text: string;
}

function yamlFiles(dir: string, skip: string[] = []): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (skip.includes(p)) continue;
    if (statSync(p).isDirectory()) out.push(...yamlFiles(p, skip));
    else if (/\.ya?ml$/.test(name)) out.push(p);
  }
  return out;
}

/** Documents of a file, each as its own text (split at `---` lines, as kubectl does). */
function splitDocuments(text: string): string[] {
  return text
    .split(/^---[ \t]*(?:#.*)?$/m)
    .filter((d) => d.split('\n').some((l) => l.trim() !== '' && !l.trim().startsWith('#')));
}

export function corpus(): CorpusDocument[] {
  const docs: CorpusDocument[] = [];
  const plain = [
    ...yamlFiles(join(ROOT, 'test', 'fixtures')),
    // examples/local/ is written by `npm start` (git-ignored): not part of the project;
    // examples/ci/ holds CI workflows (GitHub Actions, GitLab CI), not manifests for an API server.
    ...yamlFiles(join(ROOT, 'examples'), [join(ROOT, 'examples', 'local'), join(ROOT, 'examples', 'ci')]),
    // Documents on the boundaries where cert-manager's validation changed between releases.
    ...yamlFiles(join(ROOT, 'test', 'oracle', 'cases')),
  ];
  for (const file of plain) {
    splitDocuments(readFileSync(file, 'utf8')).forEach((text, i) => docs.push({ id: `${relative(ROOT, file)}#${i}`, text }));
  }
  for (const file of yamlFiles(join(ROOT, 'test', 'semantics', 'webhook-tables'))) {
    const table = parse(readFileSync(file, 'utf8')) as { cases?: { name: string; manifest?: string; skip?: string }[] };
    for (const c of table.cases ?? []) {
      if (c.skip || !c.manifest) continue;
      docs.push({ id: `${relative(ROOT, file)}: ${c.name}`, text: c.manifest });
    }
  }
  return docs;
}
