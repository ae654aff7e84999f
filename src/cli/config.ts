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
  /** A `postgres://` URL, or undefined for SQLite in the data directory. */
  readonly databaseUrl: string | undefined;
  readonly allowPrivateAddresses: boolean;
  readonly prefix: string;
  /** A pino level; undefined when not set, so each command picks its own default. */
  readonly logLevel: LogLevel | undefined;
  readonly trustProxy: boolean;
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
  const databaseUrl = read<string | undefined>(
    { flag: "databaseUrl", variable: "OUTPOST_DATABASE_URL", schema: databaseUrlSetting },
    undefined,
  );
  const allowPrivateAddresses = read(
    { flag: undefined, variable: "OUTPOST_ALLOW_PRIVATE_ADDRESSES", schema: booleanSetting },
    false,
  );
  const prefix = read({ flag: undefined, variable: "OUTPOST_PREFIX", schema: prefixSetting }, "");
  const logLevel = read<LogLevel | undefined>(
    { flag: undefined, variable: "OUTPOST_LOG_LEVEL", schema: z.string().trim().toLowerCase().pipe(z.enum(LOG_LEVELS)) },
    undefined,
  );
  const trustProxy = read({ flag: undefined, variable: "OUTPOST_TRUST_PROXY", schema: booleanSetting }, false);

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
      allowPrivateAddresses,
      prefix,
      logLevel,
      trustProxy,
    },
  };
}

function kebab(name: string): string {
  return name.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);
}
