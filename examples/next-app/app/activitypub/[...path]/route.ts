// Outpost's ActivityPub routes: actors, inboxes, outboxes, collections, objects.
import { nextRouteHandlers } from "outpost/adapters/next";
import { getOutpost } from "../../../lib/outpost.ts";

export const { GET, HEAD, POST } = nextRouteHandlers(getOutpost);
