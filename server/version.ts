/**
 * Certsmith's version, for `certsmith --version`, the language server's
 * serverInfo and reports. package.json is the one place it is written; esbuild
 * inlines this one field into each bundle, so nothing is read at run time.
 */
import { version } from '../package.json';

export const VERSION: string = version;
