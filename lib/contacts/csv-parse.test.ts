import { describe, expect, it } from 'vitest';
import { parseCsv } from './csv-parse';

const records = (text: string) => {
  const r = parseCsv(text);
  if (!r.ok) throw new Error(`row ${r.error.row}: ${r.error.message}`);
  return r.records;
};

describe('parseCsv', () => {
  it('reads plain fields, LF and CRLF line ends, and a last line without a break', () => {
    expect(records('a,b\r\n1,2\n3,4')).toEqual([
      { row: 1, fields: ['a', 'b'] },
      { row: 2, fields: ['1', '2'] },
      { row: 3, fields: ['3', '4'] },
    ]);
    expect(records('a,b\r\n1,2\r\n')).toHaveLength(2);
  });

  it('reads quoted fields with commas, doubled quotes and line breaks, counting such a record as one row, as a spreadsheet does', () => {
    expect(records('name,note\r\n"Lee, Sam","said ""yes""\r\nthen left"\r\nAna,"",\r\nBo,x')).toEqual([
      { row: 1, fields: ['name', 'note'] },
      { row: 2, fields: ['Lee, Sam', 'said "yes"\r\nthen left'] },
      { row: 3, fields: ['Ana', '', ''] },
      { row: 4, fields: ['Bo', 'x'] },
    ]);
  });

  it('drops a UTF-8 byte-order mark and keeps blank lines so the numbering matches the file', () => {
    expect(records('\ufeffphone\n\n+12125550100\n')).toEqual([
      { row: 1, fields: ['phone'] },
      { row: 2, fields: [''] },
      { row: 3, fields: ['+12125550100'] },
    ]);
  });

  it('keeps a bare quote inside an unquoted field as it is', () => {
    expect(records('O"Brien,5')[0]!.fields).toEqual(['O"Brien', '5']);
  });

  it('names the row of a quoted field that is never closed', () => {
    expect(parseCsv('a\n"ok"\n"never closed\nmore')).toEqual({
      ok: false,
      error: { row: 3, message: expect.stringContaining('never closed') },
    });
  });

  it('refuses text after a closing quote', () => {
    expect(parseCsv('a,b\n"x"y,2')).toEqual({
      ok: false,
      error: { row: 2, message: expect.stringContaining('after a closing double quote') },
    });
  });

  it('reads an empty file as no records', () => {
    expect(records('')).toEqual([]);
  });
});
