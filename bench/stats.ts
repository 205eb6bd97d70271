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

/** The median wall time of `runs` runs of `fn`, in ms. */
export async function timed(fn: () => Promise<unknown>, runs = 3): Promise<number> {
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = process.hrtime.bigint();
    await fn();
    samples.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  return median(samples);
}
