/**
 * The `.json` alias: `/users/alice.json` is `/users/alice` asked for as JSON.
 * The suffix is stripped before routing, so every ActivityPub route gets the
 * alias without declaring it, and remembered per request for negotiation.
 */
import { getPath } from "hono/utils/url";

const SUFFIX = ".json";

/** The alias-aware router path, and whether a request used the alias. */
export interface JsonAliasRouting {
  /** The path Hono routes on: the request path, without a `.json` alias suffix. */
  getPath(request: Request): string;
  hasJsonSuffix(request: Request): boolean;
}

/** Parameters of {@link createJsonAliasRouting}. */
export interface JsonAliasRoutingParams {
  /** The ActivityPub path prefix, "" or e.g. "/activitypub". */
  readonly prefix: string;
}

/**
 * Alias-aware routing. Only ActivityPub document paths (actors, their
 * collections, objects, activities, the instance actor) and profile pages
 * take the suffix; well-known paths such as `/.well-known/host-meta.json` are
 * their own documents and keep it.
 */
export function createJsonAliasRouting(params: JsonAliasRoutingParams): JsonAliasRouting {
  const { prefix } = params;
  const aliased = new WeakSet<Request>();
  const takesAlias = (path: string): boolean =>
    path.startsWith(`${prefix}/users/`) || path.startsWith(`${prefix}/actor`) || path.startsWith("/@");
  return {
    getPath(request) {
      const path = getPath(request);
      if (path.length > SUFFIX.length && path.endsWith(SUFFIX)) {
        const stripped = path.slice(0, -SUFFIX.length);
        if (takesAlias(stripped) && !stripped.endsWith("/")) {
          aliased.add(request);
          return stripped;
        }
      }
      return path;
    },
    hasJsonSuffix: (request) => aliased.has(request),
  };
}
