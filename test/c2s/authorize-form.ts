/**
 * Reading the login and consent page as a browser would: the form's action,
 * its hidden fields (the CSRF token and the request's parameters, whose
 * values are HTML-escaped), and the cookie the page set, which must go back
 * with the submission.
 */

/** What a browser needs to submit the consent form. */
export interface AuthorizeForm {
  /** Where the form posts, resolved against the page's URL. */
  readonly action: string;
  /** The hidden inputs by name, unescaped. */
  readonly hidden: Readonly<Record<string, string>>;
  /** The names of the other inputs and buttons (username, password, decision). */
  readonly visibleNames: readonly string[];
}

/** Parameters of {@link parseAuthorizeForm}. */
export interface ParseAuthorizeFormParams {
  readonly html: string;
  readonly pageUrl: string;
}

/** The form, or why the page has none a browser could submit. */
export type ParseAuthorizeFormResult =
  | { readonly ok: true; readonly form: AuthorizeForm }
  | { readonly ok: false; readonly reason: "noForm" | "notPost"; readonly message: string };

const ENTITIES: Readonly<Record<string, string>> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", "#39": "'", "#x27": "'" };

/** Undoes the escaping of an attribute value (named entities and numeric references). */
export function unescapeAttribute(value: string): string {
  return value.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (whole, name: string) => {
    const known = ENTITIES[name.toLowerCase()];
    if (known !== undefined) return known;
    if (/^#x/i.test(name)) return String.fromCodePoint(Number.parseInt(name.slice(2), 16));
    if (name.startsWith("#")) return String.fromCodePoint(Number.parseInt(name.slice(1), 10));
    return whole;
  });
}

/** The attributes of one tag, by lower-cased name, unescaped. */
function attributesOf(tag: string): Record<string, string> {
  const attributes: Record<string, string> = {};
  for (const match of tag.matchAll(/([a-zA-Z_:][-a-zA-Z0-9_:.]*)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+)))?/g)) {
    const name = match[1]!.toLowerCase();
    if (name === "input" || name === "button" || name === "form") continue;
    attributes[name] = unescapeAttribute(match[2] ?? match[3] ?? match[4] ?? "");
  }
  return attributes;
}

/** Finds the first form of a page and reads its fields. */
export function parseAuthorizeForm(params: ParseAuthorizeFormParams): ParseAuthorizeFormResult {
  const formMatch = /<form\b([^>]*)>([\s\S]*?)<\/form>/i.exec(params.html);
  if (formMatch === null) return { ok: false, reason: "noForm", message: "the page has no form" };
  const formAttributes = attributesOf(formMatch[1]!);
  if ((formAttributes.method ?? "get").toLowerCase() !== "post") {
    return { ok: false, reason: "notPost", message: `the form's method is ${formAttributes.method ?? "GET (default)"}, not POST` };
  }
  const hidden: Record<string, string> = {};
  const visibleNames: string[] = [];
  for (const control of formMatch[2]!.matchAll(/<(input|button)\b([^>]*)>/gi)) {
    const attributes = attributesOf(control[2]!);
    if (attributes.name === undefined) continue;
    if (control[1]!.toLowerCase() === "input" && attributes.type?.toLowerCase() === "hidden") hidden[attributes.name] = attributes.value ?? "";
    else if (!visibleNames.includes(attributes.name)) visibleNames.push(attributes.name);
  }
  return { ok: true, form: { action: new URL(formAttributes.action ?? "", params.pageUrl).href, hidden, visibleNames } };
}

/** Parameters of {@link cookieHeaderOf}. */
export interface CookieHeaderOfParams {
  readonly response: Response;
}

/** The `Cookie` header a browser would send back: each cookie's name=value, without its attributes. */
export function cookieHeaderOf(params: CookieHeaderOfParams): string {
  return params.response.headers
    .getSetCookie()
    .map((cookie) => cookie.split(";", 1)[0]!.trim())
    .filter((pair) => pair.includes("="))
    .join("; ");
}
