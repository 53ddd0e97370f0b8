/** `certsmith lsp --stdio | --node-ipc`: the language server on a transport. */
import { parseArgs } from 'node:util';
import { UsageError, type CommandIO } from './command-io.js';
import { startLanguageServer } from '../lsp/server.js';

export const LSP_USAGE = `Usage: certsmith lsp (--stdio | --node-ipc)

Starts the Certsmith language server. Any LSP client can use it, e.g.
  neovim:  vim.lsp.start({ name = 'certsmith', cmd = { 'certsmith', 'lsp', '--stdio' } })
  helix:   [language-server.certsmith] command = "certsmith", args = ["lsp", "--stdio"]`;

/** Resolves when the server has been started; the process then lives until the client exits it. */
export async function runLsp(argv: string[], io: CommandIO): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        stdio: { type: 'boolean' },
        'node-ipc': { type: 'boolean' },
        'clientProcessId': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      allowPositionals: false,
      strict: true,
    }));
  } catch (e) {
    throw new UsageError(`${(e as Error).message}\n\n${LSP_USAGE}`);
  }
  if (values.help) {
    io.stdout(LSP_USAGE + '\n');
    return 0;
  }
  if (!values.stdio && !values['node-ipc']) throw new UsageError(`choose a transport\n\n${LSP_USAGE}`);
  startLanguageServer(values.stdio ? 'stdio' : 'node-ipc');
  return -1;
}
