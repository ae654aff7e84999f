/**
 * The parts of RFC 8941 structured field values that HTTP Message Signatures
 * and Content-Digest need: dictionaries whose members are items or inner
 * lists, with parameters, and a serializer that reproduces the canonical form
 * a signer put into its signature base.
 */

/** A bare item, tagged by its structured-field type. */
export type BareItem =
  | { readonly type: "string"; readonly value: string }
  | { readonly type: "token"; readonly value: string }
  | { readonly type: "integer"; readonly value: number }
  | { readonly type: "decimal"; readonly value: number }
  | { readonly type: "boolean"; readonly value: boolean }
  | { readonly type: "bytes"; readonly value: Uint8Array };

/** Parameters in the order they appeared. */
export type SfParameters = ReadonlyMap<string, BareItem>;

/** A bare item with its parameters. */
export interface SfItem {
  readonly kind: "item";
  readonly value: BareItem;
  readonly params: SfParameters;
}

/** A parenthesised list of items with its own parameters. */
export interface SfInnerList {
  readonly kind: "innerList";
  readonly items: readonly SfItem[];
  readonly params: SfParameters;
}

/** A dictionary member. */
export type SfMember = SfItem | SfInnerList;

/** A dictionary in the order its members appeared. */
export type SfDictionary = ReadonlyMap<string, SfMember>;

/** Outcome of parsing a structured field. */
export type SfParseResult<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly reason: "malformed"; readonly message: string };

class SfSyntaxError extends Error {}

/** Parses a structured-field dictionary (RFC 8941 section 4.2.2). */
export function parseDictionary(input: string): SfParseResult<SfDictionary> {
  try {
    const parser = new Parser(input);
    return { ok: true, value: parser.dictionary() };
  } catch (error) {
    if (error instanceof SfSyntaxError) return { ok: false, reason: "malformed", message: error.message };
    throw error;
  }
}

/** Serializes an inner list with its parameters (RFC 8941 section 4.1.1.1). */
export function serializeInnerList(list: SfInnerList): string {
  return `(${list.items.map(serializeItem).join(" ")})${serializeParameters(list.params)}`;
}

/** Serializes an item with its parameters (RFC 8941 section 4.1.3). */
export function serializeItem(item: SfItem): string {
  return serializeBareItem(item.value) + serializeParameters(item.params);
}

/** Serializes parameters (RFC 8941 section 4.1.1.2). */
export function serializeParameters(params: SfParameters): string {
  let out = "";
  for (const [key, value] of params) {
    out += `;${key}`;
    if (!(value.type === "boolean" && value.value)) out += `=${serializeBareItem(value)}`;
  }
  return out;
}

/** Serializes a bare item; throws a RangeError for values the format cannot carry. */
export function serializeBareItem(item: BareItem): string {
  switch (item.type) {
    case "integer":
      if (!Number.isInteger(item.value) || Math.abs(item.value) > 999_999_999_999_999) {
        throw new RangeError(`${item.value} is not a structured-field integer`);
      }
      return String(item.value);
    case "decimal": {
      const rounded = Math.round(item.value * 1000) / 1000;
      const text = String(rounded);
      return text.includes(".") ? text : `${text}.0`;
    }
    case "string":
      if (!/^[\x20-\x7e]*$/.test(item.value)) {
        throw new RangeError("Structured-field strings carry printable ASCII only");
      }
      return `"${item.value.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
    case "token":
      return item.value;
    case "boolean":
      return item.value ? "?1" : "?0";
    case "bytes":
      return `:${Buffer.from(item.value).toString("base64")}:`;
  }
}

const KEY_START = /[a-z*]/;
const KEY_CHAR = /[a-z0-9_\-.*]/;
const TOKEN_START = /[A-Za-z*]/;
const TOKEN_CHAR = /[!#$%&'*+\-.^_`|~0-9A-Za-z:/]/;
const DIGIT = /[0-9]/;
const BASE64_CHAR = /[A-Za-z0-9+/=]/;

class Parser {
  private readonly input: string;
  private pos = 0;

  constructor(input: string) {
    this.input = input.replace(/^[ \t]+|[ \t]+$/g, "");
  }

  dictionary(): Map<string, SfMember> {
    const members = new Map<string, SfMember>();
    while (!this.atEnd()) {
      const key = this.key();
      let member: SfMember;
      if (this.peek() === "=") {
        this.pos++;
        member = this.itemOrInnerList();
      } else {
        member = { kind: "item", value: { type: "boolean", value: true }, params: this.parameters() };
      }
      members.set(key, member);
      this.skipOws();
      if (this.atEnd()) return members;
      this.expect(",");
      this.skipOws();
      if (this.atEnd()) this.fail("trailing comma");
    }
    return members;
  }

  private itemOrInnerList(): SfMember {
    return this.peek() === "(" ? this.innerList() : this.item();
  }

  private innerList(): SfInnerList {
    this.expect("(");
    const items: SfItem[] = [];
    for (;;) {
      while (this.peek() === " ") this.pos++;
      if (this.atEnd()) this.fail("unterminated inner list");
      if (this.peek() === ")") {
        this.pos++;
        return { kind: "innerList", items, params: this.parameters() };
      }
      items.push(this.item());
      const next = this.peek();
      if (next !== " " && next !== ")") this.fail(`unexpected "${next}" in inner list`);
    }
  }

  private item(): SfItem {
    const value = this.bareItem();
    return { kind: "item", value, params: this.parameters() };
  }

  private parameters(): Map<string, BareItem> {
    const params = new Map<string, BareItem>();
    while (this.peek() === ";") {
      this.pos++;
      while (this.peek() === " ") this.pos++;
      const key = this.key();
      let value: BareItem = { type: "boolean", value: true };
      if (this.peek() === "=") {
        this.pos++;
        value = this.bareItem();
      }
      params.set(key, value);
    }
    return params;
  }

  private key(): string {
    const start = this.pos;
    if (!KEY_START.test(this.peek())) this.fail("expected a key");
    while (!this.atEnd() && KEY_CHAR.test(this.peek())) this.pos++;
    return this.input.slice(start, this.pos);
  }

  private bareItem(): BareItem {
    const c = this.peek();
    if (c === "-" || DIGIT.test(c)) return this.number();
    if (c === '"') return this.string();
    if (c === ":") return this.bytes();
    if (c === "?") return this.boolean();
    if (TOKEN_START.test(c)) return this.token();
    return this.fail(c === "" ? "unexpected end of input" : `unexpected "${c}"`);
  }

  private number(): BareItem {
    const start = this.pos;
    if (this.peek() === "-") this.pos++;
    if (!DIGIT.test(this.peek())) this.fail("expected a digit");
    let isDecimal = false;
    while (!this.atEnd()) {
      const c = this.peek();
      if (DIGIT.test(c)) this.pos++;
      else if (c === "." && !isDecimal) {
        isDecimal = true;
        this.pos++;
      } else break;
    }
    const text = this.input.slice(start, this.pos);
    const digits = text.replace("-", "");
    if (!isDecimal) {
      if (digits.length > 15) this.fail("integer has more than 15 digits");
      return { type: "integer", value: Number(text) };
    }
    const [whole = "", fraction = ""] = digits.split(".");
    if (whole.length > 12 || fraction.length === 0 || fraction.length > 3) this.fail(`invalid decimal ${text}`);
    return { type: "decimal", value: Number(text) };
  }

  private string(): BareItem {
    this.expect('"');
    let out = "";
    for (;;) {
      if (this.atEnd()) this.fail("unterminated string");
      const c = this.input[this.pos++] ?? "";
      if (c === "\\") {
        const escaped = this.input[this.pos++] ?? "";
        if (escaped !== '"' && escaped !== "\\") this.fail("invalid escape in string");
        out += escaped;
      } else if (c === '"') {
        return { type: "string", value: out };
      } else {
        const code = c.charCodeAt(0);
        if (code < 0x20 || code > 0x7e) this.fail("invalid character in string");
        out += c;
      }
    }
  }

  private token(): BareItem {
    const start = this.pos;
    this.pos++;
    while (!this.atEnd() && TOKEN_CHAR.test(this.peek())) this.pos++;
    return { type: "token", value: this.input.slice(start, this.pos) };
  }

  private bytes(): BareItem {
    this.expect(":");
    const start = this.pos;
    while (!this.atEnd() && BASE64_CHAR.test(this.peek())) this.pos++;
    const encoded = this.input.slice(start, this.pos);
    this.expect(":");
    return { type: "bytes", value: Buffer.from(encoded, "base64") };
  }

  private boolean(): BareItem {
    this.expect("?");
    const c = this.peek();
    if (c !== "0" && c !== "1") this.fail("invalid boolean");
    this.pos++;
    return { type: "boolean", value: c === "1" };
  }

  private skipOws(): void {
    while (this.peek() === " " || this.peek() === "\t") this.pos++;
  }

  private peek(): string {
    return this.input[this.pos] ?? "";
  }

  private atEnd(): boolean {
    return this.pos >= this.input.length;
  }

  private expect(c: string): void {
    if (this.peek() !== c) this.fail(this.atEnd() ? `expected "${c}" before the end` : `expected "${c}"`);
    this.pos++;
  }

  private fail(message: string): never {
    throw new SfSyntaxError(`${message} at position ${this.pos}`);
  }
}
