import { Command, CommanderError } from 'commander';
import { AppError, isAppError, isRoleKey, type RoleKey } from '@guotu/domain';
import { formatConfigProblems, parseConfig, type Config } from '../platform/config.ts';
import { createLogger } from '../platform/logger.ts';
import { closeContext, createContext, startServer } from '../main.ts';
import { seedDemo } from '../seed/demo.ts';
import { createUserAsSystem } from '../modules/users/service.ts';
import { findOrgByDivision, findOrgInScope } from '../modules/orgs/repository.ts';
import { registerCalendarCommands } from './calendar.ts';
import { registerCoordsCommands } from './coords.ts';
import { registerAuditCommands } from './audit.ts';
import { chainAudit } from '../modules/audit/service.ts';
import { registerLayerCommands } from './layers.ts';
import { registerMatterCommands } from '../modules/matters/cli.ts';

/** Config from the environment, or a printed list of every problem and exit code 2. */
function loadConfig(): Config {
  return parseConfig(process.env, process.cwd());
}

async function withContext<T>(work: (ctx: Awaited<ReturnType<typeof createContext>>) => Promise<T>): Promise<T> {
  const config = loadConfig();
  const logger = createLogger({ logLevel: config.logLevel === 'info' ? 'warn' : config.logLevel });
  const ctx = await createContext(config, logger, { jobs: false });
  try {
    const result = await work(ctx);
    // Link what this command recorded into the audit chain (a server does it every second).
    await chainAudit(ctx.database.db);
    return result;
  } finally {
    await closeContext(ctx);
  }
}

function buildProgram(setExitCode: (code: number) => void): Command {
  const program = new Command('guotu')
    .description('Guotu (国土) — land and natural-resources e-government platform')
    .exitOverride()
    .showHelpAfterError();

  program
    .command('start')
    .description('start the server (API, web, job workers); configured by environment variables, see README')
    .action(async () => {
      const config = loadConfig();
      const logger = createLogger(config);
      const running = await startServer(config, logger);
      await new Promise<void>((resolve) => {
        const stop = (signal: string) => {
          logger.info({ signal }, 'shutting down: finishing in-flight requests and jobs');
          void running.close().then(resolve);
        };
        process.once('SIGTERM', stop);
        process.once('SIGINT', stop);
      });
      logger.info('stopped cleanly');
    });

  program
    .command('migrate')
    .description('apply pending database migrations (also done at start)')
    .action(async () => {
      await withContext(async (ctx) => {
        console.log(`migrations up to date on ${ctx.database.engine}`);
      });
    });

  program
    .command('seed')
    .description('load data into the database')
    .option('--demo', 'demo organisation (Hubei department, all city and county bureaus) and one user per role')
    .action(async (options: { demo?: boolean }) => {
      if (!options.demo) throw new AppError('VALIDATION_FAILED', 'say what to seed: --demo');
      await withContext(async (ctx) => {
        const result = await seedDemo(ctx.database.db);
        console.log(
          `demo data present: ${result.orgs} org units; users created now: ${result.usersCreated.join(', ') || 'none (already there)'}`,
        );
      });
    });

  const user = program.command('user').description('manage staff users');
  user
    .command('add')
    .description('create a staff user')
    .requiredOption('--username <name>', 'login name (lowercase letters, digits, . _ -)')
    .requiredOption('--name <displayName>', 'display name')
    .requiredOption(
      '--password <password>',
      'initial password (≥ 8 chars, letters and digits); the user must change it',
    )
    .requiredOption('--roles <roles>', 'comma-separated role keys, e.g. handler,reviewer')
    .option('--org <id>', 'org unit id')
    .option('--division <code>', 'or: the bureau of this GB/T 2260 code')
    .action(
      async (options: {
        username: string;
        name: string;
        password: string;
        roles: string;
        org?: string;
        division?: string;
      }) => {
        const roles = options.roles.split(',').map((r) => r.trim());
        const bad = roles.filter((r) => !isRoleKey(r));
        if (bad.length > 0)
          throw new AppError('VALIDATION_FAILED', `unknown role(s): ${bad.join(', ')}`, [
            { path: '--roles', message: 'unknown role' },
          ]);
        await withContext(async (ctx) => {
          const org = options.division
            ? await findOrgByDivision(ctx.database.db, options.division)
            : options.org
              ? await findOrgInScope(ctx.database.db, Number(options.org), '/')
              : undefined;
          if (!org)
            throw new AppError('NOT_FOUND', 'no such org unit: give --org <id> or --division <code>', [
              { path: options.division ? '--division' : '--org', message: 'not found' },
            ]);
          const id = await createUserAsSystem(ctx.database.db, {
            username: options.username.toLowerCase(),
            displayName: options.name,
            password: options.password,
            orgId: org.id,
            roles: roles as RoleKey[],
            mustChangePassword: true,
          });
          console.log(`user ${options.username} created (id ${id}) in ${org.name}`);
        });
      },
    );

  registerCalendarCommands(program, withContext);
  registerCoordsCommands(program, setExitCode);
  registerLayerCommands(program, withContext);
  registerAuditCommands(program, withContext, setExitCode);
  registerMatterCommands(program, withContext);
  return program;
}

/** Returns the process exit code; never throws. */
export async function main(argv: readonly string[]): Promise<number> {
  let exitCode = 0;
  const program = buildProgram((code) => (exitCode = code));
  try {
    await program.parseAsync([...argv]);
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
    if (isAppError(error) && error.code === 'CONFIG_INVALID') {
      console.error(formatConfigProblems(error));
      return 2;
    }
    if (isAppError(error)) {
      console.error(
        `error ${error.code}: ${error.message}${error.details.map((d) => `\n  - ${d.path ?? (d.line !== undefined ? `line ${d.line}` : '')}: ${d.message}`).join('')}`,
      );
      return 1;
    }
    console.error(error);
    return 1;
  }
}
