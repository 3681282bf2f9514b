/** Reads a stream of newline-delimited JSON, calling `onLine` with each value as its line arrives. */
export async function readNdjson(stream: ReadableStream<Uint8Array>, onLine: (value: unknown) => void): Promise<void> {
  const reader = stream.getReader();
  const decoder = new TextDecoder();
  let buffered = '';
  const flush = (final: boolean) => {
    let nl: number;
    while ((nl = buffered.indexOf('\n')) >= 0) {
      const line = buffered.slice(0, nl).trim();
      buffered = buffered.slice(nl + 1);
      if (line) onLine(JSON.parse(line));
    }
    if (final && buffered.trim()) {
      onLine(JSON.parse(buffered));
      buffered = '';
    }
  };
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    buffered += decoder.decode(value, { stream: true });
    flush(false);
  }
  buffered += decoder.decode();
  flush(true);
}
