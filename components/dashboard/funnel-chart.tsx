import type { FlowFunnel } from '@/lib/runs';
import styles from './dashboard.module.css';

/** The funnel's stages in order, with the count of each. */
export function funnelStages(f: FlowFunnel): { key: string; label: string; count: number }[] {
  return [
    { key: 'enrolled', label: 'Enrolled', count: f.enrolled },
    { key: 'delivered', label: 'Delivered', count: f.delivered },
    { key: 'replied', label: 'Replied', count: f.replied },
    { key: 'optedOut', label: 'Opted out', count: f.optedOut },
    { key: 'verified', label: 'Verified', count: f.verified },
    { key: 'paid', label: 'Paid', count: f.paid },
  ];
}

/** A count as a percentage of the runs enrolled, rounded (0 when none were). */
export function percentOf(count: number, enrolled: number): number {
  return enrolled === 0 ? 0 : Math.round((count / enrolled) * 100);
}

const ROW = 30;
const LABEL_W = 110;
const BAR_W = 380;
const WIDTH = LABEL_W + BAR_W + 110;

/** One flow's funnel as horizontal bars (plain SVG), with a table of the same numbers for screen readers and copying. */
export function FunnelChart({ funnel }: { funnel: FlowFunnel }) {
  const stages = funnelStages(funnel);
  const max = Math.max(1, funnel.enrolled);
  const summary = stages.map((s) => `${s.label} ${s.count} (${percentOf(s.count, funnel.enrolled)}%)`).join(', ');
  return (
    <>
      <svg
        className={styles.chart}
        viewBox={`0 0 ${WIDTH} ${stages.length * ROW}`}
        role="img"
        aria-label={`Funnel of ${funnel.flowName}: ${summary}`}
      >
        {stages.map((s, i) => {
          const y = i * ROW;
          const w = Math.round((s.count / max) * BAR_W);
          return (
            <g key={s.key} transform={`translate(0 ${y})`}>
              <text className={styles.label} x={0} y={ROW / 2 + 4}>
                {s.label}
              </text>
              <rect className={styles.track} x={LABEL_W} y={5} width={BAR_W} height={ROW - 10} rx={4} />
              {w > 0 && (
                <rect className={s.key === 'optedOut' ? styles.barStop : styles.bar} x={LABEL_W} y={5} width={w} height={ROW - 10} rx={4} />
              )}
              <text className={styles.value} x={LABEL_W + BAR_W + 10} y={ROW / 2 + 4}>
                {s.count} · {percentOf(s.count, funnel.enrolled)}%
              </text>
            </g>
          );
        })}
      </svg>
      <details className={styles.fallback}>
        <summary>Show as a table</summary>
        <table className="table" aria-label={`Funnel of ${funnel.flowName}`}>
          <thead>
            <tr>
              <th scope="col">Stage</th>
              <th scope="col">Runs</th>
              <th scope="col">Of enrolled</th>
            </tr>
          </thead>
          <tbody>
            {stages.map((s) => (
              <tr key={s.key}>
                <th scope="row">{s.label}</th>
                <td>{s.count}</td>
                <td>{percentOf(s.count, funnel.enrolled)}%</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </>
  );
}
