import type { CliIo } from './io';

/** An in-memory CliIo for command tests: files from a map, output captured. */
export function memoryIo(files: Record<string, string> = {}, now = new Date('2026-03-10T12:00:00Z')) {
  const out: string[] = [];
  const err: string[] = [];
  const written: Record<string, string> = {};
  const io: CliIo = {
    stdout: (text) => void out.push(text),
    stderr: (text) => void err.push(text),
    readFile: async (path) => {
      const text = files[path];
      if (text === undefined) throw Object.assign(new Error(`ENOENT: no such file or directory, open '${path}'`), { code: 'ENOENT' });
      return text;
    },
    writeFile: async (path, text) => {
      written[path] = text;
    },
    now: () => now,
    env: {},
  };
  return { io, stdout: () => out.join(''), stderr: () => err.join(''), written };
}
