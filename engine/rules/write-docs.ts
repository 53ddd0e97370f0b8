/** `npm run rules:docs`: writes docs/rules.md from the registry. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderRulesMarkdown } from './rules-doc.js';

const target = join(__dirname, '..', '..', 'docs', 'rules.md');
writeFileSync(target, renderRulesMarkdown());
console.log(`wrote ${target}`);
