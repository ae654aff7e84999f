/**
 * The app's one Outpost, configured from the environment. It lives on
 * globalThis so that Next.js's module reloading in development does not
 * start a second one over the same database.
 */
import { createOutpost, type Outpost } from "outpost";

const holder = globalThis as typeof globalThis & { outpostInstance?: Promise<Outpost> };

/** The Outpost, created and started on first use. */
export function getOutpost(): Promise<Outpost> {
  holder.outpostInstance ??= (async () => {
    const origin = process.env.ORIGIN ?? "http://localhost:3000";
    const outpost = await createOutpost({
      origin,
      prefix: "/activitypub",
      databaseUrl: process.env.DATABASE_URL,
      dataDir: process.env.DATA_DIR ?? "./data",
      // Only for trying it out on a LAN or in tests: lets Outpost reach private addresses.
      config: { allowPrivateAddresses: process.env.ALLOW_PRIVATE_ADDRESSES === "1" },
      actor: {
        username: "blog",
        name: "My blog",
        summary: "<p>Posts from my blog.</p>",
        fields: [{ name: "Website", value: `${origin}/` }],
      },
    });
    await outpost.start();
    return outpost;
  })();
  return holder.outpostInstance;
}
