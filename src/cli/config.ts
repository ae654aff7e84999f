/**
 * The command line's configuration: flags override environment variables,
 * which override defaults. Everything is validated here, once, so commands
 * can trust what they receive and a typo fails with one readable line.
 */
import { resolve } from "node:path";
import { z } from "zod";

/** The validated settings every command works with. */
export interface CliConfig {
  /** Public origin, e.g. `https://social.example` (no trailing slash). */
  readonly origin: string;
  readonly port: number;
  readonly host: string;
  /** Absolute path of the data directory (the SQLite database lives there). */
  readonly dataDir: string;
  /** A `postgres://` URL (without a `schema` parameter), or undefined for SQLite in the data directory. */
  readonly databaseUrl: string | undefined;
  /** PostgreSQL: the schema the tables live in (created if missing); undefined for the connection's default. */
  readonly databaseSchema: string | undefined;
  /** PostgreSQL: most connections each process opens at once. */
  readonly databasePoolSize: number;
  /** How long a worker's claim on a job holds; undefined for the worker's own default. */
  readonly jobLeaseMs: number | undefined;
  readonly allowPrivateAddresses: boolean;
  /** Inbox processing moves to a thread of its own during bursts (OUTPOST_INBOX_THREAD). */
  readonly inboxThread: boolean;
  readonly prefix: string;
  /** A pino level; undefined when not set, so each command picks its own default. */
  readonly logLevel: LogLevel | undefined;
  readonly trustProxy: boolean;
  /** Posting from chat or scripts (POST /api/chat/post) as one account; undefined when off. */
  readonly chatPost: ChatPostConfig | undefined;
}

/** Who `POST /api/chat/post` posts as, and the secrets it accepts. */
export interface ChatPostConfig {
  readonly actor: string;
  readonly bearerSecret?: string;
  readonly slackSigningSecret?: string;
}

export const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** The flags that carry configuration (all optional; commander gives strings). */
export interface ConfigFlags {
  readonly origin?: string;
  readonly port?: string;
  readonly host?: string;
  readonly dataDir?: string;
  readonly databaseUrl?: string;
}

/** Where configuration comes from. */
export interface ResolveCliConfigParams {
  readonly flags: ConfigFlags;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Relative data directories are resolved against it. */
  readonly cwd: string;
}

export type CliConfigResult =
  | { readonly ok: true; readonly config: CliConfig }
  | { readonly ok: false; readonly reason: "invalidConfig"; readonly message: string };

export const DEFAULT_ORIGIN = "http://localhost:8080";
export const DEFAULT_PORT = 8080;
// "::" accepts IPv6 and, on dual-stack hosts, IPv4 too.
export const DEFAULT_HOST = "::";
export const DEFAULT_DATA_DIR = "./data";
export const DEFAULT_DB_POOL_SIZE = 10;
/** A shorter lease would let a second worker take over jobs that are still running. */
export const MIN_JOB_LEASE_MS = 1000;

const TRUE_WORDS = new Set(["1", "true", "yes", "on"]);
const FALSE_WORDS = new Set(["0", "false", "no", "off", ""]);

const booleanSetting = z
  .string()
  .trim()
  .toLowerCase()
  .refine((value) => TRUE_WORDS.has(value) || FALSE_WORDS.has(value), {
    message: "expected 1/true/yes/on or 0/false/no/off",
  })
  .transform((value) => TRUE_WORDS.has(value));

const originSetting = z
  .string()
  .trim()
  .transform((value, issue) => {
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      issue.addIssue({ code: "custom", message: "expected an http(s) origin such as https://social.example" });
      return z.NEVER;
    }
    if (url.protocol !== "http:" && url.protocol !== "https:") {
      issue.addIssue({ code: "custom", message: "the origin must start with http:// or https://" });
      return z.NEVER;
    }
    if (url.pathname !== "/" || url.search !== "" || url.hash !== "" || url.username !== "" || url.password !== "") {
      issue.addIssue({ code: "custom", message: "the origin is scheme, host and port only (use OUTPOST_PREFIX for a path)" });
      return z.NEVER;
    }
    return url.origin;
  });

const portSetting = z
  .string()
  .trim()
  .regex(/^\d+$/, "expected a port number between 0 and 65535")
  .transform(Number)
  .refine((port) => port <= 65_535, "expected a port number between 0 and 65535");

const databaseUrlSetting = z
  .string()
  .trim()
  .refine((value) => /^postgres(ql)?:\/\/./i.test(value), "expected a postgres:// URL");

/** The names PostgreSQL takes unquoted, as the store requires. */
const schemaSetting = z
  .string()
  .trim()
  .regex(/^[A-Za-z_][A-Za-z0-9_]{0,62}$/, "expected a schema name of letters, digits and underscores");

function integerSetting(params: { readonly min: number; readonly max: number; readonly what: string }) {
  const message = `expected ${params.what} between ${params.min} and ${params.max}`;
  return z
    .string()
    .trim()
    .regex(/^\d+$/, message)
    .transform(Number)
    .refine((value) => value >= params.min && value <= params.max, message);
}

/** A database URL with its `schema` query parameter taken out. */
interface SplitDatabaseUrl {
  readonly url: string;
  readonly schema: string | undefined;
}

/**
 * Takes `?schema=name` out of a PostgreSQL URL: the driver does not know the
 * parameter, and the store wants the schema on its own.
 */
function splitSchemaParameter(url: string): SplitDatabaseUrl {
  const query = url.indexOf("?");
  if (query === -1) return { url, schema: undefined };
  const params = new URLSearchParams(url.slice(query + 1));
  const schema = params.get("schema") ?? undefined;
  if (schema === undefined) return { url, schema };
  params.delete("schema");
  const rest = params.toString();
  return { url: rest === "" ? url.slice(0, query) : `${url.slice(0, query)}?${rest}`, schema };
}

const prefixSetting = z
  .string()
  .trim()
  .regex(/^(\/[A-Za-z0-9._~-]+)*\/?$/, "expected a path such as /activitypub")
  .transform((value) => value.replace(/\/+$/, ""));

function nonEmpty(message: string) {
  return z.string().trim().min(1, message);
}

/** One setting: the flag (if it has one) wins over the environment variable. */
interface Setting<T> {
  readonly flag: string | undefined;
  readonly variable: string;
  readonly schema: z.ZodType<T, string>;
}

/** Validates flags and environment into a {@link CliConfig}; never throws. */
export function resolveCliConfig(params: ResolveCliConfigParams): CliConfigResult {
  const { flags, env } = params;
  const errors: string[] = [];
  const read = <T>(setting: Setting<T>, fallback: T): T => {
    const fromFlag = setting.flag !== undefined ? (flags as Record<string, string | undefined>)[setting.flag] : undefined;
    // An empty variable counts as unset, as `FOO= outpost …` usually means "not this one".
    const fromEnv = env[setting.variable] === "" ? undefined : env[setting.variable];
    const raw = fromFlag ?? fromEnv;
    if (raw === undefined) return fallback;
    const parsed = setting.schema.safeParse(raw);
    if (parsed.success) return parsed.data;
    const source = fromFlag !== undefined ? `--${kebab(setting.flag ?? "")}` : setting.variable;
    errors.push(`${source}=${JSON.stringify(raw)}: ${parsed.error.issues[0]?.message ?? "invalid value"}`);
    return fallback;
  };

  const origin = read({ flag: "origin", variable: "OUTPOST_ORIGIN", schema: originSetting }, DEFAULT_ORIGIN);
  const port = read({ flag: "port", variable: "PORT", schema: portSetting }, DEFAULT_PORT);
  const host = read({ flag: "host", variable: "HOST", schema: nonEmpty("expected a host name or address") }, DEFAULT_HOST);
  const dataDir = read({ flag: "dataDir", variable: "OUTPOST_DATA_DIR", schema: nonEmpty("expected a directory") }, DEFAULT_DATA_DIR);
  const givenDatabaseUrl = read<string | undefined>(
    { flag: "databaseUrl", variable: "OUTPOST_DATABASE_URL", schema: databaseUrlSetting },
    undefined,
  );
  const split = givenDatabaseUrl === undefined ? undefined : splitSchemaParameter(givenDatabaseUrl);
  const schemaVariable = read<string | undefined>(
    { flag: undefined, variable: "OUTPOST_DATABASE_SCHEMA", schema: schemaSetting },
    undefined,
  );
  const schemaInUrl = split?.schema === undefined ? undefined : schemaSetting.safeParse(split.schema);
  if (schemaInUrl !== undefined && !schemaInUrl.success) {
    errors.push(`OUTPOST_DATABASE_URL schema=${JSON.stringify(split?.schema)}: ${schemaInUrl.error.issues[0]?.message ?? "invalid value"}`);
  }
  const urlSchema = schemaInUrl?.success === true ? schemaInUrl.data : undefined;
  if (urlSchema !== undefined && schemaVariable !== undefined && urlSchema !== schemaVariable) {
    errors.push(`OUTPOST_DATABASE_SCHEMA=${JSON.stringify(schemaVariable)} contradicts schema=${JSON.stringify(urlSchema)} in the database URL`);
  }
  const databaseUrl = split?.url;
  const databaseSchema = databaseUrl === undefined ? undefined : (urlSchema ?? schemaVariable);
  const databasePoolSize = read(
    { flag: undefined, variable: "OUTPOST_DB_POOL_SIZE", schema: integerSetting({ min: 1, max: 1000, what: "a number of connections" }) },
    DEFAULT_DB_POOL_SIZE,
  );
  const jobLeaseMs = read<number | undefined>(
    {
      flag: undefined,
      variable: "OUTPOST_JOB_LEASE_MS",
      schema: integerSetting({ min: MIN_JOB_LEASE_MS, max: 24 * 3600 * 1000, what: "milliseconds" }),
    },
    undefined,
  );
  const allowPrivateAddresses = read(
    { flag: undefined, variable: "OUTPOST_ALLOW_PRIVATE_ADDRESSES", schema: booleanSetting },
    false,
  );
  const inboxThread = read({ flag: undefined, variable: "OUTPOST_INBOX_THREAD", schema: booleanSetting }, false);
  const prefix = read({ flag: undefined, variable: "OUTPOST_PREFIX", schema: prefixSetting }, "");
  const logLevel = read<LogLevel | undefined>(
    { flag: undefined, variable: "OUTPOST_LOG_LEVEL", schema: z.string().trim().toLowerCase().pipe(z.enum(LOG_LEVELS)) },
    undefined,
  );
  const trustProxy = read({ flag: undefined, variable: "OUTPOST_TRUST_PROXY", schema: booleanSetting }, false);
  const chatPostActor = read<string | undefined>(
    { flag: undefined, variable: "OUTPOST_CHAT_POST_ACTOR", schema: nonEmpty("expected a local username") },
    undefined,
  );
  const chatPostSecret = read<string | undefined>(
    { flag: undefined, variable: "OUTPOST_CHAT_POST_SECRET", schema: z.string().trim().min(16, "expected a secret of 16 characters or more") },
    undefined,
  );
  const slackSigningSecret = read<string | undefined>(
    { flag: undefined, variable: "OUTPOST_SLACK_SIGNING_SECRET", schema: nonEmpty("expected the Slack app's signing secret") },
    undefined,
  );
  if (chatPostActor !== undefined && chatPostSecret === undefined && slackSigningSecret === undefined) {
    errors.push("OUTPOST_CHAT_POST_ACTOR needs OUTPOST_CHAT_POST_SECRET or OUTPOST_SLACK_SIGNING_SECRET");
  }
  if (chatPostActor === undefined && (chatPostSecret !== undefined || slackSigningSecret !== undefined)) {
    errors.push("a chat post secret is set but OUTPOST_CHAT_POST_ACTOR names no account to post as");
  }
  const chatPost: ChatPostConfig | undefined =
    chatPostActor === undefined
      ? undefined
      : {
          actor: chatPostActor,
          ...(chatPostSecret === undefined ? {} : { bearerSecret: chatPostSecret }),
          ...(slackSigningSecret === undefined ? {} : { slackSigningSecret }),
        };

  if (errors.length > 0) {
    return { ok: false, reason: "invalidConfig", message: `invalid configuration: ${errors.join("; ")}` };
  }
  return {
    ok: true,
    config: {
      origin,
      port,
      host,
      dataDir: resolve(params.cwd, dataDir),
      databaseUrl,
      databaseSchema,
      databasePoolSize,
      jobLeaseMs,
      allowPrivateAddresses,
      inboxThread,
      prefix,
      logLevel,
      trustProxy,
      chatPost,
    },
  };
}

function kebab(name: string): string {
  return name.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);
}
