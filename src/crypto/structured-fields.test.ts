import assert from "node:assert/strict";
import { test } from "node:test";
import { parseDictionary, serializeInnerList, serializeItem } from "./structured-fields.ts";
import type { SfMember } from "./structured-fields.ts";

function member(input: string, key: string): SfMember {
  const parsed = parseDictionary(input);
  assert.ok(parsed.ok, parsed.ok ? "" : parsed.message);
  const value = parsed.value.get(key);
  assert.ok(value !== undefined, `no member ${key}`);
  return value;
}

test("parses a Signature-Input member and serializes it back unchanged", () => {
  const text =
    '("@method" "@target-uri" "content-digest");created=1618884473;keyid="https://a.example/u#k";alg="ed25519"';
  const list = member(`sig1=${text}`, "sig1");
  assert.equal(list.kind, "innerList");
  if (list.kind !== "innerList") return;
  assert.deepEqual(
    list.items.map((item) => item.value),
    ["@method", "@target-uri", "content-digest"].map((value) => ({ type: "string", value })),
  );
  assert.deepEqual(list.params.get("created"), { type: "integer", value: 1618884473 });
  assert.deepEqual(list.params.get("keyid"), { type: "string", value: "https://a.example/u#k" });
  assert.equal(serializeInnerList(list), text);
});

test("reads every bare item type", () => {
  const parsed = parseDictionary('a=1, b=-2.5, c="q\\"s\\\\", d=tok/en:x, e=?0, f, g=:aGVsbG8=:;p=?1;q=3');
  assert.ok(parsed.ok);
  const items = Object.fromEntries([...parsed.value].map(([k, v]) => [k, v.kind === "item" ? v.value : null]));
  assert.deepEqual(items.a, { type: "integer", value: 1 });
  assert.deepEqual(items.b, { type: "decimal", value: -2.5 });
  assert.deepEqual(items.c, { type: "string", value: 'q"s\\' });
  assert.deepEqual(items.d, { type: "token", value: "tok/en:x" });
  assert.deepEqual(items.e, { type: "boolean", value: false });
  assert.deepEqual(items.f, { type: "boolean", value: true });
  const g = parsed.value.get("g");
  assert.ok(g?.kind === "item" && g.value.type === "bytes");
  assert.equal(Buffer.from(g.value.value).toString(), "hello");
  assert.equal(serializeItem(g), ":aGVsbG8=:;p;q=3");
});

test("a repeated key keeps the last value", () => {
  const value = member("a=1, a=2", "a");
  assert.deepEqual(value.kind === "item" && value.value, { type: "integer", value: 2 });
});

test("rejects malformed dictionaries", () => {
  const cases = [
    "sig1=(\"@method\"",
    "sig1=(\"@method\")x",
    "Sig1=1",
    "a=1,",
    "a=\"unterminated",
    "a=:bytes",
    "a=?2",
    "a=1234567890123456",
    "a=1.2345",
    "a=\"bad\\escape\"",
    "a=(1 2",
    "a=@x",
  ];
  for (const input of cases) {
    const parsed = parseDictionary(input);
    assert.equal(parsed.ok, false, input);
    if (!parsed.ok) assert.equal(parsed.reason, "malformed");
  }
});

test("an empty field is an empty dictionary", () => {
  const parsed = parseDictionary("  ");
  assert.ok(parsed.ok);
  assert.equal(parsed.value.size, 0);
});
