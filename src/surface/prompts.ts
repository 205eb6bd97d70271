export function registerPrompts(..._args: unknown[]): void {}
