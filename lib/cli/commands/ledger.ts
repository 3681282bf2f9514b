import { parseEnv } from '@/lib/env';
import { openDatabase } from '@/lib/db/database';
import { consentRepository } from '@/lib/db/consent-repository';
import { isPgError } from '@/lib/db/queryable';
import { parseArgs, flagValue } from '@/lib/cli/args';
import { UsageError, type CommandSpec } from '@/lib/cli/io';

const usage = 'optline ledger verify [--database-url <postgres-url>]';

/**
 * `optline ledger verify`: walks the consent ledger's hash chain and prints
 * OK with the number of events (exit 0), or names the first broken event
 * (exit 1). Connects to --database-url, else DATABASE_URL, else the embedded
 * server in .data/postgres. It reads only: it does not migrate.
 */
export const ledgerCommand: CommandSpec = {
  usage,
  summary: 'verify the consent ledger hash chain',
  async run(args, io) {
    const parsed = parseArgs(args, { values: ['database-url'], booleans: [] });
    const [sub, ...extra] = parsed.positionals;
    if (sub === undefined) throw new UsageError('missing subcommand: verify');
    if (sub !== 'verify') throw new UsageError(`unknown subcommand "${sub}"`);
    if (extra.length > 0) throw new UsageError(`unexpected argument "${extra[0]}"`);
    const flagUrl = flagValue(parsed, 'database-url');
    if (flagUrl !== undefined && !/^postgres(ql)?:\/\/\S+$/.test(flagUrl)) {
      throw new UsageError('--database-url must be a postgres:// or postgresql:// connection string');
    }

    const db = await openDatabase({ databaseUrl: flagUrl ?? parseEnv(io.env).databaseUrl, migrate: false, max: 1 });
    try {
      const verdict = await consentRepository(db.pool).verifyLedger();
      if (verdict.ok) {
        io.stdout(`ledger OK: ${verdict.count} consent event${verdict.count === 1 ? '' : 's'}, chain intact\n`);
        return 0;
      }
      io.stdout(`ledger BROKEN at consent event ${verdict.firstBrokenId}: ${verdict.reason}\n`);
      return 1;
    } catch (err) {
      if (isPgError(err, '42P01')) {
        io.stderr('optline ledger: this database has no consent ledger yet (start Optline once to apply the migrations)\n');
        return 1;
      }
      throw err;
    } finally {
      await db.close();
    }
  },
};
