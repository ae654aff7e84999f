// WebFinger, host-meta and the NodeInfo links stay at the root.
import { nextRouteHandlers } from "outpost/adapters/next";
import { getOutpost } from "../../../lib/outpost.ts";

export const { GET, HEAD } = nextRouteHandlers(getOutpost);
