// `xray-curator`: the command-line tool, for scripts. Each subcommand lives in `src/cli/`; add one line below.
import type { CliCommand } from './cli/command';
import { UsageError } from './cli/command';
import { labelCommand } from './cli/label';
import { reportCommand } from './cli/report';
import { scanCommand } from './cli/scan';
import { trainCommand } from './cli/train';
import { predictCommand } from './cli/predict';
import { evaluateCommand } from './cli/evaluate';
import { auditCommand } from './cli/audit';
import { embedCommand } from './cli/embed';
import { similarCommand } from './cli/similar';
import { mapCommand } from './cli/map';
import { nextCommand } from './cli/next';
import { agreementCommand } from './cli/agreement';

const commands: Record<string, CliCommand> = {
  scan: scanCommand,
  label: labelCommand,
  embed: embedCommand,
  train: trainCommand,
  predict: predictCommand,
  evaluate: evaluateCommand,
  report: reportCommand,
  audit: auditCommand,
  similar: similarCommand,
  map: mapCommand,
  next: nextCommand,
  agreement: agreementCommand,
};

function usage(): string {
  const lines = Object.values(commands).map((command) => `  xray-curator ${command.usage}\n      ${command.summary}`);
  return `Usage:\n${lines.join('\n')}\n`;
}

async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  if (name === undefined || name === '--help' || name === '-h') {
    process.stdout.write(usage());
    return name === undefined ? 2 : 0;
  }
  const command = Object.hasOwn(commands, name) ? commands[name] : undefined;
  if (!command) {
    process.stderr.write(`xray-curator: unknown command "${name}"\n${usage()}`);
    return 2;
  }
  try {
    return await command.run(args);
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`xray-curator ${name}: ${error.message}\nUsage: xray-curator ${command.usage}\n`);
      return 2;
    }
    process.stderr.write(`xray-curator ${name}: ${(error as Error).message}\n`);
    return 1;
  }
}

void main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
