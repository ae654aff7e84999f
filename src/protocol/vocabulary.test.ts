import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  actorContext,
  AS_CONTEXT,
  isActivityType,
  isActorType,
  isPublicAddress,
  objectContext,
  PUBLIC_COLLECTION,
  SECURITY_CONTEXT,
} from "./vocabulary.ts";

describe("isPublicAddress", () => {
  const cases: [string, boolean][] = [
    [PUBLIC_COLLECTION, true],
    ["as:Public", true],
    ["Public", true],
    ["https://www.w3.org/ns/activitystreams#public", false],
    ["https://example.com/users/alice/followers", false],
    ["", false],
  ];
  for (const [uri, expected] of cases) {
    it(`${JSON.stringify(uri)} → ${expected}`, () => assert.equal(isPublicAddress(uri), expected));
  }
});

describe("type predicates", () => {
  const cases: [string, boolean, boolean][] = [
    ["Person", true, false],
    ["Service", true, false],
    ["Group", true, false],
    ["Organization", true, false],
    ["Application", true, false],
    ["Create", false, true],
    ["EmojiReact", false, true],
    ["Note", false, false],
    ["Question", false, false],
  ];
  for (const [type, actor, activity] of cases) {
    it(`${type}: actor ${actor}, activity ${activity}`, () => {
      assert.equal(isActorType(type), actor);
      assert.equal(isActivityType(type), activity);
    });
  }
});

describe("contexts", () => {
  it("actorContext defines every extension term actor documents use", () => {
    const context = actorContext();
    assert.equal(context[0], AS_CONTEXT);
    assert.equal(context[1], SECURITY_CONTEXT);
    const terms = context[2] as Record<string, unknown>;
    assert.deepEqual(terms.featured, { "@id": "toot:featured", "@type": "@id" });
    assert.deepEqual(terms.movedTo, { "@id": "as:movedTo", "@type": "@id" });
    assert.deepEqual(terms.alsoKnownAs, { "@id": "as:alsoKnownAs", "@type": "@id" });
    for (const term of ["manuallyApprovesFollowers", "discoverable", "PropertyValue", "value", "toot", "schema"]) {
      assert.ok(term in terms, term);
    }
  });

  it("returns fresh arrays so one document cannot alter another's context", () => {
    const first = actorContext();
    first.push("https://example.com/extra");
    assert.equal(actorContext().length, 3);
    assert.notEqual(objectContext(), objectContext());
  });

  it("objectContext defines post terms", () => {
    const terms = objectContext()[1] as Record<string, unknown>;
    for (const term of ["sensitive", "Hashtag", "toot", "Emoji"]) assert.ok(term in terms, term);
  });
});
