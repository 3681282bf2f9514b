import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** Every `app/api/**\/route.ts` with the methods it exports, as `METHOD /api/path` (better-auth's catch-all left out: its own endpoints, tested in lib/auth). */
export function discoverRoutes(): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name === 'route.ts') {
        const route = `/${path.relative('app', path.dirname(full)).split(path.sep).join('/')}`;
        if (route.includes('[...')) continue;
        for (const m of readFileSync(full, 'utf8').matchAll(/export const (GET|POST|PUT|PATCH|DELETE)\b/g)) out.push(`${m[1]} ${route}`);
      }
    }
  };
  walk(path.resolve('app/api'));
  return out.sort();
}
