/**
 * `outpost.on(...)`: registering an inbox handler without writing a plugin
 * object. Handlers run after Outpost's own processing; one that throws is
 * logged and retried on its own queue, so retries find it again by name —
 * names must stay the same from one start to the next, which they do when
 * handlers are registered in the same order (or named).
 */
import type { InboxPlugin, InboxPluginEvent } from "../federation/inbox/plugins.ts";

/** Filters and naming of one handler. */
export interface OnOptions {
  /** Run only when one of these local actors (usernames or URIs) is a recipient. */
  readonly localActors?: readonly string[];
  /** Run only for activities whose actor is on one of these hosts. */
  readonly remoteDomains?: readonly string[];
  /** Names the handler in logs and retries; default from its types and registration order. */
  readonly name?: string;
}

/** A handler of incoming activities. */
export type InboxHandler = (event: InboxPluginEvent) => Promise<void> | void;

/** Parameters of {@link createOn}. */
export interface CreateOnParams {
  /** The plugin list the context reads; handlers are appended to it. */
  readonly plugins: InboxPlugin[];
}

/** The `on` method: registers a handler for activity types ("*" for all). */
export type On = (types: string | readonly string[], handler: InboxHandler, options?: OnOptions) => void;

/** Builds `on` over a mutable plugin list. Throws on a name already taken: retries would reach the wrong handler. */
export function createOn(params: CreateOnParams): On {
  const { plugins } = params;
  let registered = 0;
  return (types, handler, options = {}) => {
    registered += 1;
    const list = typeof types === "string" ? (types === "*" ? "*" : [types]) : [...types];
    const name = options.name ?? `on(${list === "*" ? "*" : list.join(",")})#${registered}`;
    if (plugins.some((plugin) => plugin.name === name)) {
      throw new Error(`an inbox handler named "${name}" is already registered; give this one another name`);
    }
    plugins.push({
      name,
      types: list,
      ...(options.localActors === undefined ? {} : { localActors: options.localActors }),
      ...(options.remoteDomains === undefined ? {} : { remoteDomains: options.remoteDomains }),
      handle: async (event) => {
        await handler(event);
      },
    });
  };
}
