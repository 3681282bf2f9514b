import { createElement } from 'react';
import { renderToString } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { ContactTime, LocalTime } from './local-time';

// The server does not know the reader's zone: what it renders must be the same
// whatever zone the server runs in, so hydration matches; the browser then
// re-renders in the reader's zone.
describe('times rendered on the server', () => {
  it('writes an instant in UTC, with its zone', () => {
    const html = renderToString(createElement(LocalTime, { iso: '2026-12-07T20:05:00.000Z' }));
    expect(html).toBe('<time dateTime="2026-12-07T20:05:00.000Z">Dec 7, 2026, 20:05 UTC</time>');
  });

  it("writes a contact's time in the contact's zone, then in UTC", () => {
    const html = renderToString(createElement(ContactTime, { iso: '2026-12-07T14:00:00.000Z', contactZones: ['America/Chicago'] }));
    expect(html).toBe('<time dateTime="2026-12-07T14:00:00.000Z">Dec 7, 2026, 08:00 CST (14:00 UTC)</time>');
  });
});
