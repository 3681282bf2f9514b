/**
 * Streamed answers: the lines of an async generator, encoded as they come,
 * read only as fast as the client takes them (`pull`). A client that goes
 * away stops the generator (`cancel` → `return()`).
 */
function linesStream(lines: AsyncGenerator<string, void, undefined>): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next = await lines.next();
      if (next.done) controller.close();
      else controller.enqueue(encoder.encode(next.value));
    },
    async cancel() {
      await lines.return(undefined);
    },
  });
}

/** A CSV file as a download, streamed from its lines (each ending in CRLF). */
export function csvDownload(fileName: string, lines: AsyncGenerator<string, void, undefined>): Response {
  return new Response(linesStream(lines), {
    status: 200,
    headers: {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="${fileName}"`,
      'cache-control': 'no-store',
    },
  });
}

/** Progress as NDJSON: one JSON value per line, as the work reports it. */
export function ndjsonResponse(values: AsyncGenerator<unknown, void, undefined>): Response {
  async function* lines(): AsyncGenerator<string, void, undefined> {
    for await (const value of values) yield `${JSON.stringify(value)}\n`;
  }
  return new Response(linesStream(lines()), {
    status: 200,
    headers: { 'content-type': 'application/x-ndjson; charset=utf-8', 'cache-control': 'no-store' },
  });
}
