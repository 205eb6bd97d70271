import { VirtualClock } from '../src/engine/core/clock.js';
import { MemoryBackend } from '../src/engine/memory-backend.js';
import { layeredOrganisation, LAYERED_CHAIN_ID } from './layered-org.js';
const clock = VirtualClock.at('2026-06-15T12:00:00Z');
const mode = process.argv[2];
if (mode === 'final') {
const b = new MemoryBackend({ state: layeredOrganisation({ schedules: 1, layers: 10 }), clock });
for (let i = 0; i < 100; i++) await b.schedules.finalShifts('SCCCCCCCCCCC0', { start_date: '2026-01-01', end_date: '2026-12-31' });
} else {
const c = new MemoryBackend({ state: layeredOrganisation({ schedules: 20, layers: 10, overrides: 30, overridesFrom: '2026-06-01' }), clock });
for (let i = 0; i < 500; i++) await c.escalationChains.currentOncall(LAYERED_CHAIN_ID);
}
