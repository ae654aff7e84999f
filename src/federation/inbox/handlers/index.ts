/**
 * The inbox handlers by activity type. A new type is one file and one line
 * here; types without a handler are logged and otherwise ignored by
 * `process.ts` (inbox plugins still see them).
 */
import { handleAccept } from "./accept.ts";
import { handleAdd } from "./add.ts";
import { handleAnnounce } from "./announce.ts";
import { handleBlock } from "./block.ts";
import { handleCreate } from "./create.ts";
import { handleDelete } from "./delete.ts";
import { handleFollow } from "./follow.ts";
import type { InboxHandler } from "./handler.ts";
import { handleLike } from "./like.ts";
import { handleMove } from "./move.ts";
import { handleQuoteRequest } from "./quote-request.ts";
import { handleReject } from "./reject.ts";
import { handleRemove } from "./remove.ts";
import { handleUndo } from "./undo.ts";
import { handleUpdate } from "./update.ts";

export type { HandlerOutcome, InboxHandler, InboxHandlerContext } from "./handler.ts";

/** Handlers keyed by activity type. */
export const inboxHandlers: Readonly<Record<string, InboxHandler>> = {
  Accept: handleAccept,
  Add: handleAdd,
  Announce: handleAnnounce,
  Block: handleBlock,
  Create: handleCreate,
  Delete: handleDelete,
  Follow: handleFollow,
  Like: handleLike,
  Move: handleMove,
  QuoteRequest: handleQuoteRequest,
  Reject: handleReject,
  Remove: handleRemove,
  Undo: handleUndo,
  Update: handleUpdate,
};

/** Parameters of {@link inboxHandlerFor}. */
export interface InboxHandlerForParams {
  readonly type: string;
}

/** The handler of an activity type, or undefined when the type is not handled. */
export function inboxHandlerFor(params: InboxHandlerForParams): InboxHandler | undefined {
  return Object.hasOwn(inboxHandlers, params.type) ? inboxHandlers[params.type] : undefined;
}
