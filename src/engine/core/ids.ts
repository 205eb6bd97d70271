/**
 * Public ids as OnCall makes them: a prefix, then random characters from a 34-letter alphabet
 * (upper-case letters without O, digits without 0). On a collision OnCall retries with lengths
 * 12, 12, 13, 14, 15; we do the same.
 */
import { randomInt } from 'node:crypto';

export const ID_ALPHABET = 'ABCDEFGHIJKLMNPQRSTUVWXYZ123456789';
const ATTEMPT_LENGTHS = [12, 12, 13, 14, 15];

export type RandomIndex = (exclusiveMax: number) => number;

export function generateId(
  prefix: string,
  taken: (id: string) => boolean,
  random: RandomIndex = randomInt,
): string {
  for (const length of ATTEMPT_LENGTHS) {
    let id = prefix;
    for (let i = 0; i < length; i++) id += ID_ALPHABET[random(ID_ALPHABET.length)];
    if (!taken(id)) return id;
  }
  throw new Error(`could not generate a unique ${prefix} id after ${ATTEMPT_LENGTHS.length} attempts`);
}

/** True when `id` looks like an id OnCall could have made with this prefix. */
export function isWellFormedId(id: string, prefix: string): boolean {
  if (!id.startsWith(prefix)) return false;
  const rest = id.slice(prefix.length);
  if (rest.length < 12 || id.length > 20) return false;
  for (const ch of rest) if (!ID_ALPHABET.includes(ch)) return false;
  return true;
}
