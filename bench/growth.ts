/**
 * Scale sweeps for benchmarks: a figure measured at several sizes (1×, 10×, 100×), printed with
 * the growth exponent fitted over them and its ratio to a baseline measured in the same run.
 *
 * The exponent k is the least-squares slope of log(value) against log(size): a cost proportional
 * to size^k. k ≈ 0 is flat (the cost does not grow with the organisation), k ≈ 1 linear, k ≈ 2
 * quadratic. Ratios rather than absolute times are the point: this machine's cores are shared.
 */
import { ms, row } from './stats.js';

export interface SweepPoint {
  /** The size measured at (alert groups, users, final events…). */
  size: number;
  /** The figure at that size (a time in ms, a rate, bytes). */
  value: number;
  /** Optional extra columns (p99, RSS…), printed after the value. */
  extra?: string;
}

/** Least-squares slope of log(value) on log(size); NaN with fewer than two usable points. */
export function growthExponent(points: readonly SweepPoint[]): number {
  const usable = points.filter((p) => p.size > 0 && p.value > 0 && Number.isFinite(p.value));
  if (usable.length < 2) return Number.NaN;
  const xs = usable.map((p) => Math.log(p.size));
  const ys = usable.map((p) => Math.log(p.value));
  const mx = xs.reduce((a, b) => a + b, 0) / xs.length;
  const my = ys.reduce((a, b) => a + b, 0) / ys.length;
  let num = 0;
  let den = 0;
  for (let i = 0; i < xs.length; i++) {
    num += (xs[i]! - mx) * (ys[i]! - my);
    den += (xs[i]! - mx) ** 2;
  }
  return den === 0 ? Number.NaN : num / den;
}

export interface SweepOptions {
  /** What the size counts ("alert groups"). */
  unit: string;
  /** How a value is printed; milliseconds by default. */
  format?: (value: number) => string;
  /** A baseline measured in the same run, to print each value as a ratio of it. */
  baseline?: { label: string; value: number };
}

/** Prints one sweep: a line per size, then the fitted exponent. Returns the exponent. */
export function printSweep(title: string, points: readonly SweepPoint[], options: SweepOptions): number {
  const format = options.format ?? ((v: number) => ms(v));
  console.log(`  ${title}`);
  for (const p of points) {
    const ratio = options.baseline ? `  ${(p.value / options.baseline.value).toFixed(2)}× ${options.baseline.label}` : '';
    console.log(row(`    ${p.size.toLocaleString('en-US')} ${options.unit}`, format(p.value) + ratio, p.extra ?? ''));
  }
  const k = growthExponent(points);
  console.log(row('    growth exponent', Number.isNaN(k) ? 'n/a' : `${k.toFixed(2)} (0 flat, 1 linear)`));
  return k;
}
