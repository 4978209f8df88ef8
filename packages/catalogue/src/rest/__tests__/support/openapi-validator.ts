/**
 * @module rest/__tests__/support/openapi-validator
 * Checks HTTP exchanges against Apache Iceberg's REST catalogue OpenAPI document
 * (`packages/catalogue/spec/rest-catalog-open-api.yaml`). The document is parsed with `yaml` and
 * handed whole to Ajv (OpenAPI 3.1 schemas are JSON Schema 2020-12); each operation's schemas are
 * compiled by JSON pointer, so `$ref`s to `#/components/schemas/...` resolve inside it.
 * `discriminator` is an unknown keyword to Ajv here and is ignored (the `oneOf`/`anyOf` beside it
 * already decide), `nullable` is Ajv's OpenAPI keyword, formats are not checked.
 *
 * `validatingFetch` wraps a `fetch` so that every request and response is checked: the operation
 * is found by method and path template, query parameters must be declared by it, the body must
 * match its request schema, the status must be one it declares, and the body must match that
 * response's schema. Every mismatch is recorded as a violation; tests assert there are none.
 */
import { readFileSync } from "node:fs";
import type { ValidateFunction } from "ajv";
import { Ajv2020 } from "ajv/dist/2020.js";
import { parse } from "yaml";
import type { FetchLike } from "../../http-exchange.js";

const SPEC_FILE = new URL("../../../../spec/rest-catalog-open-api.yaml", import.meta.url);

type Json = Record<string, unknown>;

interface Operation {
  readonly method: string;
  readonly template: string;
  readonly pointer: string;
  readonly node: Json;
  readonly pathItem: Json;
}

const pointerSegment = (segment: string) => segment.replace(/~/g, "~0").replace(/\//g, "~1");

/** The parsed OpenAPI document with compiled validators, cached per pointer. */
export class OpenApiSpec {
  readonly document: Json;
  readonly #ajv: Ajv2020;
  readonly #validators = new Map<string, ValidateFunction>();

  constructor(document: Json) {
    this.document = document;
    this.#ajv = new Ajv2020({
      strict: false,
      allErrors: true,
      validateFormats: false,
      validateSchema: false,
    });
    this.#ajv.addSchema(document, "spec");
  }

  /** Loads the document saved in the package's `spec/` folder. */
  static load(): OpenApiSpec {
    return new OpenApiSpec(parse(readFileSync(SPEC_FILE, "utf8")) as Json);
  }

  /** Follows a local `$ref` (`#/components/...`) to the object it names. */
  resolve(node: unknown): Json {
    let current = node as Json;
    for (let hops = 0; typeof current?.$ref === "string" && hops < 10; hops++) {
      const parts = (current.$ref as string).replace(/^#\//, "").split("/");
      let target: unknown = this.document;
      for (const part of parts)
        target = (target as Json)[part.replace(/~1/g, "/").replace(/~0/g, "~")];
      current = target as Json;
    }
    return current;
  }

  /** The operation for a method and a path below the base URI (`/v1/<prefix>/namespaces`). */
  findOperation(method: string, path: string, prefix: string | undefined): Operation | undefined {
    const paths = this.document.paths as Record<string, Json>;
    for (const [template, pathItem] of Object.entries(paths)) {
      const concrete =
        prefix === undefined
          ? template.replace("/{prefix}", "")
          : template.replace("{prefix}", prefix);
      const pattern = concrete
        .split("/")
        .map((segment) =>
          /^\{.+\}$/.test(segment) ? "[^/]+" : segment.replace(/[.*+?^$()|[\]\\]/g, "\\$&"),
        )
        .join("/");
      if (!new RegExp(`^${pattern}$`).test(path)) continue;
      const node = pathItem[method.toLowerCase()];
      if (node === undefined) continue;
      return {
        method,
        template,
        pointer: `#/paths/${pointerSegment(template)}/${method.toLowerCase()}`,
        node: node as Json,
        pathItem,
      };
    }
    return undefined;
  }

  /** Problems of `value` against the schema at `pointer` (a JSON pointer into the document). */
  check(pointer: string, value: unknown): string[] {
    let validate = this.#validators.get(pointer);
    if (!validate) {
      validate = this.#ajv.compile({ $ref: `spec${pointer}` });
      this.#validators.set(pointer, validate);
    }
    if (validate(value)) return [];
    return (validate.errors ?? []).map(
      (e) => `${e.instancePath || "/"} ${e.message ?? ""} ${JSON.stringify(e.params)}`,
    );
  }

  /** Query parameters the operation declares (path-level ones included): name to schema pointer and schema. */
  queryParameters(op: Operation): Map<string, { pointer: string; schema: Json }> {
    const out = new Map<string, { pointer: string; schema: Json }>();
    const at = `#/paths/${pointerSegment(op.template)}`;
    const lists: [string, unknown][] = [
      [`${at}/parameters`, op.pathItem.parameters],
      [`${at}/${op.method.toLowerCase()}/parameters`, op.node.parameters],
    ];
    for (const [base, list] of lists)
      for (const [i, raw] of ((list as unknown[] | undefined) ?? []).entries()) {
        const ref = (raw as Json).$ref;
        const pointer = typeof ref === "string" ? ref : `${base}/${i}`;
        const parameter = this.resolve(raw);
        if (parameter.in === "query")
          out.set(parameter.name as string, {
            pointer: `${pointer}/schema`,
            schema: this.resolve(parameter.schema),
          });
      }
    return out;
  }

  /** The pointer of the response schema for `status`, `null` for a response without content. */
  responsePointer(op: Operation, status: number): string | null | undefined {
    const responses = op.node.responses as Json;
    const key = [String(status), `${String(status)[0]}XX`, "default"].find(
      (k) => responses[k] !== undefined,
    );
    if (key === undefined) return undefined;
    const declared = responses[key] as Json;
    const base =
      typeof declared.$ref === "string"
        ? (declared.$ref as string).replace(/^#/, "")
        : `/paths/${pointerSegment(op.template)}/${op.method.toLowerCase()}/responses/${key}`;
    const response = this.resolve(declared);
    const content = response.content as Json | undefined;
    if (content?.["application/json"] === undefined) return null;
    const schema = (content["application/json"] as Json).schema as Json;
    // The spec's UnsupportedOperationResponse (and a few view routes) name ErrorModel although
    // their examples, and every other error, wrap it as IcebergErrorResponse: accept the wrapper.
    if (status >= 400 && schema.$ref === "#/components/schemas/ErrorModel")
      return "#/components/schemas/IcebergErrorResponse";
    return `#${base}/content/application~1json/schema`;
  }
}

function queryValue(schema: Json, value: string): unknown {
  if (schema.type === "integer") return /^-?\d+$/.test(value) ? Number(value) : value;
  if (schema.type === "boolean") return value === "true" ? true : value === "false" ? false : value;
  return value;
}

/** Options of {@link validatingFetch}. */
export interface ValidatingFetchOptions {
  /** The catalogue's base URI (`http://host/iceberg`); paths are matched below it. */
  readonly base: string;
  /** The server's prefix, or `undefined` for routes without one. */
  readonly prefix: string | undefined;
  readonly spec: OpenApiSpec;
  /** Where violations are collected (`METHOD path: problem`). */
  readonly violations: string[];
  /** OAuth2 token endpoints outside the base URI, checked as the spec's `getToken` operation. */
  readonly tokenEndpoints?: readonly string[];
}

/** Wraps `inner` so that every exchange is checked against the spec (see the module comment). */
export function validatingFetch(inner: FetchLike, options: ValidatingFetchOptions): FetchLike {
  const { spec, violations } = options;
  return async (input, init) => {
    const url = new URL(input);
    const method = init.method ?? "GET";
    const basePath = new URL(options.base).pathname.replace(/\/$/, "");
    const external = options.tokenEndpoints?.includes(`${url.origin}${url.pathname}`) ?? false;
    const path = external
      ? "/v1/oauth/tokens"
      : url.pathname.startsWith(basePath)
        ? url.pathname.slice(basePath.length)
        : url.pathname;
    const where = `${method} ${url.pathname}${url.search}`;
    const fail = (problem: string) => violations.push(`${where}: ${problem}`);
    const op = spec.findOperation(method, path, options.prefix);
    if (!op) fail("no operation of the spec matches this method and path");
    else {
      const declared = spec.queryParameters(op);
      for (const [name, value] of url.searchParams) {
        const parameter = declared.get(name);
        if (!parameter) fail(`query parameter ${name} is not declared`);
        else
          for (const problem of spec.check(parameter.pointer, queryValue(parameter.schema, value)))
            fail(`query parameter ${name}: ${problem}`);
      }
      const requestBody = op.node.requestBody as Json | undefined;
      const body = typeof init.body === "string" ? init.body : undefined;
      if (requestBody && body === undefined && requestBody.required === true)
        fail("the request body is required");
      if (!requestBody && body !== undefined) fail("this operation takes no request body");
      if (requestBody && body !== undefined) {
        const type = new Headers(init.headers).get("content-type")?.split(";")[0] ?? "";
        const content = (requestBody.content as Json)[type];
        if (!content) fail(`request content type ${type} is not declared`);
        else {
          const value =
            type === "application/json"
              ? JSON.parse(body)
              : Object.fromEntries(new URLSearchParams(body));
          const pointer = `#/paths/${pointerSegment(op.template)}/${method.toLowerCase()}/requestBody/content/${pointerSegment(type)}/schema`;
          for (const problem of spec.check(pointer, value)) fail(`request body ${problem}`);
        }
      }
    }
    const response = await inner(input, init);
    if (!op) return response;
    const text = await response.clone().text();
    const pointer = spec.responsePointer(op, response.status);
    if (pointer === undefined)
      fail(`status ${response.status} is not declared for ${op.node.operationId}`);
    else if (method === "HEAD") {
      if (text !== "") fail("a HEAD response must not have a body");
    } else if (pointer === null) {
      if (text !== "") fail(`status ${response.status} declares no content, but a body came`);
    } else {
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch {
        fail(`the response body is not JSON: ${text.slice(0, 80)}`);
        return response;
      }
      for (const problem of spec.check(pointer, value))
        fail(`response ${response.status} ${problem}`);
    }
    return response;
  };
}
