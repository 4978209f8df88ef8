/**
 * @module http/gateway-id
 * What a gateway id may look like: it names a folder on disk and a Durable Object.
 */
import { Err, Ok, type Result, ValidationError } from "@lakesync/core";

const GATEWAY_ID = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/;

/**
 * Checks a gateway id: 1-128 characters of `A-Z a-z 0-9 _ . -`, starting with a letter or a
 * digit (so it can never be `.` or `..` or hide as a dot file). `Err(ValidationError)` names
 * the rule.
 */
export function validateGatewayId(id: unknown): Result<string, ValidationError> {
  if (typeof id === "string" && GATEWAY_ID.test(id)) return Ok(id);
  return Err(
    new ValidationError(
      "gateway ids are 1-128 characters of A-Z a-z 0-9 _ . -, starting with a letter or a digit",
    ),
  );
}
