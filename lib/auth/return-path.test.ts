import { describe, expect, it } from 'vitest';
import { safeReturnPath, signInPath } from './return-path';

describe('coming back after sign-in', () => {
  it('asks sign-in to come back to the page requested, query included', () => {
    expect(signInPath('/runs?status=active')).toBe('/sign-in?next=%2Fruns%3Fstatus%3Dactive');
    expect(signInPath('/flows/bill-pay/versions')).toBe('/sign-in?next=%2Fflows%2Fbill-pay%2Fversions');
  });

  it('adds nothing for the home page or when the path is unknown', () => {
    expect(signInPath('/')).toBe('/sign-in');
    expect(signInPath(null)).toBe('/sign-in');
    expect(signInPath(undefined)).toBe('/sign-in');
  });

  it('follows only paths of this app: never another site', () => {
    for (const bad of ['//evil.test/x', 'https://evil.test/', '/\\evil.test', 'javascript:alert(1)', ' /runs', '/runs x', '', 'runs']) {
      expect(safeReturnPath(bad)).toBe('/');
      expect(signInPath(bad)).toBe('/sign-in');
    }
    expect(safeReturnPath(['/runs', '/flows'])).toBe('/');
    expect(safeReturnPath('/runs?x=%2F%2Fevil')).toBe('/runs?x=%2F%2Fevil');
  });
});
