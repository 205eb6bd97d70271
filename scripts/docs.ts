/**
 * `npm run docs`: writes the README's tool table from the registry (test/docs.test.ts fails when
 * the README is not what this writes).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { withToolTable } from '../src/tools/catalogue.js';
import { ALL_TOOLS } from '../src/tools/index.js';

const file = new URL('../README.md', import.meta.url);
const before = readFileSync(file, 'utf8');
const after = withToolTable(before, ALL_TOOLS);
if (after !== before) writeFileSync(file, after);
console.log(after === before ? 'README.md: tool table up to date' : 'README.md: tool table rewritten');
