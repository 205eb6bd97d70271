/** Small helpers for benchmark figures: percentiles over samples, fixed-width printing. */
export function percentile(samples: readonly number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  if (!sorted.length) return Number.NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank]!;
}

export const median = (samples: readonly number[]) => percentile(samples, 50);

export function ms(value: number, digits = 2): string {
  return `${value.toFixed(digits)} ms`;
}

export function row(label: string, ...values: string[]): string {
  return `  ${label.padEnd(44)} ${values.join('   ')}`;
}
