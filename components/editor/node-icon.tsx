import type { NodeType } from '@/lib/flow/schema';

/** Simple line icons, one per node type (24×24, stroke = currentColor). */
const PATHS: Record<NodeType, string> = {
  trigger: 'M8 5v14l11-7z',
  'consent.request': 'M4 5h16v10H8l-4 4zM9 10l2 2 4-4',
  'consent.check': 'M12 3l8 3v6c0 5-3.5 8-8 9-4.5-1-8-4-8-9V6zM9 12l2 2 4-4',
  'message.send': 'M4 5h16v10H8l-4 4zM8 9h8M8 12h5',
  'message.ask': 'M4 5h16v10H8l-4 4zM10 8.5a2 2 0 1 1 2.5 2c-.5.2-.5.5-.5 1M12 13.5v.01',
  split: 'M12 4v6M12 10l-6 8M12 10l6 8',
  'wait.delay': 'M12 3a9 9 0 1 0 0 18 9 9 0 0 0 0-18zM12 7v5l3 2',
  'wait.window': 'M4 6h16v14H4zM4 10h16M8 3v4M16 3v4M8 14h4',
  'verify.identity': 'M5 5h14v14H5zM12 9a2 2 0 1 0 0 .01M8 17c.5-2 2-3 4-3s3.5 1 4 3',
  'payment.request': 'M3 6h18v12H3zM3 10h18M7 15h4',
  'variable.set': 'M8 4c-2 0-2 2-2 4s-2 4-2 4 2 0 2 4 0 4 2 4M16 4c2 0 2 2 2 4s2 4 2 4-2 0-2 4 0 4-2 4',
  end: 'M6 6h12v12H6z',
};

/** The icon of a node type. */
export function NodeIcon({ type, size = 18 }: { type: NodeType; size?: number }) {
  return (
    <svg
      width={size}
      height={size}
      viewBox="0 0 24 24"
      fill="none"
      stroke="currentColor"
      strokeWidth="1.8"
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden="true"
      focusable="false"
    >
      <path d={PATHS[type]} />
    </svg>
  );
}
