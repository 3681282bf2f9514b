import { describe, expect, it } from 'vitest';
import { consentRepository } from '@/lib/db/consent-repository';
import { withTransaction } from '@/lib/db/queryable';
import { makeContact } from '@/lib/db/testing/fixtures';
import { createTestDatabase, useTestDatabase } from '@/lib/db/testing/test-database';
import { UsageError } from '@/lib/cli/io';
import { memoryIo } from '@/lib/cli/testing';
import { ledgerCommand } from './ledger';

const db = useTestDatabase();

async function appendThree(): Promise<void> {
  const contact = await makeContact(db().pool);
  const repo = consentRepository(db().pool);
  for (const day of [1, 2, 3]) {
    await repo.appendConsentEvent({
      contactId: contact.id,
      action: 'grant',
      purpose: 'informational',
      source: 'api',
      channel: 'api',
      recordedBy: 'system',
      occurredAt: new Date(`2026-03-0${day}T12:00:00Z`),
    });
  }
}

describe('optline ledger verify', () => {
  it('prints OK with the number of events and exits 0 (DATABASE_URL from the environment)', async () => {
    await appendThree();
    const { io, stdout } = memoryIo();
    io.env.DATABASE_URL = db().url;
    expect(await ledgerCommand.run(['verify'], io)).toBe(0);
    expect(stdout()).toBe('ledger OK: 3 consent events, chain intact\n');
  });

  it('names the first broken event and exits 1 (--database-url)', async () => {
    await withTransaction(db().pool, async (tx) => {
      await tx.query('alter table consent_events disable trigger consent_events_append_only');
      await tx.query("update consent_events set purpose = 'marketing', text_shown = 'forged' where id = 2");
      await tx.query('alter table consent_events enable trigger consent_events_append_only');
    });
    const { io, stdout } = memoryIo();
    expect(await ledgerCommand.run(['verify', '--database-url', db().url], io)).toBe(1);
    expect(stdout()).toBe('ledger BROKEN at consent event 2: its content does not match its hash (the row was altered)\n');
  });

  it('says so when the database has no ledger yet', async () => {
    const empty = await createTestDatabase({ migrate: false });
    try {
      const { io, stderr } = memoryIo();
      expect(await ledgerCommand.run(['verify', `--database-url=${empty.url}`], io)).toBe(1);
      expect(stderr()).toContain('this database has no consent ledger yet');
    } finally {
      await empty.drop();
    }
  });

  it('rejects bad arguments with a UsageError', async () => {
    const { io } = memoryIo();
    await expect(ledgerCommand.run([], io)).rejects.toThrow(new UsageError('missing subcommand: verify'));
    await expect(ledgerCommand.run(['check'], io)).rejects.toThrow('unknown subcommand "check"');
    await expect(ledgerCommand.run(['verify', 'extra'], io)).rejects.toThrow('unexpected argument "extra"');
    await expect(ledgerCommand.run(['verify', '--force'], io)).rejects.toThrow('unknown option --force');
    await expect(ledgerCommand.run(['verify', '--database-url', 'mysql://x'], io)).rejects.toThrow('--database-url must be a postgres://');
  });
});
