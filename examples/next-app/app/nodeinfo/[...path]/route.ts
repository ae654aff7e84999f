// The NodeInfo documents.
import { nextRouteHandlers } from "outpost/adapters/next";
import { getOutpost } from "../../../lib/outpost.ts";

export const { GET, HEAD } = nextRouteHandlers(getOutpost);
