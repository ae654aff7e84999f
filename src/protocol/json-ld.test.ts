import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { asArray, firstString, idOf, idsOf, isHttpsUri, isHttpUri, langString, sameOrigin, typeOf } from "./json-ld.ts";

describe("idOf", () => {
  const cases: [string, unknown, string | undefined][] = [
    ["string", "https://a.example/1", "https://a.example/1"],
    ["empty string", "", undefined],
    ["object id", { id: "https://a.example/1", type: "Note" }, "https://a.example/1"],
    ["expanded @id", { "@id": "https://a.example/1" }, "https://a.example/1"],
    ["Link href", { type: "Link", href: "https://a.example/page" }, "https://a.example/page"],
    ["id wins over href", { id: "https://a.example/1", href: "https://a.example/2" }, "https://a.example/1"],
    ["number", 5, undefined],
    ["null", null, undefined],
    ["array", ["https://a.example/1"], undefined],
  ];
  for (const [name, value, expected] of cases) it(name, () => assert.equal(idOf(value), expected));
});

describe("idsOf", () => {
  it("reads one or many and skips junk", () => {
    assert.deepEqual(idsOf("https://a.example/1"), ["https://a.example/1"]);
    assert.deepEqual(idsOf([null, "https://a.example/1", { id: "https://a.example/2" }, 3, {}]), [
      "https://a.example/1",
      "https://a.example/2",
    ]);
    assert.deepEqual(idsOf(undefined), []);
  });
});

describe("asArray and firstString", () => {
  it("wraps single values and drops null", () => {
    assert.deepEqual(asArray(1), [1]);
    assert.deepEqual(asArray([1, 2]), [1, 2]);
    assert.deepEqual(asArray(null), []);
    assert.deepEqual(asArray(undefined), []);
  });
  it("finds the first string", () => {
    assert.equal(firstString("a"), "a");
    assert.equal(firstString([1, "b", "c"]), "b");
    assert.equal(firstString({}), undefined);
  });
});

describe("typeOf", () => {
  const cases: [string, unknown, string | undefined][] = [
    ["plain", { type: "Note" }, "Note"],
    ["as: prefix", { type: "as:Note" }, "Note"],
    ["full IRI", { type: "https://www.w3.org/ns/activitystreams#Person" }, "Person"],
    ["array, known type later", { type: ["ChatMessageExt", "Note"] }, "Note"],
    ["array, nothing known", { type: ["Foo", "Bar"] }, "Foo"],
    ["@type", { "@type": "Create" }, "Create"],
    ["missing", { id: "x" }, undefined],
    ["not an object", "Note", undefined],
  ];
  for (const [name, value, expected] of cases) it(name, () => assert.equal(typeOf(value), expected));
});

describe("langString", () => {
  const cases: [string, unknown, unknown, string | undefined][] = [
    ["plain", "hi", undefined, "hi"],
    ["plain wins over map", "hi", { en: "hello" }, "hi"],
    ["map fallback", undefined, { und: "", de: "hallo" }, "hallo"],
    ["null with map", null, { fr: "salut" }, "salut"],
    ["@value", { "@value": "hey", "@language": "en" }, undefined, "hey"],
    ["nothing", 5, "not a map", undefined],
  ];
  for (const [name, value, map, expected] of cases) it(name, () => assert.equal(langString(value, map), expected));
});

describe("URI checks", () => {
  const cases: [unknown, boolean, boolean][] = [
    ["https://a.example/x", true, true],
    ["http://a.example/x", false, true],
    ["javascript:alert(1)", false, false],
    ["data:text/html,hi", false, false],
    ["/relative", false, false],
    ["https://", false, false],
    [42, false, false],
  ];
  for (const [value, https, http] of cases) {
    it(String(value), () => {
      assert.equal(isHttpsUri(value), https);
      assert.equal(isHttpUri(value), http);
    });
  }

  it("sameOrigin compares scheme, host and port", () => {
    assert.equal(sameOrigin("https://a.example/x", "https://A.EXAMPLE/y#k"), true);
    assert.equal(sameOrigin("https://a.example/x", "http://a.example/x"), false);
    assert.equal(sameOrigin("https://a.example/x", "https://a.example:8443/x"), false);
    assert.equal(sameOrigin("https://a.example/x", "https://b.example/x"), false);
    assert.equal(sameOrigin("mailto:a@b", "mailto:c@d"), false);
    assert.equal(sameOrigin("nonsense", "https://a.example"), false);
  });
});
