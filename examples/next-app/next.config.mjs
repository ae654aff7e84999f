/** Outpost runs on Node.js (its store, its signatures); keep its server-only dependencies out of the bundle. */
const nextConfig = {
  serverExternalPackages: ["pino", "pg", "kysely", "sanitize-html", "undici"],
};

export default nextConfig;
