/**
 * @module iceberg/avro/avsc-types
 * The part of avsc's runtime-neutral entry (`avsc/etc/browser/avsc-types.js`: types only, no
 * files, streams or services) that this package uses. avsc's own typings describe its Node entry
 * and pull in Node's `stream`, so the narrow surface is declared here instead.
 */
declare module "avsc/etc/browser/avsc-types.js" {
  /** An Avro type built from a schema. Buffers are Node `Buffer`s (a `Uint8Array` subclass). */
  interface AvscType {
    /** Encodes one value; throws when it does not match the type. */
    toBuffer(value: unknown): Uint8Array;
    /** Decodes one value at `position`; `offset` is -1 when the buffer is too short. */
    decode(buffer: Uint8Array, position?: number): { value: unknown; offset: number };
    /** Checks a value, calling `errorHook` with the path of each mismatch. */
    isValid(
      value: unknown,
      options?: { errorHook?: (path: string[], value: unknown) => void },
    ): boolean;
  }
  const avsc: {
    Type: {
      forSchema(schema: unknown, options?: { wrapUnions?: boolean | "auto" }): AvscType;
    };
  };
  export = avsc;
}
