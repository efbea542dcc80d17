import { parseArgs } from 'node:util';
import type { ParseArgsConfig } from 'node:util';

/** One `xray-curator` subcommand: `run` gets the arguments after the subcommand name and returns the exit code. */
export interface CliCommand {
  /** One line: the arguments, e.g. `scan DATASET [--files LIST] --out FILE.json`. */
  usage: string;
  summary: string;
  run(args: string[]): Promise<number>;
}

/** Wrong arguments: the dispatcher prints the message and the command's usage, and exits with 2. */
export class UsageError extends Error {}

type Options = NonNullable<ParseArgsConfig['options']>;

/** Parses a subcommand's arguments strictly (unknown options are usage errors); tokens keep the order given. */
export function parseCommandArgs<const O extends Options>(args: string[], options: O) {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true, tokens: true });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

/** The one positional argument a command requires (e.g. DATASET). */
export function requirePositional(positionals: readonly string[], name: string): string {
  if (positionals.length !== 1) throw new UsageError(positionals.length === 0 ? `missing ${name}` : `unexpected arguments: ${positionals.slice(1).join(' ')}`);
  return positionals[0];
}
