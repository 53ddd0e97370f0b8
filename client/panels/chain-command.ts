/**
 * An internal command (not in the palette) that shows a chain report in the
 * chain panel. The panel lives in dist/lazy.js; other bundles (dist/cluster.js)
 * show reports through this command, so that there is only ever one panel.
 */
/** Argument: { report: ChainReport, title: string }. */
export const SHOW_CHAIN_REPORT_COMMAND = 'certsmith.internal.showChainReport';
