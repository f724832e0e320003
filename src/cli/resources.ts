// The API resources and their commands, `ant` spellings included: `beta:messages`, `beta:files` and
// `beta:models` add `?beta=true` (and beta:files the files-api-2025-04-14 header), as the Go SDK does.

import { didYouMean } from '../config/suggest.js';
import { type ApiCommand, runApiCommand } from './api-command.js';
import { type ParsedArgs, UsageError } from './args.js';
import { filesDeleteCommand } from './commands/files-delete.js';
import { filesDownloadCommand } from './commands/files-download.js';
import { filesListCommand } from './commands/files-list.js';
import { filesRetrieveMetadataCommand } from './commands/files-retrieve-metadata.js';
import { filesUploadCommand } from './commands/files-upload.js';
import { messagesCountTokensCommand } from './commands/messages-count-tokens.js';
import { messagesCreateCommand } from './commands/messages-create.js';
import { modelsListCommand } from './commands/models-list.js';
import { modelsRetrieveCommand } from './commands/models-retrieve.js';
import { type CliIo, print } from './io.js';

export const FILES_API_BETA = 'files-api-2025-04-14';

interface Resource {
  beta: boolean;
  defaultBetas: readonly string[];
  commands: Readonly<Record<string, ApiCommand>>;
}

const MESSAGES = { create: messagesCreateCommand, 'count-tokens': messagesCountTokensCommand };
const FILES = {
  upload: filesUploadCommand,
  list: filesListCommand,
  'retrieve-metadata': filesRetrieveMetadataCommand,
  download: filesDownloadCommand,
  delete: filesDeleteCommand,
};
const MODELS = { list: modelsListCommand, retrieve: modelsRetrieveCommand };

export const RESOURCES: Readonly<Record<string, Resource>> = {
  messages: { beta: false, defaultBetas: [], commands: MESSAGES },
  'beta:messages': { beta: true, defaultBetas: [], commands: MESSAGES },
  files: { beta: false, defaultBetas: [], commands: FILES },
  'beta:files': { beta: true, defaultBetas: [FILES_API_BETA], commands: FILES },
  models: { beta: false, defaultBetas: [], commands: MODELS },
  'beta:models': { beta: true, defaultBetas: [], commands: MODELS },
};

function resourceHelp(name: string, resource: Resource): string {
  const width = Math.max(...Object.keys(resource.commands).map((command) => command.length));
  const lines = Object.entries(resource.commands).map(
    ([command, definition]) => `  ${command.padEnd(width)}  ${definition.summary}`,
  );
  return `Usage: sightline [global options] ${name} <command> [options]\n\nCommands:\n${lines.join('\n')}\n\nRun 'sightline ${name} <command> --help' for a command's options.\n`;
}

/** `sightline [globals] <resource> <command> [flags]`; returns the exit code. */
export async function runResource(
  name: string,
  argv: readonly string[],
  leadingOptions: ParsedArgs['options'],
  io: CliIo,
): Promise<number> {
  const resource = RESOURCES[name]!;
  const [commandName, ...rest] = argv;
  if (commandName === undefined || commandName === '--help' || commandName === '-h') {
    print(commandName === undefined ? io.stderr : io.stdout, resourceHelp(name, resource));
    return commandName === undefined ? 2 : 0;
  }
  const command = resource.commands[commandName];
  if (!command) {
    print(
      io.stderr,
      `sightline ${name}: unknown command "${commandName}"${didYouMean(commandName, Object.keys(resource.commands))}\n\n${resourceHelp(name, resource)}`,
    );
    return 2;
  }
  try {
    return await runApiCommand(command, rest, leadingOptions, io, resource);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    print(io.stderr, `sightline ${name} ${commandName}: ${error.message}`);
    return 2;
  }
}
