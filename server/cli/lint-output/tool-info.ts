/**
 * Certsmith as reports name it: the version of server/version.ts and the home
 * page of package.json, which esbuild inlines (these fields only), so nothing
 * is read at run time.
 */
import { homepage } from '../../../package.json';
import { VERSION } from '../../version.js';

export const TOOL_NAME = 'Certsmith';
export const TOOL_VERSION = VERSION;
/** Where users read about the tool. */
export const TOOL_URI: string = homepage;
