import { describe, expect, it } from 'vitest';
import { generateId, ID_ALPHABET, isWellFormedId } from '../../src/engine/core/ids.js';

describe('public ids (semantics.md §1.1)', () => {
  it('are a prefix and 12 characters of the 34-letter alphabet, without O or 0', () => {
    expect(ID_ALPHABET).toHaveLength(34);
    expect(ID_ALPHABET).not.toMatch(/[O0]/);
    for (let i = 0; i < 200; i++) {
      const id = generateId('F', () => false);
      expect(id).toMatch(/^F[A-NP-Z1-9]{12}$/);
      expect(isWellFormedId(id, 'F')).toBe(true);
    }
    expect(generateId('WH', () => false)).toHaveLength(14);
  });

  it('retries on collision with OnCall\'s lengths, then gives up', () => {
    const lengths: number[] = [];
    const id = generateId('E', (candidate) => {
      lengths.push(candidate.length - 1);
      return lengths.length < 3;
    });
    expect(lengths).toEqual([12, 12, 13]);
    expect(id).toHaveLength(14);
    expect(() => generateId('E', () => true)).toThrow(/unique E id/);
  });

  it('recognises seed ids and rejects malformed ones', () => {
    expect(isWellFormedId('F5JU6KJET33FE', 'F')).toBe(true);
    expect(isWellFormedId('F5JU6KJET33F0', 'F')).toBe(false);
    expect(isWellFormedId('FSHORT', 'F')).toBe(false);
  });
});
