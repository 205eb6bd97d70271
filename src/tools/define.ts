/**
 * `defineTool` gives every tool the same shape: a fixed snake_case name, its toolset, zod input
 * and output schemas (flat `z.object`s), all four MCP annotations, a `run` that talks only to the
 * backend, and a `text` that renders the compact text block. Errors are not handled here: the
 * one wrapper in `server.ts` maps them.
 */
import type * as z from 'zod';
import type { OnCallBackend } from '../api/backend.js';
import type { CutLines } from './budget.js';
import type { DirectoryIndex } from './lookup/directory-index.js';
import type { Names } from './names.js';

export const TOOLSETS = ['oncall', 'chains', 'paging', 'integrations', 'schedules', 'directory'] as const;
export type Toolset = (typeof TOOLSETS)[number];

/** All four hints, always spelled out: an undefined hint is a silent gap for clients. */
export interface Annotations {
  readOnlyHint: boolean;
  destructiveHint: boolean;
  idempotentHint: boolean;
  openWorldHint: boolean;
}

export const READ_ONLY: Annotations = {
  readOnlyHint: true,
  destructiveHint: false,
  idempotentHint: true,
  openWorldHint: false,
};
/** Creates something new on every call. */
export const CREATE: Annotations = {
  readOnlyHint: false,
  destructiveHint: false,
  idempotentHint: false,
  openWorldHint: false,
};
/** Sets fields to given values: repeating the call changes nothing more. */
export const UPDATE: Annotations = { ...CREATE, idempotentHint: true };
/** Removes data. */
export const DESTRUCTIVE: Annotations = { ...CREATE, destructiveHint: true, idempotentHint: true };

/** What the human answered when a tool asked them to confirm (MCP elicitation). */
export type Confirmation = 'accepted' | 'declined' | 'cancelled' | 'unsupported';

export interface ToolContext {
  backend: OnCallBackend;
  /** The shared directory (names, teams, time zones): for tools that find objects by free text. */
  index: DirectoryIndex;
  /** Names from the shared directory index (also what `text` gets). */
  names: Names;
  /**
   * Ask the human to confirm `message` before acting: `unsupported` when the client cannot ask
   * (no elicitation capability), so the tool proceeds as it would without asking. A function is
   * only called when the client can ask (building the message may cost requests).
   */
  confirm(message: string | (() => Promise<string>)): Promise<Confirmation>;
  /** Aborted when the client cancelled the call: nothing should be sent after that. */
  signal: AbortSignal;
  /**
   * Tell the client how long work is going (MCP progress, when it asked for it). Pages fetched
   * by `collectAll` are reported without a call here.
   */
  progress(message: string): void;
}

export interface TextContext<I> {
  args: I;
  names: Names;
  /** For texts that explain an empty answer (why nobody is on call), which the output cannot hold. */
  backend: OnCallBackend;
}

/** What a tool's continuation is told when its text was cut to the budget (budget.ts). */
export interface ContinuationContext<I, O> {
  args: I;
  out: O;
  cut: CutLines;
}

export interface ToolDefinition<I extends z.ZodObject = z.ZodObject, O extends z.ZodObject = z.ZodObject> {
  name: string;
  toolset: Toolset;
  title: string;
  description: string;
  input: I;
  output: O;
  annotations: Annotations;
  run(args: z.output<I>, ctx: ToolContext): Promise<z.output<O>>;
  text(out: z.output<O>, ctx: TextContext<z.output<I>>): string | Promise<string>;
  /**
   * When the text is over the budget and cut: the arguments that get the rest, as a sentence
   * (`The rest: page=2.`). Without it, the cut text points to the structured content.
   */
  continuation?(ctx: ContinuationContext<z.output<I>, z.output<O>>): string;
}

/** Identity at runtime; ties `run`'s and `text`'s types to the schemas. */
export function defineTool<I extends z.ZodObject, O extends z.ZodObject>(
  tool: ToolDefinition<I, O>,
): ToolDefinition<I, O> {
  return tool;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the registry holds tools of every schema type.
export type AnyTool = ToolDefinition<any, any>;

export type ToolKind = 'read' | 'write' | 'destructive';

export function toolKind(tool: AnyTool): ToolKind {
  if (tool.annotations.readOnlyHint) return 'read';
  return tool.annotations.destructiveHint ? 'destructive' : 'write';
}
