import { existsSync, readFileSync } from 'node:fs';

/**
 * The package version, read once from the nearest package.json above this module (src/, dist/
 * and dist/chunks/ all sit below it).
 */
function readVersion(): string {
  let dir = new URL('./', import.meta.url);
  for (let i = 0; i < 4; i++) {
    const file = new URL('package.json', dir);
    if (existsSync(file)) return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
    dir = new URL('../', dir);
  }
  return '0.0.0';
}

export const VERSION: string = readVersion();
