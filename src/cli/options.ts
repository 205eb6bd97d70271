/**
 * Command-line options with `node:util` parseArgs, each with an `ONCALL_MCP_*` environment
 * equivalent (flags win). Every bad value is reported naming the flag or variable; `UsageError`
 * makes the process exit 2.
 */
import { parseArgs } from 'node:util';
import { TOOLSETS, type Toolset } from '../tools/define.js';

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export type Command = 'serve' | 'call' | 'tools';

export interface Options {
  command: Command;
  /** Positional arguments after the command (tool name and JSON for `call`). */
  rest: string[];
  data: string | undefined;
  persist: boolean;
  readOnly: boolean;
  toolsets: Toolset[] | undefined;
  publicUrl: string | undefined;
  json: boolean;
  help: boolean;
  version: boolean;
}

const FLAGS = {
  'data': { type: 'string', env: 'ONCALL_MCP_DATA' },
  'persist': { type: 'boolean', env: 'ONCALL_MCP_PERSIST' },
  'read-only': { type: 'boolean', env: 'ONCALL_MCP_READ_ONLY' },
  'toolsets': { type: 'string', env: 'ONCALL_MCP_TOOLSETS' },
  'public-url': { type: 'string', env: 'ONCALL_MCP_PUBLIC_URL' },
  'json': { type: 'boolean' },
  'help': { type: 'boolean', short: 'h' },
  'version': { type: 'boolean', short: 'v' },
} as const;

const COMMANDS: readonly Command[] = ['call', 'tools'];

export function parseOptions(argv: readonly string[], env: NodeJS.ProcessEnv): Options {
  let parsed: ReturnType<typeof parseArgs<{ options: typeof FLAGS; allowPositionals: true; strict: true }>>;
  try {
    parsed = parseArgs({ args: [...argv], options: FLAGS, allowPositionals: true, strict: true });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const { values, positionals } = parsed;

  const str = (flag: 'data' | 'toolsets' | 'public-url'): string | undefined => {
    const value = values[flag] ?? env[FLAGS[flag].env];
    if (value === '') throw new UsageError(`--${flag} (${FLAGS[flag].env}) must not be empty`);
    return value;
  };
  const bool = (flag: 'persist' | 'read-only'): boolean => {
    if (values[flag] !== undefined) return values[flag];
    const raw = env[FLAGS[flag].env];
    if (raw === undefined || raw === '') return false;
    if (/^(1|true|yes|on)$/i.test(raw)) return true;
    if (/^(0|false|no|off)$/i.test(raw)) return false;
    throw new UsageError(`${FLAGS[flag].env} must be true or false, not "${raw}"`);
  };

  const [first, ...rest] = positionals;
  let command: Command = 'serve';
  if (first !== undefined) {
    if (!(COMMANDS as readonly string[]).includes(first)) {
      throw new UsageError(
        `unknown command "${first}" (commands: ${COMMANDS.join(', ')}; none = serve over stdio)`,
      );
    }
    command = first as Command;
  }

  const options: Options = {
    command,
    rest: first === undefined ? [] : rest,
    data: str('data'),
    persist: bool('persist'),
    readOnly: bool('read-only'),
    toolsets: parseToolsets(str('toolsets')),
    publicUrl: parsePublicUrl(str('public-url')),
    json: values.json ?? false,
    help: values.help ?? false,
    version: values.version ?? false,
  };
  if (options.persist && !options.data) {
    throw new UsageError('--persist needs --data FILE (the file the state is saved to)');
  }
  return options;
}

function parseToolsets(raw: string | undefined): Toolset[] | undefined {
  if (raw === undefined) return undefined;
  const names = raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const unknown = names.filter((n) => !(TOOLSETS as readonly string[]).includes(n));
  if (unknown.length || !names.length) {
    throw new UsageError(
      `--toolsets: unknown toolset "${unknown.join(', ')}" (choose from ${TOOLSETS.join(', ')})`,
    );
  }
  return names as Toolset[];
}

function parsePublicUrl(raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UsageError(`--public-url: "${raw}" is not a URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UsageError(`--public-url: must be http or https, not ${url.protocol}`);
  }
  return raw.replace(/\/+$/, '');
}
