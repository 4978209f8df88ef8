import type { LakeSyncError, Result } from "@lakesync/core";
import type { Catalogue, LoadedTable, TableIdentifier } from "../../catalogue/catalogue.js";
import type { TableRequirement, TableUpdate } from "../../catalogue/updates.js";

/** A catalogue that forwards to `inner` but lets a test change what `commitTable` does. */
export class ScriptedCatalogue implements Catalogue {
  readonly name = "scripted";
  commits = 0;
  constructor(
    readonly inner: Catalogue,
    readonly onCommit: (
      n: number,
      forward: () => Promise<Result<LoadedTable, LakeSyncError>>,
    ) => Promise<Result<LoadedTable, LakeSyncError>>,
  ) {}
  listNamespaces = (...a: Parameters<Catalogue["listNamespaces"]>) =>
    this.inner.listNamespaces(...a);
  createNamespace = (...a: Parameters<Catalogue["createNamespace"]>) =>
    this.inner.createNamespace(...a);
  loadNamespace = (...a: Parameters<Catalogue["loadNamespace"]>) => this.inner.loadNamespace(...a);
  dropNamespace = (...a: Parameters<Catalogue["dropNamespace"]>) => this.inner.dropNamespace(...a);
  listTables = (...a: Parameters<Catalogue["listTables"]>) => this.inner.listTables(...a);
  createTable = (...a: Parameters<Catalogue["createTable"]>) => this.inner.createTable(...a);
  loadTable = (...a: Parameters<Catalogue["loadTable"]>) => this.inner.loadTable(...a);
  dropTable = (...a: Parameters<Catalogue["dropTable"]>) => this.inner.dropTable(...a);
  close = () => this.inner.close();
  commitTable(
    table: TableIdentifier,
    requirements: readonly TableRequirement[],
    updates: readonly TableUpdate[],
  ) {
    this.commits++;
    return this.onCommit(this.commits, () => this.inner.commitTable(table, requirements, updates));
  }
}
