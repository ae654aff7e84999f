/**
 * A draft of the store's next state. Writes never touch the committed tables
 * that readers see: the first write to a table copies it into the draft, and
 * later writes change that copy. The draft becomes the committed state only
 * once it is safely on disk; until then, dropping it undoes everything.
 *
 * Several callers' writes can share one draft (and one disk write). Each of
 * them runs after a savepoint, so a caller that fails is rolled back alone.
 */
import { TABLES, type Rows, type TableName, type Tables } from "./tables.ts";

/** Read access to the tables, committed or drafted. */
export interface TableView {
  rows<N extends TableName>(name: N): ReadonlyMap<string, Rows[N]>;
}

/** A point a draft can be rolled back to. */
export interface Savepoint {
  readonly undoLength: number;
}

type UndoEntry =
  | { kind: "row"; table: TableName; key: string; previous: unknown; existed: boolean }
  | { kind: "seq"; table: TableName; previous: number };

/** Where a draft starts from. */
export interface DraftParameters {
  readonly base: Tables;
}

/** Pending changes over a committed state. */
export class Draft implements TableView {
  readonly #base: Tables;
  readonly #copies = new Map<TableName, Map<string, unknown>>();
  readonly #nextSeq = new Map<TableName, number>();
  readonly #undo: UndoEntry[] = [];

  constructor(params: DraftParameters) {
    this.#base = params.base;
  }

  rows<N extends TableName>(name: N): ReadonlyMap<string, Rows[N]> {
    return (this.#copies.get(name) ?? this.#base.rows[name]) as ReadonlyMap<string, Rows[N]>;
  }

  /** Inserts or replaces a row under its key. The row must not be changed afterwards. */
  put<N extends TableName>(name: N, row: Rows[N]): void {
    const key = TABLES[name].key(row as never);
    const table = this.#own(name);
    this.#undo.push({ kind: "row", table: name, key, previous: table.get(key), existed: table.has(key) });
    table.set(key, row);
  }

  /** Removes the row with `key`; returns it, or undefined if there was none. */
  delete<N extends TableName>(name: N, key: string): Rows[N] | undefined {
    if (!this.rows(name).has(key)) return undefined;
    const table = this.#own(name);
    const previous = table.get(key) as Rows[N];
    this.#undo.push({ kind: "row", table: name, key, previous, existed: true });
    table.delete(key);
    return previous;
  }

  /** Hands out the table's next seq. */
  takeSeq(name: TableName): number {
    const current = this.#nextSeq.get(name) ?? this.#base.nextSeq[name];
    this.#undo.push({ kind: "seq", table: name, previous: current });
    this.#nextSeq.set(name, current + 1);
    return current;
  }

  savepoint(): Savepoint {
    return { undoLength: this.#undo.length };
  }

  /** Undoes every change made since `savepoint`. */
  rollbackTo(savepoint: Savepoint): void {
    while (this.#undo.length > savepoint.undoLength) {
      const entry = this.#undo.pop()!;
      if (entry.kind === "seq") {
        this.#nextSeq.set(entry.table, entry.previous);
        continue;
      }
      const table = this.#own(entry.table);
      if (entry.existed) table.set(entry.key, entry.previous);
      else table.delete(entry.key);
    }
  }

  /** Tables with changes still standing (rolled-back ones do not count). */
  changedTables(): TableName[] {
    return [...new Set(this.#undo.map((entry) => entry.table))];
  }

  /** Whether anything was written and kept. */
  hasChanges(): boolean {
    return this.#undo.length > 0;
  }

  /** The state the draft describes: the base with the drafted tables swapped in. */
  result(): Tables {
    const rows = { ...this.#base.rows };
    const nextSeq = { ...this.#base.nextSeq };
    for (const [name, table] of this.#copies) (rows as Record<TableName, unknown>)[name] = table;
    for (const [name, value] of this.#nextSeq) nextSeq[name] = value;
    return { rows, nextSeq };
  }

  #own(name: TableName): Map<string, unknown> {
    let copy = this.#copies.get(name);
    if (copy === undefined) {
      copy = new Map(this.#base.rows[name] as Map<string, unknown>);
      this.#copies.set(name, copy);
    }
    return copy;
  }
}
