import { finalShiftItems } from '../src/engine/schedules/schedules.js';
import { layeredOrganisation, layeredScheduleId } from './layered-org.js';
const state = layeredOrganisation({ schedules: 1, layers: 100 });
const schedule = state.schedules.get(layeredScheduleId(0))!;
const Y = Date.parse('2026-01-01T00:00:00Z');
for (let i = 0; i < 4; i++) { const t = performance.now(); finalShiftItems(state, schedule, Y + i * 86400000, Y + (i + 730) * 86400000, Y); console.log((performance.now() - t).toFixed(0)); }
