/**
 * Request/response over a child process's IPC channel. The orchestrator asks
 * its helpers (the remote world, the load generator) to do things and waits
 * for the answer; helpers may also announce events unasked.
 */
import type { ChildProcess } from "node:child_process";

/** The commands a helper answers: for each, what it takes and what it gives back. */
export type CommandMap = Record<string, { readonly params: unknown; readonly result: unknown }>;

interface RequestMessage {
  readonly kind: "request";
  readonly id: number;
  readonly command: string;
  readonly params: unknown;
}

type ResponseMessage =
  | { readonly kind: "response"; readonly id: number; readonly ok: true; readonly result: unknown }
  | { readonly kind: "response"; readonly id: number; readonly ok: false; readonly message: string };

interface EventMessage {
  readonly kind: "event";
  readonly event: string;
  readonly payload: unknown;
}

/** The orchestrator's end of a helper's channel. */
export interface IpcClient<M extends CommandMap> {
  request<K extends keyof M & string>(command: K, params: M[K]["params"]): Promise<M[K]["result"]>;
  /** Calls `handler` for every event the helper announces. */
  onEvent(handler: (event: string, payload: unknown) => void): void;
}

/** Parameters of {@link createIpcClient}. */
export interface CreateIpcClientParams {
  readonly child: ChildProcess;
  /** Names the helper in errors. */
  readonly name: string;
}

/** Wraps a forked child's IPC channel; pending requests fail if the child exits. */
export function createIpcClient<M extends CommandMap>(params: CreateIpcClientParams): IpcClient<M> {
  const { child, name } = params;
  let nextId = 1;
  const pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  const eventHandlers: Array<(event: string, payload: unknown) => void> = [];

  child.on("message", (raw: unknown) => {
    const message = raw as ResponseMessage | EventMessage;
    if (message.kind === "event") {
      for (const handler of eventHandlers) handler(message.event, message.payload);
      return;
    }
    if (message.kind !== "response") return;
    const waiter = pending.get(message.id);
    if (waiter === undefined) return;
    pending.delete(message.id);
    if (message.ok) waiter.resolve(message.result);
    else waiter.reject(new Error(`${name}: ${message.message}`));
  });
  child.on("exit", (code, signal) => {
    for (const waiter of pending.values()) waiter.reject(new Error(`${name} exited (${signal ?? code}) during a request`));
    pending.clear();
  });

  return {
    request(command, requestParams) {
      const id = nextId++;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
        const message: RequestMessage = { kind: "request", id, command, params: requestParams };
        child.send(message, (error) => {
          if (error === null) return;
          pending.delete(id);
          reject(error);
        });
      });
    },
    onEvent(handler) {
      eventHandlers.push(handler);
    },
  };
}

/** The handlers of a helper, one per command. */
export type CommandHandlers<M extends CommandMap> = {
  readonly [K in keyof M]: (params: M[K]["params"]) => Promise<M[K]["result"]>;
};

/** Parameters of {@link serveIpc}. */
export interface ServeIpcParams<M extends CommandMap> {
  readonly handlers: CommandHandlers<M>;
}

/** The helper's end: answers the orchestrator's requests; exits when the orchestrator goes away. */
export function serveIpc<M extends CommandMap>(params: ServeIpcParams<M>): void {
  if (process.send === undefined) throw new Error("this script runs as a child of bench/run.ts");
  process.on("message", (raw: unknown) => {
    const message = raw as RequestMessage;
    if (message.kind !== "request") return;
    const handler = params.handlers[message.command] as ((params: unknown) => Promise<unknown>) | undefined;
    const reply = (response: ResponseMessage) => process.send?.(response);
    if (handler === undefined) {
      reply({ kind: "response", id: message.id, ok: false, message: `unknown command ${message.command}` });
      return;
    }
    handler(message.params).then(
      (result) => reply({ kind: "response", id: message.id, ok: true, result }),
      (error: unknown) =>
        reply({ kind: "response", id: message.id, ok: false, message: error instanceof Error ? error.message : String(error) }),
    );
  });
  // An orphaned helper would keep its ports and sockets; it leaves with its parent.
  process.on("disconnect", () => process.exit(0));
}

/** Parameters of {@link emitEvent}. */
export interface EmitEventParams {
  readonly event: string;
  readonly payload: unknown;
}

/** Announces an event to the orchestrator. */
export function emitEvent(params: EmitEventParams): void {
  const message: EventMessage = { kind: "event", event: params.event, payload: params.payload };
  process.send?.(message);
}
