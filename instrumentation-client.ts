import { config } from 'zod/v4/core';

// zod compiles object parsers with `new Function` where a page allows it, and finds out by trying once. Under the
// console's CSP (no 'unsafe-eval': lib/http/security-headers.ts) the try is refused and reported as a violation
// even though zod catches it. The trade: the browser's parsing (forms, the editor's document) runs uncompiled,
// which at its sizes is not felt; the server, without a CSP, keeps the compiled parsers.
config({ jitless: true });
