/**
 * `npm run docs`: writes the README's tool table from the registry and its REST coverage table from
 * src/rest/coverage.ts (tests fail when the README is not what this writes).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { withRestTable } from '../src/rest/coverage.js';
import { withToolTable } from '../src/tools/catalogue.js';
import { ALL_TOOLS } from '../src/tools/index.js';

const file = new URL('../README.md', import.meta.url);
const before = readFileSync(file, 'utf8');
const after = withRestTable(withToolTable(before, ALL_TOOLS));
if (after !== before) writeFileSync(file, after);
console.log(after === before ? 'README.md: tool and REST tables up to date' : 'README.md: tool and REST tables rewritten');
