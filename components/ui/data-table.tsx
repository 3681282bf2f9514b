import type { ReactNode } from 'react';

/** One column of a {@link DataTable}: its header and how a row fills its cell. */
export interface Column<T> {
  header: string;
  /** The header is there for screen readers only (an actions column). */
  hiddenHeader?: boolean;
  className?: string;
  cell: (row: T) => ReactNode;
}

/**
 * The console's table: a labelled table with column headers, a row per item
 * and, when there are no items, one muted row saying so.
 */
export function DataTable<T extends { id: string | number }>({
  label,
  columns,
  rows,
  empty,
  busy,
}: {
  label: string;
  columns: readonly Column<T>[];
  /** Each row is keyed by its `id`. */
  rows: readonly T[];
  empty?: ReactNode;
  busy?: boolean;
}) {
  return (
    <table className="table" aria-label={label} aria-busy={busy}>
      <thead>
        <tr>
          {columns.map((c) => (
            <th key={c.header} scope="col">
              {c.hiddenHeader ? <span className="visually-hidden">{c.header}</span> : c.header}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={row.id}>
            {columns.map((c) => (
              <td key={c.header} className={c.className}>
                {c.cell(row)}
              </td>
            ))}
          </tr>
        ))}
        {rows.length === 0 && empty !== undefined && (
          <tr>
            <td colSpan={columns.length} className="muted">
              {empty}
            </td>
          </tr>
        )}
      </tbody>
    </table>
  );
}
