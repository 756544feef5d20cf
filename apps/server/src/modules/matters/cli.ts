import { readFileSync, writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { AppError, isAppError } from '@guotu/domain';
import type { WithContext } from '../../cli/context.ts';
import { exportMatters, importMatters } from './service.ts';

/** `guotu matters import FILE [--publish]`, `guotu matters export [--out FILE] [--code C …] [--draft]`. */
export function registerMatterCommands(program: Command, withContext: WithContext): void {
  const matters = program
    .command('matters')
    .description('the matter catalog (事项 / 办事指南) as YAML; docs/matters.md');

  matters
    .command('import')
    .argument('<FILE>', 'a matter YAML file (one matter, or matters: [...])')
    .option('--publish', 'publish each imported matter at once (its process must be deployed)')
    .description(
      'import matters as drafts (or published versions); a bad file changes nothing and every problem is listed with its line',
    )
    .action(async (file: string, options: { publish?: boolean }) => {
      const yaml = readFileSync(file, 'utf8');
      const result = await withContext((ctx) =>
        importMatters(ctx.database.db, null, { yaml, publish: options.publish ?? false }),
      ).catch((error: unknown) => {
        if (!isAppError(error)) throw error;
        // the CLI prints the path; put the line first so an editor can jump to it
        throw new AppError(
          error.code,
          error.message,
          error.details.map((d) => ({
            path: `${file}:${d.line ?? '?'}${d.path ? ` ${d.path}` : ''}`,
            message: d.message,
          })),
        );
      });
      for (const item of result.items)
        console.log(`${item.code}\tv${item.version}\t${item.status}\t${item.action}\t${item.name}`);
    });

  matters
    .command('export')
    .option('--out <FILE>', 'write to FILE instead of standard output')
    .option('--code <CODE...>', 'only these matters')
    .option('--draft', 'export drafts where a matter has one')
    .description('export matters as YAML (newest published versions by default); the file imports back unchanged')
    .action(async (options: { out?: string; code?: string[]; draft?: boolean }) => {
      const yaml = await withContext((ctx) =>
        exportMatters(ctx.database.db, null, { codes: options.code ?? [], draft: options.draft ?? false }),
      );
      if (options.out) writeFileSync(options.out, yaml);
      else process.stdout.write(yaml);
    });
}
