import type { Queryable } from './queryable';

/** A CSV import as a segment names it: its file, who imported it, when, and how many contacts it wrote. */
export interface ContactImport {
  id: string;
  fileName: string;
  importedBy: string;
  importedAt: Date;
  contacts: number;
}

// Members written per statement.
const BULK = 5000;

/** The record of CSV imports and the contacts each wrote (a segment's "came from this import"). */
export function contactImportRepository(db: Queryable) {
  return {
    /** Records an import and the contacts it created or updated; returns its id. Call inside the import's transaction. */
    async record(input: { fileName: string; importedBy: string; contactIds: readonly string[] }): Promise<string> {
      const { rows } = await db.query<{ id: string }>(
        `insert into contact_imports (file_name, imported_by, row_count) values ($1, $2, $3) returning id`,
        [input.fileName.slice(0, 200), input.importedBy, input.contactIds.length],
      );
      const id = rows[0]!.id;
      for (let i = 0; i < input.contactIds.length; i += BULK) {
        await db.query(`insert into contact_import_members (import_id, contact_id) select $1, unnest($2::uuid[]) on conflict do nothing`, [
          id,
          input.contactIds.slice(i, i + BULK),
        ]);
      }
      return id;
    },

    /** The latest imports, newest first. */
    async list(limit = 100): Promise<ContactImport[]> {
      const { rows } = await db.query<{ id: string; file_name: string; imported_by: string; imported_at: Date; row_count: number }>(
        `select id, file_name, imported_by, imported_at, row_count from contact_imports order by imported_at desc, id desc limit $1`,
        [limit],
      );
      return rows.map((r) => ({
        id: r.id,
        fileName: r.file_name,
        importedBy: r.imported_by,
        importedAt: r.imported_at,
        contacts: r.row_count,
      }));
    },
  };
}
