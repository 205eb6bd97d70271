import { benchScaleIngestion } from './scale-ingestion.js';
await benchScaleIngestion([Number(process.env.SIZE ?? 1000)], 8_000);
