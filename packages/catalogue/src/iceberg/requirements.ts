/**
 * @module iceberg/requirements
 * Checking a commit's requirements (REST `TableRequirement`) against a table's current metadata,
 * as every catalogue must before it applies the updates.
 */
import { Err, Ok, type Result } from "@lakesync/core";
import type { TableRequirement } from "../catalogue/updates.js";
import { CatalogueError } from "../errors.js";
import type { TableMetadata } from "./types.js";

/** The snapshot a ref points at, with `main` falling back to `current-snapshot-id`. */
export function refSnapshotId(metadata: TableMetadata, ref: string): number | null {
  const found = metadata.refs?.[ref];
  if (found) return found["snapshot-id"];
  if (ref === "main") return metadata["current-snapshot-id"] ?? null;
  return null;
}

function failed(requirement: TableRequirement, why: string): Err<CatalogueError> {
  return Err(
    new CatalogueError("COMMIT_CONFLICT", `requirement ${requirement.type} failed: ${why}`),
  );
}

function checkOne(
  metadata: TableMetadata | null,
  requirement: TableRequirement,
): Result<void, CatalogueError> {
  if (requirement.type === "assert-create")
    return metadata === null ? Ok(undefined) : failed(requirement, "the table already exists");
  if (metadata === null) return failed(requirement, "the table does not exist");
  const expect = (actual: unknown, expected: unknown, what: string) =>
    actual === expected
      ? Ok(undefined)
      : failed(requirement, `${what} is ${actual}, expected ${expected}`);
  switch (requirement.type) {
    case "assert-table-uuid":
      return expect(metadata["table-uuid"], requirement.uuid, "the table uuid");
    case "assert-ref-snapshot-id": {
      const actual = refSnapshotId(metadata, requirement.ref);
      return expect(actual, requirement["snapshot-id"], `ref "${requirement.ref}"`);
    }
    case "assert-last-assigned-field-id":
      return expect(
        metadata["last-column-id"],
        requirement["last-assigned-field-id"],
        "the last assigned field id",
      );
    case "assert-current-schema-id":
      return expect(
        metadata["current-schema-id"],
        requirement["current-schema-id"],
        "the current schema id",
      );
    case "assert-last-assigned-partition-id":
      return expect(
        metadata["last-partition-id"],
        requirement["last-assigned-partition-id"],
        "the last assigned partition id",
      );
    case "assert-default-spec-id":
      return expect(
        metadata["default-spec-id"],
        requirement["default-spec-id"],
        "the default spec id",
      );
    case "assert-default-sort-order-id":
      return expect(
        metadata["default-sort-order-id"],
        requirement["default-sort-order-id"],
        "the default sort order id",
      );
    default: {
      const type = (requirement as { type?: unknown }).type;
      return Err(
        new CatalogueError(
          "INVALID_INPUT",
          `unknown table requirement type ${JSON.stringify(type)}`,
        ),
      );
    }
  }
}

const KNOWN: ReadonlySet<string> = new Set<TableRequirement["type"]>([
  "assert-create",
  "assert-table-uuid",
  "assert-ref-snapshot-id",
  "assert-last-assigned-field-id",
  "assert-current-schema-id",
  "assert-last-assigned-partition-id",
  "assert-default-spec-id",
  "assert-default-sort-order-id",
]);

/**
 * Checks every requirement against `metadata` (`null` for a table that does not exist yet).
 * Returns `Err(CatalogueError)` with code `COMMIT_CONFLICT` for the first requirement that does
 * not hold (the caller reloads and retries), or `INVALID_INPUT` for an unknown requirement type.
 */
export function checkRequirements(
  metadata: TableMetadata | null,
  requirements: readonly TableRequirement[],
): Result<void, CatalogueError> {
  for (const requirement of requirements) {
    const type = (requirement as { type?: unknown } | null)?.type;
    if (typeof type !== "string" || !KNOWN.has(type))
      return Err(
        new CatalogueError(
          "INVALID_INPUT",
          `unknown table requirement type ${JSON.stringify(type)}`,
        ),
      );
  }
  for (const requirement of requirements) {
    const checked = checkOne(metadata, requirement);
    if (!checked.ok) return checked;
  }
  return Ok(undefined);
}
