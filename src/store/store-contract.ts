/**
 * The behaviour every {@link Store} must have, as one test suite. It uses the
 * Store interface alone, so any implementation can be checked with it:
 *
 *     runStoreContract("my store", () => openMyStore());
 *
 * `open` must give a fresh, empty store each time; each test closes the store
 * it opened.
 */
import { describe } from "node:test";
import { actorContract } from "./contract/actor-contract.ts";
import type { OpenStore } from "./contract/fixtures.ts";
import { followContract } from "./contract/follow-contract.ts";
import { interactionContract } from "./contract/interaction-contract.ts";
import { jobContract } from "./contract/job-contract.ts";
import { objectContract } from "./contract/object-contract.ts";
import { outboxCountContract } from "./contract/outbox-count-contract.ts";
import { pagingContract } from "./contract/paging-contract.ts";
import { reactionContract } from "./contract/reaction-contract.ts";
import { transactionContract } from "./contract/transaction-contract.ts";

export type { OpenStore };

/** Registers the whole store contract as a `describe` block named `name`. */
export function runStoreContract(name: string, open: OpenStore): void {
  describe(name, () => {
    actorContract(open);
    followContract(open);
    objectContract(open);
    outboxCountContract(open);
    reactionContract(open);
    pagingContract(open);
    jobContract(open);
    transactionContract(open);
    interactionContract(open);
  });
}
