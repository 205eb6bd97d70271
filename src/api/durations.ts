/** `900` → `15m`, `5400` → `1h30m`, `45` → `45s`, `0` → `0s`. Shared by the engine's timeline and tool text. */
export function formatSeconds(total: number): string {
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  return [h ? `${h}h` : '', m ? `${m}m` : '', s || total === 0 ? `${s}s` : ''].join('');
}
