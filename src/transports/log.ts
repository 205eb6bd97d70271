/**
 * A levelled logger for the serving transports. Everything goes to stderr (stdout is the stdio
 * protocol), and nothing here ever receives a token or an Authorization header.
 */
export const LOG_LEVELS = ['error', 'warn', 'info', 'debug'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface Logger {
  error(message: string): void;
  warn(message: string): void;
  info(message: string): void;
  debug(message: string): void;
}

const toStderr = (line: string) => {
  process.stderr.write(`${line}\n`);
};

/** Messages at `level` or more severe are written; the rest are dropped. */
export function createLogger(level: LogLevel, write: (line: string) => void = toStderr): Logger {
  const rank = LOG_LEVELS.indexOf(level);
  const at = (l: LogLevel) => (LOG_LEVELS.indexOf(l) <= rank ? write : () => {});
  return { error: at('error'), warn: at('warn'), info: at('info'), debug: at('debug') };
}

export const SILENT: Logger = { error: () => {}, warn: () => {}, info: () => {}, debug: () => {} };
