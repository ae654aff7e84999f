/**
 * Shared by the export and import tests: an instance's worth of rows in every
 * kind of table, written through the store as Outpost writes them, and dumps
 * captured in memory.
 */
import { Writable } from "node:stream";
import { sql } from "kysely";
import { activity, at, follow, localActor, localUri, note, remoteActor, remoteUri } from "../contract/fixtures.ts";
import type { SqlStore } from "../sql-store.ts";
import { exportStore, type ExportResult } from "./export-store.ts";

/** More rows than one page of an export, so that paging is exercised. */
export const MANY = 1_100;

/** Fills a store: two local actors, remote followers, posts, a pending fan-out and composite-keyed rows. */
export async function seedInstance(store: SqlStore): Promise<void> {
  const alice = localActor("alice");
  const bob = localActor("bob");
  for (const actor of [alice, bob, remoteActor("carol"), remoteActor("dave"), remoteActor("erin")]) await store.actors.put(actor);
  for (const owner of [alice.uri, bob.uri, remoteUri("carol")]) {
    await store.keys.put({ keyId: `${owner}#main-key`, ownerUri: owner, publicKeyPem: `PUBLIC ${owner}`, privateKeyPem: owner.startsWith("https://local") ? `PRIVATE ${owner}` : null });
  }
  await store.follows.put(follow(remoteUri("carol"), alice.uri, { createdAt: at(1) }));
  await store.follows.put(follow(remoteUri("dave"), alice.uri, { createdAt: at(2), state: "pending" }));
  await store.follows.put(follow(alice.uri, remoteUri("carol"), { createdAt: at(3) }));
  await store.follows.put(follow(remoteUri("erin"), bob.uri, { createdAt: at(4) }));
  for (let i = 0; i < 5; i++) {
    await store.objects.put(note(`${alice.uri}/objects/${i}`, alice.uri, { published: at(10 + i) }));
    await store.activities.add(activity(`${alice.uri}/activities/${i}`, "Create", alice.uri, { objectUri: `${alice.uri}/objects/${i}` }));
  }
  await store.objects.put(note(`${bob.uri}/objects/b`, bob.uri, { visibility: "followers" }));
  await store.objects.put(note(`${remoteUri("carol")}/notes/1`, remoteUri("carol"), { local: false, inReplyTo: `${alice.uri}/objects/0` }));
  await store.reactions.add({ type: "Like", actorUri: remoteUri("carol"), objectUri: `${alice.uri}/objects/1`, activityUri: `${remoteUri("carol")}#likes/1`, createdAt: at(30) });
  await store.blocks.put({ actorUri: bob.uri, targetUri: remoteUri("dave"), activityUri: `${bob.uri}/activities/block`, createdAt: at(31) });
  await store.collections.add({ collectionUri: `${alice.uri}/collections/featured`, itemUri: `${alice.uri}/objects/2`, addedAt: at(32) });
  await store.inbox.add(`${remoteUri("carol")}/activities/hello`, [alice.uri, bob.uri], at(33));
  // A fan-out in flight: deliveries of alice's last post, pending, one of them retried once.
  await store.jobs.enqueue(
    Array.from({ length: MANY }, (_, i) => ({
      queue: "deliver",
      payload: { activityUri: `${alice.uri}/activities/4`, inbox: `https://host${i}.example/inbox`, signerUri: alice.uri, recipientUris: [] },
      dedupeKey: `deliver:${alice.uri}/activities/4:${i}`,
      groupKey: `${alice.uri}/activities/4`,
      runAt: at(40),
    })),
  );
  await store.hosts.recordFailure("down.example", { at: at(41), backoffUntil: at(100) });
  await store.webfinger.put({ acct: "carol@remote.example", actorUri: remoteUri("carol"), fetchedAt: at(42) });
  // A table keyed on two columns, paged on both.
  for (let i = 0; i < 600; i++) {
    await sql`insert into idempotency_keys (user_id, key, request_hash, activity_uri, created_at)
      values (${`user-${i % 2}`}, ${`key-${String(i).padStart(4, "0")}`}, ${"h"}, ${null}, ${at(50)})`.execute(store.db);
  }
}

/** A dump captured in memory. */
export interface CapturedDump {
  readonly result: ExportResult;
  readonly text: string;
}

/** Exports into a string. */
export async function captureDump(params: { readonly store: SqlStore; readonly actorUris?: readonly string[] }): Promise<CapturedDump> {
  const chunks: string[] = [];
  const out = new Writable({
    write(chunk: Buffer | string, _encoding, done) {
      chunks.push(chunk.toString());
      done();
    },
  });
  const result = await exportStore({ store: params.store, out, ...(params.actorUris === undefined ? {} : { actorUris: params.actorUris }) });
  return { result, text: chunks.join("") };
}

/** A dump's lines as an import reads them. */
export async function* linesOf(text: string): AsyncGenerator<string> {
  for (const line of text.split("\n")) yield line;
}

/** The dump without its header (which carries the export time and source). */
export function bodyOf(text: string): string {
  return text.slice(text.indexOf("\n") + 1);
}

export { localUri, remoteUri };
