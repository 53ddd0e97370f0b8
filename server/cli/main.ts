import { readFileSync } from 'node:fs';
/**
 * The `certsmith` command: an adapter over the engine, beside the language
 * server. Each subcommand lives in its own file.
 */
import { UsageError, type CommandIO } from './command-io.js';
import { runLint } from './lint-command.js';
import { runDns } from './dns-command.js';
import type * as ClusterCommands from './cluster-commands.js';
import type * as MoreCommands from './more-commands.js';
import type * as LspCommand from './lsp-command.js';
import { VERSION } from '../version.js';

/**
 * dist/cluster-commands.js (a separate bundle: see esbuild.config.mjs), loaded
 * with require: an import() of it would make Node's ESM loader scan all of it.
 */
function clusterCommands(): typeof ClusterCommands {
  return require('./cluster-commands.js') as typeof ClusterCommands;
}

/** dist/more-commands.js likewise: inspect, issue and upgrade-check. */
function moreCommands(): typeof MoreCommands {
  return require('./more-commands.js') as typeof MoreCommands;
}

/** dist/lsp-command.js: the language server alone (it stays running, so it loads nothing it does not serve). */
function lspCommand(): typeof LspCommand {
  return require('./lsp-command.js') as typeof LspCommand;
}

const USAGE = `Certsmith ${VERSION}: checks cert-manager manifests before they reach a cluster.

Usage: certsmith <command> [options]

Commands:
  lint [options] PATH... | -          check manifest files and directories
  lsp --stdio | --node-ipc            start the language server
  inspect FILE | - | --host HOST:PORT show and check a certificate chain
  dns check NAME [options]            check DNS-01 TXT record propagation
  issue -f FILE --certificate NAME --out DIR
                                      issue a Certificate as cert-manager would
  apply [--dry-run] PATH...           server-side apply (or dry run) to a cluster
  diff PATH...                        what apply would change in the cluster
  status certificate NAME [--wait]    a Certificate's status in the cluster
  explain certificate NAME            why a Certificate is not Ready: the cause and what to do
  renew NAME... | --all | -l SELECTOR trigger renewal, as cmctl renew does
  upgrade-check --from V --to V PATH... what changes for these manifests in a cert-manager upgrade
  version                             print the version

Run "certsmith <command> --help" for a command's options.`;

async function main(argv: string[]): Promise<number> {
  const io: CommandIO = {
    cwd: process.cwd(),
    stdout: (t) => void process.stdout.write(t),
    stderr: (t) => void process.stderr.write(t),
    readStdin: () => readFileSync(0),
  };
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'lint':
        return await runLint(rest, io);
      case 'lsp':
        return await lspCommand().runLsp(rest, io);
      case 'inspect':
        return await moreCommands().runInspect(rest, io);
      case 'dns':
        return await runDns(rest, io);
      case 'issue':
        return await moreCommands().runIssue(rest, {
          ...io,
          onInterrupt(handler) {
            let count = 0;
            const listener = () => {
              // A second Ctrl-C quits at once.
              if (++count > 1) process.exit(130);
              handler();
            };
            process.on('SIGINT', listener);
            process.on('SIGTERM', listener);
            return () => {
              process.off('SIGINT', listener);
              process.off('SIGTERM', listener);
            };
          },
        });
      case 'apply':
        return await clusterCommands().runApply(rest, io);
      case 'diff':
        return await clusterCommands().runDiff(rest, io);
      case 'status':
        return await clusterCommands().runStatus(rest, io);
      case 'explain':
        return await clusterCommands().runExplain(rest, io);
      case 'renew':
        return await clusterCommands().runRenew(rest, io);
      case 'upgrade-check':
        return await moreCommands().runUpgradeCheck(rest, io);
      case 'version':
      case '--version':
        io.stdout(`certsmith ${VERSION}\n`);
        return 0;
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        io.stdout(USAGE + '\n');
        return command === undefined ? 2 : 0;
      default:
        throw new UsageError(`unknown command "${command}"\n\n${USAGE}`);
    }
  } catch (e) {
    // A UsageError may come from dist/cluster-commands.js, a bundle with its own copy of the class.
    if (e instanceof UsageError || (e as Error)?.name === 'UsageError') {
      io.stderr(`certsmith: ${(e as Error).message}\n`);
      return 2;
    }
    // Anything else is a bug: say so in one line; the stack only on request.
    io.stderr(`certsmith: internal error: ${(e as Error).message ?? String(e)}\n`);
    if (process.env.CERTSMITH_DEBUG) io.stderr(`${(e as Error).stack}\n`);
    return 2;
  }
}

// A closed pipe (certsmith lint | head) is not an error.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
});

main(process.argv.slice(2)).then(
  (code) => {
    if (code !== -1) process.exitCode = code;
  },
  (e) => {
    process.stderr.write(`certsmith: internal error: ${(e as Error).message}\n`);
    process.exitCode = 2;
  },
);
