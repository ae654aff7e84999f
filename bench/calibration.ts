/**
 * How fast the machine is while the bench runs. The same code on the same
 * machine moves by up to a factor of two from one hour to the next, so a run
 * measures the floors its figures stand on, at its start and at its end:
 * RSA-2048 signatures and verifications on one core (a delivery needs one
 * signature, an accepted POST one verification), and the GETs a bare
 * node:http server (servers/bare-http-server.ts) answers to the bench's own
 * load generator. The lines go above the table, so a table read later says
 * how fast its machine was at the time.
 */
import { createPrivateKey, createPublicKey, sign, verify } from "node:crypto";
import type { IpcClient } from "./ipc.ts";
import type { LoadCommands } from "./load/load-protocol.ts";
import { formatNumber } from "./report.ts";
import { speedAgainstTargetMachine } from "./targets.ts";

/** One measurement of the machine's speed. */
export interface MachineSpeed {
  /** When in the run it was taken. */
  readonly when: "start" | "end";
  readonly signaturesPerSecond: number;
  readonly verificationsPerSecond: number;
  /** GETs a second a bare node:http server answered. */
  readonly bareGetsPerSecond: number;
  readonly bareConnections: number;
}

/** Parameters of {@link measureMachineSpeed}. */
export interface MeasureMachineSpeedParams {
  readonly when: MachineSpeed["when"];
  /** An RSA-2048 private key in PEM. */
  readonly privateKeyPem: string;
  readonly load: IpcClient<LoadCommands>;
  /** The bare server's URL. */
  readonly bareUrl: string;
  readonly connections: number;
  /** How long the GETs go on; signing, verifying and warming up the GETs take a quarter of it each. */
  readonly seconds: number;
}

/** A request line and headers about as long as what the bench signs. */
const SIGNED_DATA = Buffer.from(
  "(request-target): post /inbox\nhost: 127.0.0.1:8080\ndate: Sun, 22 Nov 2026 12:00:00 GMT\n" +
    "digest: SHA-256=X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=",
);

/** Measures the machine now: RSA on this thread, then HTTP through the load generator. */
export async function measureMachineSpeed(params: MeasureMachineSpeedParams): Promise<MachineSpeed> {
  const privateKey = createPrivateKey(params.privateKeyPem);
  const publicKey = createPublicKey(privateKey);
  const cryptoMs = (params.seconds * 1000) / 4;
  const signature = sign("sha256", SIGNED_DATA, privateKey);
  const signaturesPerSecond = ratePerSecond(cryptoMs, () => sign("sha256", SIGNED_DATA, privateKey));
  const verificationsPerSecond = ratePerSecond(cryptoMs, () => {
    if (!verify("sha256", SIGNED_DATA, publicKey, signature)) throw new Error("a signature made here did not verify");
  });
  const get = (durationMs: number) =>
    params.load.request("get", {
      url: params.bareUrl,
      headers: [["accept", "application/activity+json"]],
      concurrency: params.connections,
      durationMs,
    });
  // The generator's first GETs of a run are slower while its request code is compiled.
  await get(cryptoMs);
  const gets = await get(params.seconds * 1000);
  const ok = gets.statuses["200"] ?? 0;
  if (ok === 0) throw new Error(`the bare server answered nothing usable: ${JSON.stringify(gets.statuses)}`);
  return {
    when: params.when,
    signaturesPerSecond,
    verificationsPerSecond,
    bareGetsPerSecond: ok / ((gets.finishedAt - gets.startedAt) / 1000),
    bareConnections: params.connections,
  };
}

/** How many times a second `operation` runs, timed for at least `ms`. */
function ratePerSecond(ms: number, operation: () => void): number {
  const began = performance.now();
  let count = 0;
  let elapsed = 0;
  do {
    operation();
    count++;
    elapsed = performance.now() - began;
  } while (elapsed < ms);
  return (count * 1000) / elapsed;
}

/** One measurement as a line: what one core's RSA (also against the machine the targets assume) and the bare server came to, and when. */
export function describeMachineSpeed(speed: MachineSpeed): string {
  const signatures = `${formatNumber({ value: speed.signaturesPerSecond })} RSA-2048 signatures/s (${speedAgainstTargetMachine(speed.signaturesPerSecond)} the targets' machine)`;
  const rsa = `one core signs ${signatures} and verifies ${formatNumber({ value: speed.verificationsPerSecond })}`;
  const bare = `a bare node:http server answers ${formatNumber({ value: speed.bareGetsPerSecond })} GETs/s (${speed.bareConnections} conns)`;
  return `${rsa}; ${bare} (${speed.when} of run)`;
}

/** The lines above the table, one per measurement, the first headed `Speed:`. */
export function formatMachineSpeed(speeds: readonly MachineSpeed[]): string {
  return speeds.map((speed, index) => `${index === 0 ? "Speed:   " : "         "}${describeMachineSpeed(speed)}`).join("\n");
}
