/**
 * How evenly on-call hours are shared: most and fewest hours, and the Gini coefficient (0: all
 * equal; towards 1: one person carries it all), over the people with any hours in the window. The
 * Gini coefficient is the mean absolute difference between every pair, halved and divided by the
 * mean: sum over i, j of |x_i - x_j| / (2 n² mean).
 */
export function gini(values: readonly number[]): number {
  const n = values.length;
  if (n === 0) return 0;
  const mean = values.reduce((a, b) => a + b, 0) / n;
  if (mean === 0) return 0;
  // Sorted, the pair sum is sum of (2i - n + 1) x_i: linear after the sort.
  const sorted = [...values].sort((a, b) => a - b);
  let weighted = 0;
  sorted.forEach((x, i) => {
    weighted += (2 * i - n + 1) * x;
  });
  return weighted / (n * n * mean);
}
