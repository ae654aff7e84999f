/**
 * An API object whose module loads on the first call of any of its methods.
 * The publishing and approval APIs sit on the outbox actions, some fifty
 * modules a server does not need before its first answer; loading them then
 * made every start slower, whether or not the process ever published.
 */

/** The names of every method of `T`, as an object literal, so a method added to `T` cannot be left out. */
export type MethodNames<T> = { readonly [K in keyof T]: true };

/** Parameters of {@link lazyMethods}. */
export interface LazyMethodsParams<T> {
  /** Builds the real object; called once, on the first call. */
  readonly load: () => Promise<T>;
  readonly methods: MethodNames<T>;
}

/**
 * An object with the same async methods as the one `load` builds. If loading
 * fails, that call rejects and the next call tries again.
 */
export function lazyMethods<T extends { [K in keyof T]: (...args: never[]) => Promise<unknown> }>(params: LazyMethodsParams<T>): T {
  let loading: Promise<T> | undefined;
  const target = (): Promise<T> => {
    loading ??= params.load().catch((error: unknown) => {
      loading = undefined;
      throw error;
    });
    return loading;
  };
  const api: Record<string, unknown> = {};
  for (const name of Object.keys(params.methods)) {
    api[name] = async (...args: unknown[]) => {
      const loaded = (await target()) as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>;
      return loaded[name]!(...args);
    };
  }
  return api as T;
}
