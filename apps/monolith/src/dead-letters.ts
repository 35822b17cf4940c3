import { configurationOrExit, DatabaseConfig, ServiceConfig } from '#lib/config';
import { createDataSource } from '#lib/database';
import { DeadLetterAdmin, runDeadLettersCommand } from '#lib/messaging';

/** `npm run messaging:dead-letters -- list | replay <id> | replay --all`, in either mode. */
const config = configurationOrExit();
const dataSource = createDataSource(config.get(DatabaseConfig), config.get(ServiceConfig));
await dataSource.initialize();
try {
  process.exitCode = await runDeadLettersCommand(
    process.argv.slice(2),
    new DeadLetterAdmin(dataSource),
    {
      out: (line) => process.stdout.write(`${line}\n`),
      err: (line) => process.stderr.write(`${line}\n`),
    },
  );
} finally {
  await dataSource.destroy();
}
