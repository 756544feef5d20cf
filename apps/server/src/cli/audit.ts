import type { Command } from 'commander';
import { createCheckpoint, verifyAuditChain } from '../modules/audit/service.ts';
import type { WithContext } from './context.ts';

export function registerAuditCommands(
  program: Command,
  withContext: WithContext,
  setExitCode: (code: number) => void,
): void {
  const audit = program
    .command('audit')
    .description('the tamper-evident audit log (SM3 chain, SM2-signed checkpoints)');

  audit
    .command('verify')
    .option('--json', 'print the verification as JSON')
    .description('walk the chain; name every edited, deleted or inserted record; exit 1 if any')
    .action(async (options: { json?: boolean }) => {
      const result = await withContext((ctx) =>
        verifyAuditChain(ctx.database.db, ctx.config.auditSigningKey.publicKey),
      );
      if (options.json) console.log(JSON.stringify(result, null, 2));
      else {
        console.log(
          `${result.ok ? 'OK' : 'TAMPERED'}: ${result.records} records, ${result.checkpoints} signed checkpoint(s), last record ${result.lastSeq ?? '-'}, last checkpoint ${result.lastCheckpointSeq ?? '-'}`,
        );
        for (const p of result.problems) console.log(`  ${p.kind.padEnd(10)} record ${p.seq}: ${p.message}`);
      }
      setExitCode(result.ok ? 0 : 1);
    });

  audit
    .command('checkpoint')
    .description('sign the current end of the chain with the SM2 key now')
    .action(async () => {
      const result = await withContext((ctx) => createCheckpoint(ctx.database.db, ctx.config.auditSigningKey));
      console.log(result ? `checkpoint signed up to record ${result.uptoSeq}` : 'nothing new to sign');
    });
}
