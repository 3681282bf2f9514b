'use client';

import { useRouter } from 'next/navigation';
import { useEffect, useState } from 'react';
import type { Campaign, CampaignProgress, PreviewSummary } from '@/lib/campaigns';
import { ErrorText } from '@/components/ui/error-text';
import { ContactTime } from '@/components/ui/local-time';
import { callApi } from '@/components/ui/api';
import { useApiRequest } from '@/components/ui/use-api-request';
import styles from './campaigns.module.css';

/** A campaign as its page receives it (dates as ISO strings). */
export type CampaignData = Omit<Campaign, 'previewedAt' | 'launchedAt' | 'startsAt' | 'endedAt' | 'createdAt' | 'preview'> & {
  preview: PreviewSummary | null;
  launchedAt: string | null;
};

/** A campaign's progress as its page receives it (instants as ISO strings, as the API answers). */
export type ProgressData = Omit<CampaignProgress, 'heldUntil'> & { heldUntil: { until: string; zone: string; count: number }[] };

const PROGRESS: { key: Exclude<keyof CampaignProgress, 'heldUntil'>; label: string }[] = [
  { key: 'enrolled', label: 'Enrolled' },
  { key: 'firstTextSent', label: 'First text sent' },
  { key: 'held', label: 'Held' },
  { key: 'blocked', label: 'Blocked' },
  { key: 'replied', label: 'Replied' },
  { key: 'optedOut', label: 'Opted out' },
  { key: 'paid', label: 'Paid' },
];

/**
 * A campaign's page: the pre-flight compliance preview (counts per outcome
 * and rule, when first texts go by zone and local hour, the blocked as CSV),
 * Launch, then live progress (polled) with Pause, Resume and Cancel.
 */
export function CampaignView({ initial, initialProgress }: { initial: CampaignData; initialProgress: ProgressData }) {
  const router = useRouter();
  const [campaign, setCampaign] = useState(initial);
  const [progress, setProgress] = useState(initialProgress);
  const { loading, error, request } = useApiRequest();
  const live = campaign.status === 'enrolling' || campaign.status === 'enrolled' || campaign.status === 'paused';

  useEffect(() => {
    if (!live) return;
    const timer = setInterval(async () => {
      const res = await callApi<{ campaign: CampaignData; progress: ProgressData }>(`/api/campaigns/${campaign.id}`);
      if (res.ok) {
        setCampaign(res.body.campaign);
        setProgress(res.body.progress);
      }
    }, 2000);
    return () => clearInterval(timer);
  }, [live, campaign.id]);

  const act = async (action: 'preview' | 'launch' | 'pause' | 'resume' | 'cancel', body?: unknown) => {
    const answer = await request<{ campaign?: CampaignData; preview?: PreviewSummary }>(`/api/campaigns/${campaign.id}/${action}`, {
      method: 'POST',
      json: body ?? {},
    });
    if (answer?.campaign) setCampaign(answer.campaign);
    if (answer?.preview) setCampaign((c) => ({ ...c, preview: answer.preview! }));
    router.refresh();
  };

  const preview = campaign.preview;
  const total = preview?.total ?? 0;
  return (
    <>
      <p>
        Status: <strong data-testid="campaign-status">{campaign.status}</strong> · pace {campaign.pacePerSecond} text
        {campaign.pacePerSecond === 1 ? '' : 's'} a second ·{' '}
        {campaign.schedule.kind === 'now'
          ? 'starts at launch'
          : `at ${campaign.schedule.at} on ${campaign.schedule.date} in each contact’s zone`}
      </p>
      <section aria-labelledby="preview-heading">
        <h2 id="preview-heading">Pre-flight compliance preview</h2>
        {preview ? (
          <PreviewPanel preview={preview} campaignId={campaign.id} />
        ) : (
          <p className="muted">Not previewed yet: the preview decides, for every contact, what the first text would do.</p>
        )}
        <div className={styles.actions}>
          {campaign.status === 'draft' && (
            <button type="button" className="btn" onClick={() => act('preview')} disabled={loading}>
              {preview ? 'Preview again' : 'Preview'}
            </button>
          )}
          {campaign.status === 'draft' && preview && (
            <button type="button" className="btn btn-primary" onClick={() => act('launch')} disabled={loading}>
              Launch to {total.toLocaleString('en-US')} contacts
            </button>
          )}
          {(campaign.status === 'enrolling' || campaign.status === 'enrolled') && (
            <button type="button" className="btn" onClick={() => act('pause')} disabled={loading}>
              Pause
            </button>
          )}
          {campaign.status === 'paused' && (
            <button type="button" className="btn" onClick={() => act('resume')} disabled={loading}>
              Resume
            </button>
          )}
          {campaign.status !== 'cancelled' && (
            <>
              <button type="button" className="btn" onClick={() => act('cancel', { stopRuns: false })} disabled={loading}>
                Cancel
              </button>
              {campaign.status !== 'draft' && (
                <button type="button" className="btn" onClick={() => act('cancel', { stopRuns: true })} disabled={loading}>
                  Cancel and stop unfinished runs
                </button>
              )}
            </>
          )}
        </div>
        <ErrorText error={error} />
      </section>
      {campaign.status !== 'draft' && (
        <section aria-labelledby="progress-heading">
          <h2 id="progress-heading">Progress</h2>
          <progress className={styles.bar} max={Math.max(total, progress.enrolled, 1)} value={progress.enrolled} aria-label="Enrolled">
            {progress.enrolled}
          </progress>
          <ul className={styles.counts}>
            {PROGRESS.map((p) => (
              <li key={p.key}>
                <span className={styles.count} data-testid={`progress-${p.key}`}>
                  {progress[p.key].toLocaleString('en-US')}
                </span>
                {p.label}
              </li>
            ))}
          </ul>
          {progress.heldUntil.length > 0 && (
            <>
              <h3 id="held-heading">Held for their hours</h3>
              <ul aria-labelledby="held-heading" data-testid="held-until">
                {progress.heldUntil.map((h) => (
                  <li key={`${h.until}${h.zone}`}>
                    {h.count.toLocaleString('en-US')} until <ContactTime iso={h.until} contactZones={[h.zone]} /> ({h.zone})
                  </li>
                ))}
              </ul>
            </>
          )}
        </section>
      )}
    </>
  );
}

/** The preview's numbers: send now, held, blocked by rule, when first texts go, and the blocked as CSV. */
export function PreviewPanel({ preview, campaignId }: { preview: PreviewSummary; campaignId: string }) {
  const most = Math.max(1, ...preview.histogram.map((h) => h.count));
  return (
    <>
      <ul className={styles.counts}>
        <li>
          <span className={styles.count} data-testid="preview-send">
            {preview.send.toLocaleString('en-US')}
          </span>
          texted at once
        </li>
        <li>
          <span className={styles.count} data-testid="preview-hold">
            {preview.hold.toLocaleString('en-US')}
          </span>
          held for their hours
        </li>
        <li>
          <span className={styles.count} data-testid="preview-block">
            {preview.block.toLocaleString('en-US')}
          </span>
          blocked
        </li>
      </ul>
      {preview.blockedBy.length > 0 && (
        <>
          <h3>Blocked, and why</h3>
          <ul>
            {preview.blockedBy.map((b) => (
              <li key={b.rule}>
                <strong>{b.count.toLocaleString('en-US')}</strong> {b.rule}: <span className="muted">{b.example}</span>
              </li>
            ))}
          </ul>
          <p>
            <a href={`/api/campaigns/${campaignId}/blocked.csv`} download>
              Download the blocked contacts with their reasons (CSV)
            </a>
          </p>
        </>
      )}
      <h3>When the first texts go (their local time)</h3>
      <div className={styles.hist} role="table" aria-label="First texts by zone and local hour">
        {preview.histogram.map((h) => (
          <div key={`${h.zone}${h.localTime}`} role="row" style={{ display: 'contents' }}>
            <span role="cell">{h.zone}</span>
            <span role="cell">{h.localTime}</span>
            <span role="cell" aria-label={`${h.count} texts`}>
              <span className={styles.histBar} style={{ display: 'inline-block', width: `${(h.count / most) * 100}%` }} /> {h.count}
            </span>
          </div>
        ))}
      </div>
      {preview.missingVariables.length > 0 && (
        <p role="note">
          Missing variables:{' '}
          {preview.missingVariables.map((m) => `${m.contacts} contacts have no ${m.attribute} (vars.${m.variable})`).join('; ')}.
        </p>
      )}
      <p className="muted">Previewed for {preview.plannedFor}.</p>
    </>
  );
}
