import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { decideQuote, defaultQuotePolicy, interactionPolicyDocument, quotePolicyOf, type DecideQuoteParams } from "./quote-policy.ts";

const PUBLIC = "https://www.w3.org/ns/activitystreams#Public";
const BOB = "https://outpost.example/users/bob";
const ALICE = "https://mastodon.example/users/alice";

function params(overrides: Partial<DecideQuoteParams> = {}): DecideQuoteParams {
  return {
    policy: { automaticApproval: [PUBLIC], manualApproval: [] },
    requesterUri: ALICE,
    authorUri: BOB,
    targetVisibility: "public",
    followersUri: `${BOB}/followers`,
    followingUri: `${BOB}/following`,
    requesterFollowsAuthor: false,
    authorFollowsRequester: false,
    blocked: false,
    ...overrides,
  };
}

describe("decideQuote", () => {
  it("approves anyone when the public is approved automatically, also written as as:Public", () => {
    assert.equal(decideQuote(params()).verdict, "accept");
    assert.equal(decideQuote(params({ policy: { automaticApproval: ["as:Public"], manualApproval: [] } })).verdict, "accept");
    assert.equal(decideQuote(params({ targetVisibility: "unlisted" })).verdict, "accept");
  });

  it("never lets a followers-only or direct post be quoted by others", () => {
    assert.equal(decideQuote(params({ targetVisibility: "followers" })).reason, "notPublic");
    assert.equal(decideQuote(params({ targetVisibility: "direct" })).verdict, "reject");
  });

  it("lets authors quote themselves whatever the policy", () => {
    const own = params({ requesterUri: BOB, policy: { automaticApproval: [BOB], manualApproval: [] }, targetVisibility: "followers" });
    assert.equal(decideQuote(own).reason, "ownObject");
  });

  it("rejects a blocked requester even when the public is approved", () => {
    assert.equal(decideQuote(params({ blocked: true })).reason, "blocked");
  });

  it("approves followers and followees only when they are", () => {
    const followers = { automaticApproval: [`${BOB}/followers`], manualApproval: [] };
    assert.equal(decideQuote(params({ policy: followers })).verdict, "reject");
    assert.equal(decideQuote(params({ policy: followers, requesterFollowsAuthor: true })).verdict, "accept");
    const following = { automaticApproval: [`${BOB}/following`], manualApproval: [] };
    assert.equal(decideQuote(params({ policy: following, requesterFollowsAuthor: true })).verdict, "reject");
    assert.equal(decideQuote(params({ policy: following, authorFollowsRequester: true })).verdict, "accept");
  });

  it("approves a named actor, holds those under manual approval, rejects everyone else", () => {
    assert.equal(decideQuote(params({ policy: { automaticApproval: [ALICE], manualApproval: [] } })).verdict, "accept");
    const manual = decideQuote(params({ policy: { automaticApproval: [BOB], manualApproval: [PUBLIC] } }));
    assert.deepEqual([manual.verdict, manual.reason], ["manual", "manualApproval"]);
    assert.equal(decideQuote(params({ policy: { automaticApproval: [BOB], manualApproval: [] } })).reason, "notAllowed");
  });
});

describe("quote policies", () => {
  it("reads canQuote from a document, one value or many", () => {
    const document = { interactionPolicy: { canQuote: { automaticApproval: PUBLIC, manualApproval: [ALICE, { id: `${BOB}/followers` }] } } };
    assert.deepEqual(quotePolicyOf({ document }), { automaticApproval: [PUBLIC], manualApproval: [ALICE, `${BOB}/followers`] });
    assert.equal(quotePolicyOf({ document: { interactionPolicy: { canReply: {} } } }), null);
    assert.equal(quotePolicyOf({ document: {} }), null);
  });

  it("turns the configured audiences into a policy, naming the author when nobody else may quote", () => {
    const followersUri = `${BOB}/followers`;
    assert.deepEqual(defaultQuotePolicy({ options: { automaticApproval: "public", manualApproval: "nobody" }, authorUri: BOB, followersUri }), {
      automaticApproval: [PUBLIC],
      manualApproval: [],
    });
    assert.deepEqual(defaultQuotePolicy({ options: { automaticApproval: "nobody", manualApproval: "followers" }, authorUri: BOB, followersUri }), {
      automaticApproval: [BOB],
      manualApproval: [followersUri],
    });
  });

  it("writes a policy as an interactionPolicy that reads back the same", () => {
    const policy = { automaticApproval: [`${BOB}/followers`], manualApproval: [PUBLIC] };
    assert.deepEqual(quotePolicyOf({ document: { interactionPolicy: interactionPolicyDocument({ policy }) } }), policy);
  });
});
