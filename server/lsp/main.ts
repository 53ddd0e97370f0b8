/** Entry of dist/server.js, the language server on its own (for editors that start it with node). */
import { startLanguageServer } from './server.js';

startLanguageServer(process.argv.includes('--stdio') ? 'stdio' : 'node-ipc');
