/**
 * The resources an issuance reads in the editor: every YAML file of the
 * workspace that looks like a Kubernetes manifest (open documents with their
 * unsaved text), plus the Secrets of earlier local issuances (so that a CA
 * issuer finds the CA made by a SelfSigned one), plus values from the secret
 * storage for Secrets that are not in any file.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { ResourceSet } from '../../engine/issue/resource-set.js';
import type { IssuedStore } from './issued-store.js';

const MAX_FILES = 5000;
/** Files that can hold what an issuance reads (Certificates, issuers, Secrets). */
const looksRelevant = (text: string) => /^\s*-?\s*kind:\s*["']?(Certificate|Issuer|ClusterIssuer|Secret|List)\b/m.test(text);

export async function workspaceResources(issued: IssuedStore, token?: vscode.CancellationToken): Promise<{ resources: ResourceSet; skipped: string[] }> {
  const resources = new ResourceSet();
  const skipped: string[] = [];
  const open = new Map<string, vscode.TextDocument>();
  for (const d of vscode.workspace.textDocuments) if (d.languageId === 'yaml') open.set(d.uri.toString(), d);
  const files = await vscode.workspace.findFiles('**/*.{yaml,yml}', '{**/node_modules/**,**/.git/**,**/.certsmith/**}', MAX_FILES, token);
  const seen = new Set<string>();
  const add = (label: string, text: string) => {
    if (!looksRelevant(text)) return;
    try {
      resources.addFile(label, text);
    } catch (e) {
      skipped.push(`${label}: ${(e as Error).message}`);
    }
  };
  for (const uri of files) {
    seen.add(uri.toString());
    const doc = open.get(uri.toString());
    const label = vscode.workspace.asRelativePath(uri);
    try {
      add(label, doc ? doc.getText() : readFileSync(uri.fsPath, 'utf8'));
    } catch (e) {
      skipped.push(`${label}: ${(e as Error).message}`);
    }
  }
  for (const [key, doc] of open) if (!seen.has(key)) add(vscode.workspace.asRelativePath(doc.uri), doc.getText());
  for (const r of issued.all()) {
    try {
      resources.addFile(path.join(r.outDir, 'secret.yaml'), readFileSync(path.join(r.outDir, 'secret.yaml'), 'utf8'));
    } catch {
      // An earlier result that was removed: nothing to add.
    }
  }
  return { resources, skipped };
}
