/**
 * Validation (semantics.md §2.1): start, rotation_start and until are wall-clock values in the
 * shift's zone; one that falls in a DST gap or fold is rejected, naming the field.
 */
import { describe, expect, it } from 'vitest';
import { expandShift, type ShiftDefinition, validateShift } from '../../../src/engine/schedules/math/index.js';
import { shiftDefinition } from './fixtures.js';

function shift(over: Partial<ShiftDefinition>): ShiftDefinition {
  return shiftDefinition({
    id: 'v',
    timeZone: 'Europe/Berlin',
    start: '2024-03-04T09:00:00',
    rollingUsers: [['A'], ['B']],
    ...over,
  });
}

const fields = (s: ShiftDefinition) => validateShift(s).map((p) => p.field);

describe('validateShift', () => {
  it('accepts a well-formed shift', () => {
    expect(validateShift(shift({ rotationStart: '2024-03-11T09:00:00', until: '2024-12-30T09:00:00' }))).toEqual([]);
  });

  it('rejects a start in the Berlin spring gap', () => {
    const problems = validateShift(shift({ start: '2024-03-31T02:30:00' }));
    expect(problems).toHaveLength(1);
    expect(problems[0]?.field).toBe('start');
    expect(problems[0]?.message).toContain('does not exist in Europe/Berlin');
  });

  it('rejects a rotation_start in the Berlin autumn fold', () => {
    const problems = validateShift(shift({ rotationStart: '2024-10-27T02:30:00' }));
    expect(problems.map((p) => p.field)).toEqual(['rotationStart']);
    expect(problems[0]?.message).toContain('ambiguous in Europe/Berlin');
  });

  it('rejects an until in the Sydney spring gap (October) and a start in its autumn fold (April)', () => {
    expect(fields(shift({ timeZone: 'Australia/Sydney', until: '2024-10-06T02:30:00' }))).toEqual(['until']);
    expect(fields(shift({ timeZone: 'Australia/Sydney', start: '2024-04-07T02:30:00' }))).toEqual(['start']);
    const [problem] = validateShift(shift({ timeZone: 'Australia/Sydney', start: '2024-04-07T02:30:00' }));
    expect(problem?.message).toContain('ambiguous');
  });

  it('accepts the instants right next to a gap or fold', () => {
    expect(validateShift(shift({ start: '2024-03-31T01:59:59', rotationStart: '2024-03-31T03:00:00' }))).toEqual([]);
    expect(validateShift(shift({ start: '2024-10-27T01:59:59', until: '2024-10-27T03:00:00' }))).toEqual([]);
  });

  it('web shifts are UTC, where no wall-clock value is skipped or repeated', () => {
    const web = shift({ source: 'web', start: '2024-03-31T02:30:00', until: '2024-10-27T02:30:00' });
    expect(validateShift(web)).toEqual([]);
  });

  it('names malformed or impossible date-times', () => {
    expect(fields(shift({ start: 'next monday' }))).toEqual(['start']);
    expect(fields(shift({ rotationStart: '2024-02-30T09:00:00' }))).toEqual(['rotationStart']);
    expect(fields(shift({ until: '2024-01-01 09:00:00' }))).toEqual(['until']);
    expect(fields(shift({ start: '2024-01-01T24:00:00' }))).toEqual(['start']);
  });

  it('names an unknown zone, and other fields expansion cannot use', () => {
    expect(fields(shift({ timeZone: 'Mars/Olympus_Mons' }))).toEqual(['timeZone']);
    expect(fields(shift({ duration: 0 }))).toEqual(['duration']);
    expect(fields(shift({ interval: 0 }))).toEqual(['interval']);
    expect(fields(shift({ byMonth: [13] }))).toEqual(['byMonth']);
    expect(fields(shift({ byMonthday: [0] }))).toEqual(['byMonthday']);
    expect(fields(shift({ byDay: ['XX' as 'MO'] }))).toEqual(['byDay']);
  });

  it('expansion never throws on invalid definitions', () => {
    const window = [Date.parse('2024-03-01T00:00:00Z'), Date.parse('2024-05-01T00:00:00Z')] as const;
    expect(expandShift(shift({ timeZone: 'Mars/Olympus_Mons' }), ...window)).toEqual([]);
    expect(expandShift(shift({ start: 'garbage' }), ...window)).toEqual([]);
    expect(expandShift(shift({ duration: -5 }), ...window)).toEqual([]);
    // A start in a DST gap is invalid, yet expansion still yields something sensible.
    expect(expandShift(shift({ start: '2024-03-31T02:30:00' }), ...window).length).toBeGreaterThan(0);
  });
});
