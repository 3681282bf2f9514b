import { describe, expect, it } from 'vitest';
import { contentHash } from '@/lib/crypto/content-hash';
import { ANALYZER_VERSION } from '@/lib/flow/analyze/index';
import { payByTextDocument } from '@/lib/flow/test-fixtures';
import { approvalVerdict, currentBinding } from './approval-gate';

const content: Record<string, unknown> = payByTextDocument();
const version = { content, contentHash: contentHash(content) };

/** The approval a reviewer gives the version now. */
function approval() {
  const now = currentBinding(content);
  if (!now.ok) throw new Error('pay by text is valid');
  return { decision: 'approved', ...now.binding };
}

describe('approvalVerdict', () => {
  it('lets a version run whose approval still matches its content and its analysis', () => {
    expect(approval().analyzerVersion).toBe(ANALYZER_VERSION);
    expect(approvalVerdict(version, approval())).toEqual({ ok: true });
  });

  it('refuses a version with no approval, or with a rejection in its place', () => {
    expect(approvalVerdict(version, undefined)).toEqual({ ok: false, reason: 'it has no approval' });
    expect(approvalVerdict(version, { ...approval(), decision: 'rejected' })).toEqual({ ok: false, reason: 'it has no approval' });
  });

  it('refuses content that no longer hashes to what was approved', () => {
    const changed = { ...content, name: 'Changed' };
    expect(approvalVerdict({ content: changed, contentHash: version.contentHash }, approval())).toEqual({
      ok: false,
      reason: 'its content no longer matches the content hash that was approved',
    });
  });

  it('refuses an approval given under another analyzer version or with another report', () => {
    expect(approvalVerdict(version, { ...approval(), analyzerVersion: '2020-01-01.1' })).toEqual({
      ok: false,
      reason: `it was approved under analyzer 2020-01-01.1, and the analyzer is now ${ANALYZER_VERSION}`,
    });
    expect(approvalVerdict(version, { ...approval(), reportHash: '0'.repeat(64) })).toEqual({
      ok: false,
      reason: 'its analysis under the current analyzer differs from the report that was approved',
    });
  });

  it('refuses an approval recorded before bindings existed', () => {
    expect(approvalVerdict(version, { ...approval(), analyzerVersion: null, reportHash: null }).ok).toBe(false);
  });

  it('refuses stored JSON that is no longer a valid flow', () => {
    const invalid = { ...content, schemaVersion: 2 };
    const hash = contentHash(invalid);
    expect(approvalVerdict({ content: invalid, contentHash: hash }, { ...approval(), contentHash: hash })).toEqual({
      ok: false,
      reason: 'its content is no longer a valid flow',
    });
  });
});
