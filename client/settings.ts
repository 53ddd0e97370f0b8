/** The extension's settings (package.json contributes.configuration), read fresh each time. */
import * as vscode from 'vscode';

export interface Settings {
  defaultAcmeServer: string;
  recursiveNameservers: string[];
  recursiveNameserversOnly: boolean;
  authoritativePort: number;
  expiryWarningDays: number;
  clusterResourceNamespace: string;
  http01Listen: string;
  outputDirectory: string;
}

export function readSettings(scope?: vscode.Uri): Settings {
  const c = vscode.workspace.getConfiguration('certsmith', scope);
  return {
    defaultAcmeServer: c.get<string>('acme.defaultServer') || 'https://acme-staging-v02.api.letsencrypt.org/directory',
    recursiveNameservers: c.get<string[]>('dns01.recursiveNameservers') ?? [],
    recursiveNameserversOnly: c.get<boolean>('dns01.recursiveNameserversOnly') ?? false,
    authoritativePort: c.get<number>('dns01.authoritativePort') ?? 53,
    expiryWarningDays: c.get<number>('expiryWarningDays') ?? 30,
    clusterResourceNamespace: c.get<string>('clusterResourceNamespace') || 'cert-manager',
    http01Listen: c.get<string>('http01.listen') || ':80',
    outputDirectory: c.get<string>('outputDirectory') ?? '.certsmith/issued',
  };
}
