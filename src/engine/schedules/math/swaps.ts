/**
 * Shift swap requests (semantics.md §3.1). They rewrite occurrences before layer resolution,
 * so a swap has no visible effect where a higher layer hides the beneficiary's layer (E29).
 */
import type { SwapNote, SwapRequest } from './types.js';

export interface Swappable {
  start: number;
  end: number;
  users: string[];
  swaps: SwapNote[];
}

function byCreation(a: SwapRequest, b: SwapRequest): number {
  return a.createdAt - b.createdAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

function replaceUser(users: readonly string[], from: string, to: string): string[] {
  return [...new Set(users.map((u) => (u === from ? to : u)))];
}

/**
 * Applies swaps one after another in creation order. Every event that overlaps a swap's range and
 * contains its beneficiary is split at the range bounds; inside the range a taken swap puts the
 * benefactor in the beneficiary's seat, an untaken one only annotates. An untaken swap whose start
 * has passed (`now > swapStart`) is ignored.
 */
export function applySwaps<T extends Swappable>(events: readonly T[], swaps: readonly SwapRequest[], now: number): T[] {
  let current = [...events];
  for (const swap of [...swaps].sort(byCreation)) {
    if (swap.swapEnd <= swap.swapStart) continue;
    if (swap.benefactor === null && now > swap.swapStart) continue;
    const note: SwapNote = { id: swap.id, beneficiary: swap.beneficiary, benefactor: swap.benefactor };
    const next: T[] = [];
    for (const event of current) {
      const overlaps = event.start < swap.swapEnd && event.end > swap.swapStart;
      if (!overlaps || !event.users.includes(swap.beneficiary)) {
        next.push(event);
        continue;
      }
      if (event.start < swap.swapStart) next.push({ ...event, end: swap.swapStart });
      next.push({
        ...event,
        start: Math.max(event.start, swap.swapStart),
        end: Math.min(event.end, swap.swapEnd),
        users: swap.benefactor === null ? event.users : replaceUser(event.users, swap.beneficiary, swap.benefactor),
        swaps: [...event.swaps, note],
      });
      if (event.end > swap.swapEnd) next.push({ ...event, start: swap.swapEnd });
    }
    current = next;
  }
  return current;
}
