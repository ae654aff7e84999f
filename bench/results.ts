/** The measurements of a run: per server, workload and figure, one value per repetition; and notes. */
import type { WorkloadName } from "./options.ts";
import type { TargetName } from "./servers/target.ts";

/** Where one value belongs. */
export interface FigureAddress {
  readonly server: TargetName;
  readonly workload: WorkloadName;
  readonly figure: string;
}

/** Parameters of {@link Results.note}. */
export interface NoteParams {
  readonly server: TargetName;
  readonly workload: WorkloadName;
  readonly message: string;
}

/** Collected values and notes. */
export interface Results {
  add(params: FigureAddress & { readonly value: number }): void;
  values(params: FigureAddress): readonly number[];
  note(params: NoteParams): void;
  readonly notes: () => readonly NoteParams[];
}

/** An empty result set. */
export function createResults(): Results {
  const values = new Map<string, number[]>();
  const notes: NoteParams[] = [];
  const keyOf = (address: FigureAddress) => `${address.server}\u0000${address.workload}\u0000${address.figure}`;
  return {
    add(params) {
      const key = keyOf(params);
      const list = values.get(key) ?? [];
      list.push(params.value);
      values.set(key, list);
    },
    values: (address) => values.get(keyOf(address)) ?? [],
    note(params) {
      notes.push(params);
    },
    notes: () => notes,
  };
}
