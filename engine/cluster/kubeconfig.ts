/**
 * The kubeconfig as kubectl reads it (client-go's clientcmd loading rules):
 *
 *   --kubeconfig FILE   that file alone (it must exist)
 *   KUBECONFIG          a list of files (":"-separated; ";" on Windows); files
 *                       that do not exist are skipped; the first file to set a
 *                       value wins: the first current-context, the first
 *                       cluster / user / context of a name
 *   otherwise           ~/.kube/config
 *
 * then --context (else current-context), and the namespace: --namespace, else
 * the context's, else "default". Relative paths in a file (certificate-authority,
 * client-certificate, token files) are relative to that file.
 *
 * Loading reads the files and never writes them: switching context is
 * an in-memory choice (KubeConfig.setCurrentContext on our copy).
 */
import { existsSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import { KubeConfig, type Cluster, type Context, type User } from '@kubernetes/client-node';
import { ClusterError } from './cluster-error.js';

export interface KubeconfigOptions {
  /** --kubeconfig: this file only. */
  kubeconfig?: string;
  /** --context: instead of current-context. */
  context?: string;
  /** -n/--namespace: instead of the context's namespace. */
  namespace?: string;
  /** The namespace is the editor's setting or choice: a default for objects that name none, not kubectl's -n (which refuses documents that name another). */
  namespaceIsDefault?: boolean;
  /** The environment to read KUBECONFIG from (default process.env). */
  env?: Record<string, string | undefined>;
  /** The home directory for ~/.kube/config (default $HOME, else os.homedir()). */
  home?: string;
  /** How messages name the kubeconfig and context choices (default the CLI's flags); the editor names its settings. */
  names?: { kubeconfig: string; context: string };
}

/** Where the namespace came from: -n/--namespace, the editor's choice (a default only: documents may name others), the context, or none. */
type NamespaceSource = 'flag' | 'setting' | 'context' | 'default';

/** One context of a kubeconfig, ready to connect with. */
export interface ClusterTarget {
  /** client-node's KubeConfig with the chosen context current (credentials, CA, plugins). */
  kc: KubeConfig;
  /** The files that were read, in order. */
  files: string[];
  /** Where that list came from: the option, KUBECONFIG, or ~/.kube/config. */
  filesFrom: 'option' | 'KUBECONFIG' | '~/.kube/config';
  context: string;
  /** The kubeconfig's names of the context's cluster and user entries. */
  cluster: string;
  user: string;
  server: string;
  /** The namespace for objects that name none. */
  namespace: string;
  namespaceSource: NamespaceSource;
  /** Every context of the merged kubeconfig, with its namespace (for pickers). */
  contexts: { name: string; cluster: string; user: string; namespace?: string }[];
}

/** The kubeconfig files in the order kubectl reads them. */
function kubeconfigFiles(options: KubeconfigOptions = {}): { files: string[]; from: ClusterTarget['filesFrom'] } {
  const flag = options.names?.kubeconfig ?? '--kubeconfig';
  if (options.kubeconfig) {
    if (!existsSync(options.kubeconfig)) throw new ClusterError('config', `the kubeconfig ${options.kubeconfig} (${flag}) does not exist`);
    return { files: [options.kubeconfig], from: 'option' };
  }
  const env = options.env ?? process.env;
  const list = env.KUBECONFIG;
  if (list) {
    const named = list.split(delimiter).filter(Boolean);
    const seen = new Set<string>();
    const files = named.filter((f) => {
      if (seen.has(f)) return false;
      seen.add(f);
      return existsSync(f) && !statSync(f).isDirectory();
    });
    if (files.length === 0) throw new ClusterError('config', `none of the files in KUBECONFIG exists (${named.join(delimiter)})`, options.names ? `Set KUBECONFIG to your kubeconfig file(s), or name one with ${flag}.` : 'Set KUBECONFIG to your kubeconfig file(s), or pass --kubeconfig FILE.');
    return { files, from: 'KUBECONFIG' };
  }
  const home = options.home ?? (env.HOME || homedir());
  const file = join(home, '.kube', 'config');
  if (!existsSync(file)) throw new ClusterError('config', `no kubeconfig: ${file} does not exist and KUBECONFIG is not set`, `${options.names ? `Name one with ${flag}` : 'Pass --kubeconfig FILE'}, set KUBECONFIG, or create ~/.kube/config (your cluster provider's CLI writes one).`);
  return { files: [file], from: '~/.kube/config' };
}

function readOne(file: string): KubeConfig {
  const kc = new KubeConfig();
  try {
    // Entries that lack a required field are dropped here and reported when used (as kubectl does).
    kc.loadFromFile(file, { onInvalidEntry: 'filter' });
  } catch (e) {
    const reason = (e as NodeJS.ErrnoException).code === 'EACCES' ? 'permission denied' : ((e as Error).message ?? String(e)).split('\n')[0];
    throw new ClusterError('config', `cannot read the kubeconfig ${file}: ${reason}`);
  }
  return kc;
}

/** Loads and merges the kubeconfig files, picks the context and the namespace. */
export function loadKubeconfig(options: KubeconfigOptions = {}): ClusterTarget {
  const { files, from } = kubeconfigFiles(options);
  const clusters = new Map<string, Cluster>();
  const users = new Map<string, User>();
  const contexts = new Map<string, Context>();
  let current: string | undefined;
  for (const file of files) {
    const kc = readOne(file);
    // First file to set a value wins (client-go's merge); client-node's own mergeConfig lets the last win and throws on duplicates.
    if (!current && kc.getCurrentContext()) current = kc.getCurrentContext();
    for (const c of kc.getClusters() ?? []) if (!clusters.has(c.name)) clusters.set(c.name, c);
    for (const u of kc.getUsers() ?? []) if (!users.has(u.name)) users.set(u.name, u);
    for (const c of kc.getContexts() ?? []) if (!contexts.has(c.name)) contexts.set(c.name, c);
  }
  const where = from === 'option' ? files[0] : `${from} (${files.join(delimiter)})`;
  const contextFlag = options.names?.context ?? '--context';
  const contextName = options.context || current;
  const names = [...contexts.keys()];
  if (!contextName) {
    throw new ClusterError('config', `the kubeconfig ${where} has no current-context`, names.length ? `${options.names ? `Choose one with ${contextFlag}` : 'Pass --context NAME'} (contexts: ${names.join(', ')}).` : 'It has no contexts either.');
  }
  const context = contexts.get(contextName);
  if (!context) {
    throw new ClusterError(
      'config',
      `context "${contextName}"${options.context ? ` (${contextFlag})` : ' (current-context)'} is not in the kubeconfig ${where}`,
      names.length ? `Contexts there: ${names.join(', ')}.` : 'It has no contexts.',
    );
  }
  const cluster = clusters.get(context.cluster);
  if (!cluster) throw new ClusterError('config', `context "${contextName}" names cluster "${context.cluster}", which is not in the kubeconfig ${where} (or has no server)`);
  if (context.user && !users.has(context.user)) throw new ClusterError('config', `context "${contextName}" names user "${context.user}", which is not in the kubeconfig ${where}`);

  const kc = new KubeConfig();
  kc.loadFromOptions({ clusters: [...clusters.values()], users: [...users.values()], contexts: [...contexts.values()], currentContext: contextName });

  let namespace = 'default';
  let namespaceSource: NamespaceSource = 'default';
  if (options.namespace) {
    namespace = options.namespace;
    namespaceSource = options.namespaceIsDefault ? 'setting' : 'flag';
  } else if (context.namespace) {
    namespace = context.namespace;
    namespaceSource = 'context';
  }
  return {
    kc,
    files,
    filesFrom: from,
    context: contextName,
    cluster: context.cluster,
    user: context.user,
    server: cluster.server,
    namespace,
    namespaceSource,
    contexts: [...contexts.values()].map((c) => ({ name: c.name, cluster: c.cluster, user: c.user, namespace: c.namespace })),
  };
}
