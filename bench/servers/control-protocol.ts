/**
 * The bench-only control API both server scripts expose, on a port of their
 * own bound to 127.0.0.1 and guarded by a per-run token: it lets the
 * orchestrator set a scene (actors, follows, seeded followers), trigger a
 * post, and read counts. None of it is part of the servers under test.
 */
import { z } from "zod";

/** How the orchestrator starts a server script (passed as JSON in argv[2]). */
export interface ServerLaunchOptions {
  /** The port the server under test listens on, at 127.0.0.1. */
  readonly port: number;
  /** A fresh directory for this start. */
  readonly dataDir: string;
  /** Required as `authorization: Bearer <token>` on every control request. */
  readonly controlToken: string;
  /** The local actor that exists as soon as the server answers. */
  readonly firstActor: string;
}

/** Sent over IPC once the server and its control port listen. */
export interface ServerReady {
  readonly url: string;
  readonly controlPort: number;
}

/** A follower to seed with its delivery addresses. */
export interface SeedFollower {
  readonly id: string;
  readonly inbox: string;
  readonly sharedInbox: string | null;
}

/** The control API: route → request body and answer. */
export type ControlApi = {
  "POST /actors": { body: { readonly usernames: readonly string[] }; result: { readonly created: number } };
  /** Makes `actor` follow each target (only servers that keep posts of followed actors only need it). */
  "POST /follow": { body: { readonly actor: string; readonly targets: readonly string[] }; result: { readonly queued: number } };
  /** Publishes a public Note by `actor` to its followers; answers the Note's and the Create's ids. */
  "POST /post": { body: { readonly actor: string; readonly text: string }; result: { readonly objectId: string; readonly activityId: string | null } };
  /** Adds accepted followers with their inboxes, written straight into the server's storage. */
  "POST /seed-followers": { body: { readonly actor: string; readonly followers: readonly SeedFollower[] }; result: { readonly seeded: number } };
  /** Adds `count` accepted followers whose ids are `${idPrefix}${i}`, for collection paging only. */
  "POST /seed-member-ids": {
    body: { readonly actor: string; readonly idPrefix: string; readonly count: number };
    result: { readonly seeded: number; readonly ms: number };
  };
  "GET /counts": { body: null; result: ServerCounts };
};

/** What a server reports about itself. */
export interface ServerCounts {
  /** Remote posts received and kept (Outpost: stored; Fedify: seen by the Create listener). */
  readonly storedPosts: number;
  /** Accepted follows made by `actor` of the query, or by anyone when not given. */
  readonly following: number;
  /** Accepted followers of `actor` of the query. */
  readonly followers: number;
  /** Background jobs not yet done, or -1 when the server cannot tell. */
  readonly jobsPending: number;
}

const username = z.string().regex(/^[A-Za-z0-9_]{1,30}$/);
const httpUrl = z.url({ protocol: /^https?$/ });

/** The launch options as a server script reads them from its command line. */
export const serverLaunchOptionsSchema = z.object({
  port: z.number().int().min(1).max(65_535),
  dataDir: z.string().min(1),
  controlToken: z.string().min(16),
  firstActor: username,
});

/** Request bodies of the control API, checked before a handler sees them. */
export const controlBodySchemas: { readonly [R in keyof ControlApi]: z.ZodType<ControlApi[R]["body"]> } = {
  "POST /actors": z.object({ usernames: z.array(username).max(100) }),
  "POST /follow": z.object({ actor: username, targets: z.array(httpUrl).max(100_000) }),
  "POST /post": z.object({ actor: username, text: z.string().min(1).max(5_000) }),
  "POST /seed-followers": z.object({
    actor: username,
    followers: z.array(z.object({ id: httpUrl, inbox: httpUrl, sharedInbox: httpUrl.nullable() })).max(100_000),
  }),
  "POST /seed-member-ids": z.object({ actor: username, idPrefix: httpUrl, count: z.number().int().min(1).max(10_000_000) }),
  "GET /counts": z.null(),
};
