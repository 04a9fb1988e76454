/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  // Server-only packages stay outside the bundle; the archive itself runs in the custom server.
  serverExternalPackages: [
    '@prisma/client',
    '@prisma/adapter-pg',
    'pg',
    'sharp',
    '@electric-sql/pglite',
    'dcmjs',
    'pino',
  ],
  webpack(config, { isServer }) {
    if (!isServer) {
      // The Cornerstone codecs reference Node's fs; in the browser it is never used.
      config.resolve.fallback = { ...(config.resolve.fallback ?? {}), fs: false };
    }
    return config;
  },
};

export default nextConfig;
