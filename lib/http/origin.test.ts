import { describe, expect, it } from 'vitest';
import { trustedOrigins } from './origin';

describe('trustedOrigins', () => {
  it('trusts PUBLIC_URL and, on this machine only, its localhost / 127.0.0.1 twin on the same port', () => {
    expect(trustedOrigins('http://localhost:3000')).toEqual(['http://localhost:3000', 'http://127.0.0.1:3000']);
    expect(trustedOrigins('http://127.0.0.1:3210/')).toEqual(['http://127.0.0.1:3210', 'http://localhost:3210']);
    expect(trustedOrigins('https://optline.example.com/app')).toEqual(['https://optline.example.com']);
  });
});
