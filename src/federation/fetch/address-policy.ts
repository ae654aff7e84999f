/**
 * Which network addresses a remote fetch may reach. Anything an attacker could
 * use to make this server talk to itself or its private network (loopback,
 * RFC 1918, link-local, carrier-grade NAT, unique-local, multicast, reserved)
 * is refused unless the operator explicitly allows private addresses.
 */
import { lookup as dnsLookup } from "node:dns/promises";
import { BlockList, isIP } from "node:net";

/** A resolved address of a host name. */
export interface ResolvedAddress {
  readonly address: string;
  readonly family: 4 | 6;
}

/** Resolves a host name to every address it has. */
export type HostResolver = (hostname: string) => Promise<readonly ResolvedAddress[]>;

/** Why a host may not be contacted. */
export type HostCheckFailureReason = "blockedAddress" | "dnsFailure";

/** Outcome of checking a host against the address policy. */
export type HostCheckResult =
  | { readonly ok: true; readonly addresses: readonly ResolvedAddress[] }
  | { readonly ok: false; readonly reason: HostCheckFailureReason; readonly message: string };

const IPV4_BLOCKED: readonly (readonly [string, number])[] = [
  ["0.0.0.0", 8], // "this network", includes the unspecified address
  ["10.0.0.0", 8],
  ["100.64.0.0", 10], // carrier-grade NAT
  ["127.0.0.0", 8],
  ["169.254.0.0", 16], // link-local, where cloud metadata services live
  ["172.16.0.0", 12],
  ["192.0.0.0", 24], // IETF protocol assignments
  ["192.168.0.0", 16],
  ["198.18.0.0", 15], // benchmarking
  ["224.0.0.0", 4], // multicast
  ["240.0.0.0", 4], // reserved, includes broadcast
];

const IPV6_BLOCKED: readonly (readonly [string, number])[] = [
  ["::", 128], // unspecified
  ["::1", 128], // loopback
  ["100::", 64], // discard-only
  ["fc00::", 7], // unique-local
  ["fe80::", 10], // link-local
  ["fec0::", 10], // deprecated site-local, still routed privately by some networks
  ["ff00::", 8], // multicast
];

/**
 * One list for both families. Node's BlockList also matches IPv4-mapped IPv6
 * addresses (`::ffff:10.0.0.1`) against the IPv4 rules, which closes the
 * usual bypass of writing a private IPv4 address in IPv6 form.
 */
const blocked = new BlockList();
for (const [network, prefix] of IPV4_BLOCKED) blocked.addSubnet(network, prefix, "ipv4");
for (const [network, prefix] of IPV6_BLOCKED) blocked.addSubnet(network, prefix, "ipv6");

/** Whether an IP address is one a remote fetch must not reach. Anything that is not an IP address counts as blocked. */
export function isBlockedAddress(address: string): boolean {
  const bare = stripBrackets(address).replace(/%.*$/, "");
  const family = isIP(bare);
  if (family === 4) return blocked.check(bare, "ipv4");
  if (family === 6) return blocked.check(bare, "ipv6");
  return true;
}

/** The system resolver, returning every address so that none can slip past the check. */
export const systemResolver: HostResolver = async (hostname) => {
  const results = await dnsLookup(hostname, { all: true, verbatim: true });
  return results.map((entry) => ({ address: entry.address, family: entry.family === 6 ? 6 : 4 }));
};

/** Parameters of {@link checkHost}. */
export interface CheckHostParameters {
  /** A URL's hostname (IPv6 literals may keep their brackets). */
  readonly hostname: string;
  readonly resolver?: HostResolver;
}

/**
 * Resolves a host and refuses it when any of its addresses is blocked: a
 * host with one public and one private address could otherwise be steered
 * to the private one at connection time.
 */
export async function checkHost(params: CheckHostParameters): Promise<HostCheckResult> {
  const hostname = stripBrackets(params.hostname);
  if (isIP(hostname) !== 0) {
    if (isBlockedAddress(hostname)) {
      return { ok: false, reason: "blockedAddress", message: `${hostname} is a private or reserved address` };
    }
    return { ok: true, addresses: [{ address: hostname, family: isIP(hostname) === 6 ? 6 : 4 }] };
  }
  let addresses: readonly ResolvedAddress[];
  try {
    addresses = await (params.resolver ?? systemResolver)(hostname);
  } catch (error) {
    return { ok: false, reason: "dnsFailure", message: `Could not resolve ${hostname}: ${errorText(error)}` };
  }
  if (addresses.length === 0) {
    return { ok: false, reason: "dnsFailure", message: `${hostname} has no addresses` };
  }
  const bad = addresses.find((entry) => isBlockedAddress(entry.address));
  if (bad !== undefined) {
    return {
      ok: false,
      reason: "blockedAddress",
      message: `${hostname} resolves to ${bad.address}, a private or reserved address`,
    };
  }
  return { ok: true, addresses };
}

function stripBrackets(host: string): string {
  return host.startsWith("[") && host.endsWith("]") ? host.slice(1, -1) : host;
}

function errorText(error: unknown): string {
  if (error instanceof Error) return "code" in error && typeof error.code === "string" ? error.code : error.message;
  return String(error);
}
