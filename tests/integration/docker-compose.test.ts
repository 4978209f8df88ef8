/**
 * @module tests/integration/docker-compose
 * `docker/docker-compose.yml` cannot be started where the suite runs (no Docker engine), so it
 * is checked by construction: valid against the Compose Specification's JSON schema, every image
 * pinned, every dependency waited on properly, credentials equal to the test defaults, Nessie
 * wired to MinIO, and `docker/README.md` in step with it.
 */
import { readFileSync } from "node:fs";
import { Ajv, type AnySchemaObject, type ValidateFunction } from "ajv";
import draft07 from "ajv/dist/refs/json-schema-draft-07.json";
import { describe, expect, it, vi } from "vitest";
import { parseDocument } from "yaml";

type Scalar = string | number | boolean | null;
interface Service {
  readonly image?: string;
  readonly command?: string | string[] | null;
  readonly environment?: Record<string, Scalar> | string[];
  readonly ports?: (string | number | { target?: number | string; published?: number | string })[];
  readonly depends_on?: string[] | Record<string, { condition?: string }>;
  readonly healthcheck?: { test?: string | string[]; disable?: boolean | string };
  readonly restart?: string;
  readonly volumes?: (string | { target?: string })[];
}
interface ComposeFile {
  readonly services: Record<string, Service>;
}

const read = (name: string) =>
  readFileSync(new URL(`../../docker/${name}`, import.meta.url), "utf8");
const composeText = read("docker-compose.yml");
const readme = read("README.md");
const specSchema: AnySchemaObject = JSON.parse(read("compose-spec.schema.json"));

/** Ajv for the upstream schema as published: it names draft-07 by its https URI, without `#`. */
function composeValidator(): ValidateFunction<ComposeFile> {
  const metaSchema = specSchema.$schema;
  if (typeof metaSchema !== "string") throw new Error("compose-spec.schema.json has no $schema");
  const ajv = new Ajv({ allErrors: true, allowUnionTypes: true, strictTypes: false });
  ajv.addMetaSchema({ ...draft07, $id: metaSchema });
  return ajv.compile<ComposeFile>(specSchema);
}
const validate = composeValidator();

function loadCompose(): ComposeFile {
  const parsed: unknown = parseDocument(composeText).toJS();
  if (!validate(parsed)) throw new Error(JSON.stringify(validate.errors, null, 2));
  return parsed;
}
const compose = loadCompose();
const services = Object.entries(compose.services);

function service(name: string): Service {
  const found = compose.services[name];
  if (!found) throw new Error(`docker-compose.yml has no service ${name}`);
  return found;
}

function env(s: Service): Record<string, string> {
  const raw = s.environment ?? {};
  const pairs = Array.isArray(raw)
    ? raw.map((line) => {
        const eq = line.indexOf("=");
        return eq < 0 ? [line, ""] : [line.slice(0, eq), line.slice(eq + 1)];
      })
    : Object.entries(raw).map(([k, v]) => [k, v === null ? "" : String(v)]);
  return Object.fromEntries(pairs);
}

/** The host port a container port is published on (short `HOST:CONTAINER` or long syntax). */
function published(s: Service, containerPort: number): number | undefined {
  for (const port of s.ports ?? []) {
    if (typeof port === "object") {
      if (Number(port.target) === containerPort) return Number(port.published);
      continue;
    }
    const parts = String(port).split("/")[0]?.split(":") ?? [];
    if (parts.length >= 2 && Number(parts.at(-1)) === containerPort) return Number(parts.at(-2));
  }
  return undefined;
}

/** The location of Nessie's default warehouse (`s3://bucket/path`). */
function nessieWarehouse(): string {
  const nessie = env(service("nessie"));
  const name = nessie["nessie.catalog.default-warehouse"];
  return nessie[`nessie.catalog.warehouses.${name}.location`] ?? "";
}

function dependencies(s: Service): [string, string | undefined][] {
  const deps = s.depends_on ?? {};
  if (Array.isArray(deps)) return deps.map((name) => [name, undefined]);
  return Object.entries(deps).map(([name, d]) => [name, d.condition]);
}

const VERSION_TAG =
  /^(RELEASE\.\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}Z|v?\d+\.\d+(\.\d+)*([-.+][\w.]+)?)$/;
/** Docker Hub repositories reported removed (`pull access denied`). */
const REMOVED = new Set(["minio/minio", "minio/mc", "docker.io/minio/minio", "docker.io/minio/mc"]);

/** Why an image reference is not pinned to a released version, or `undefined` if it is. */
function unpinned(image: string): string | undefined {
  const name = image.split("@")[0] ?? "";
  const colon = name.lastIndexOf(":");
  const tagged = colon > name.lastIndexOf("/");
  const repository = tagged ? name.slice(0, colon) : name;
  if (REMOVED.has(repository)) return `${repository} is no longer published`;
  if (!tagged) return "no tag";
  const tag = name.slice(colon + 1);
  if (!VERSION_TAG.test(tag)) return `tag ${tag} is not a version (major.minor at least)`;
  return undefined;
}

/** The test suite's default connection URLs, as it computes them with no variable set. */
async function testDefaults(): Promise<{ pg: URL; mysql: URL }> {
  vi.stubEnv("LAKESYNC_TEST_PG", undefined);
  vi.stubEnv("LAKESYNC_TEST_MYSQL", undefined);
  vi.resetModules();
  try {
    const defaults = await import("@lakesync/adapter/testing/node");
    return { pg: new URL(defaults.PG_URL), mysql: new URL(defaults.MYSQL_URL) };
  } finally {
    vi.unstubAllEnvs();
  }
}

describe("docker/docker-compose.yml", () => {
  it("parses as YAML without errors or warnings", () => {
    const doc = parseDocument(composeText);
    expect(doc.errors.map(String)).toEqual([]);
    expect(doc.warnings.map(String)).toEqual([]);
  });

  it("is valid against the Compose Specification's JSON schema", () => {
    const parsed: unknown = parseDocument(composeText).toJS();
    expect(validate(parsed), JSON.stringify(validate.errors, null, 2)).toBe(true);
  });

  it("the schema check catches a misspelt key and an unknown dependency condition", () => {
    const broken = structuredClone(parseDocument(composeText).toJS());
    broken.services.postgres.healtcheck = broken.services.postgres.healthcheck;
    broken.services.nessie.depends_on.minio.condition = "service_ready";
    expect(validate(broken)).toBe(false);
    const paths = (validate.errors ?? []).map((e) => e.instancePath);
    expect(paths).toContain("/services/postgres");
    expect(paths).toContain("/services/nessie/depends_on/minio/condition");
  });

  it("pins every image to a released version", () => {
    for (const [name, s] of services) {
      expect(s.image, `${name} has no image`).toBeTypeOf("string");
      expect(unpinned(s.image ?? ""), `${name}: ${s.image}`).toBeUndefined();
    }
  });

  it("the pin check refuses latest, untagged, floating and removed images", () => {
    for (const image of [
      "minio/minio:RELEASE.2025-09-07T16-13-09Z",
      "postgres",
      "postgres:latest",
      "postgres:18",
      "localhost:5000/nessie",
      "ghcr.io/projectnessie/nessie:latest",
    ])
      expect(unpinned(image), image).toBeDefined();
    for (const image of [
      "postgres:18.4",
      "mysql:8.4.11",
      "quay.io/minio/mc:RELEASE.2025-01-02T03-04-05Z",
    ])
      expect(unpinned(image), image).toBeUndefined();
  });

  it("every depends_on names an existing service and a condition", () => {
    for (const [name, s] of services)
      for (const [target, condition] of dependencies(s)) {
        expect(compose.services[target], `${name} depends on unknown ${target}`).toBeDefined();
        expect(condition, `${name} -> ${target} has no condition`).toMatch(
          /^service_(healthy|completed_successfully)$/,
        );
      }
  });

  it("a service waited on as healthy has a health check", () => {
    for (const [name, s] of services)
      for (const [target, condition] of dependencies(s)) {
        if (condition !== "service_healthy") continue;
        const check = service(target).healthcheck;
        expect(check?.test, `${name} waits for ${target} to be healthy`).toBeDefined();
        expect(String(check?.disable ?? false)).toBe("false");
      }
  });

  it("every long-running service has a health check, every one-shot is awaited to completion", () => {
    const awaited = new Set(
      services.flatMap(([, s]) =>
        dependencies(s).flatMap(([t, c]) => (c === "service_completed_successfully" ? [t] : [])),
      ),
    );
    for (const [name, s] of services) {
      if (s.restart === "no") expect(awaited.has(name), `one-shot ${name}`).toBe(true);
      else expect(s.healthcheck?.test, `long-running ${name}`).toBeDefined();
    }
  });

  it("PostgreSQL has the user, database and port of the tests' default URL", async () => {
    const { pg } = await testDefaults();
    const e = env(service("postgres"));
    expect(e.POSTGRES_USER).toBe(decodeURIComponent(pg.username));
    expect(e.POSTGRES_DB).toBe(pg.pathname.slice(1));
    if (pg.password === "") expect(e.POSTGRES_HOST_AUTH_METHOD).toBe("trust");
    else expect(e.POSTGRES_PASSWORD).toBe(decodeURIComponent(pg.password));
    expect(published(service("postgres"), 5432)).toBe(Number(pg.port || 5432));
  });

  it("MySQL has the user, empty password, database and port of the tests' default URL", async () => {
    const { mysql } = await testDefaults();
    const e = env(service("mysql"));
    expect(mysql.username).toBe("root");
    expect(mysql.password).toBe("");
    expect(e.MYSQL_ALLOW_EMPTY_PASSWORD).toMatch(/^(yes|true|1)$/i);
    expect(e.MYSQL_ROOT_PASSWORD).toBeUndefined();
    expect(e.MYSQL_DATABASE).toBe(mysql.pathname.slice(1));
    expect(published(service("mysql"), 3306)).toBe(Number(mysql.port || 3306));
  });

  it("PostgreSQL 18+ keeps its volume at /var/lib/postgresql, where its data now lives", () => {
    const pg = service("postgres");
    const major = Number(/:(\d+)/.exec(pg.image ?? "")?.[1]);
    const targets = (pg.volumes ?? []).map((v) =>
      typeof v === "string" ? (v.split(":")[1] ?? "") : (v.target ?? ""),
    );
    if (major >= 18) expect(targets).toEqual(["/var/lib/postgresql"]);
    else expect(targets).toEqual(["/var/lib/postgresql/data"]);
  });

  it("Nessie keeps its warehouse in the bucket minio-setup creates, with MinIO's credentials", () => {
    const nessie = env(service("nessie"));
    const minio = env(service("minio"));
    const s3 = "nessie.catalog.service.s3.default-options";
    const bucket = new URL(nessieWarehouse()).hostname;
    const setup = [service("minio-setup").command ?? []].flat().join(" ");
    expect(setup).toMatch(new RegExp(`mc mb .*/${bucket}(\\s|$)`));
    expect(new URL(nessie[`${s3}.endpoint`] ?? "").host).toBe("minio:9000");
    expect(nessie[`${s3}.path-style-access`]).toBe("true");
    expect(nessie[`${s3}.access-key`]).toBe(
      "urn:nessie-secret:quarkus:nessie.catalog.secrets.access-key",
    );
    expect(nessie["nessie.catalog.secrets.access-key.name"]).toBe(minio.MINIO_ROOT_USER);
    expect(nessie["nessie.catalog.secrets.access-key.secret"]).toBe(minio.MINIO_ROOT_PASSWORD);
  });

  it("Nessie tells clients on the host to use MinIO's published port, and publishes its own", () => {
    const nessie = env(service("nessie"));
    const external = new URL(
      nessie["nessie.catalog.service.s3.default-options.external-endpoint"] ?? "",
    );
    expect(external.hostname).toMatch(/^(localhost|127\.0\.0\.1)$/);
    expect(Number(external.port)).toBe(published(service("minio"), 9000));
    expect(published(service("nessie"), 19120)).toBe(19120);
  });
});

describe("docker/README.md", () => {
  it("names every image of the compose file", () => {
    for (const [name, s] of services) expect(readme, name).toContain(s.image ?? "<none>");
  });

  it("gives the compose file's credentials, bucket and warehouse in its commands", () => {
    const minio = env(service("minio"));
    const user = minio.MINIO_ROOT_USER ?? "";
    const secret = minio.MINIO_ROOT_PASSWORD ?? "";
    const warehouse = nessieWarehouse();
    for (const line of [
      `LAKESYNC_TEST_S3_ACCESS_KEY=${user}`,
      `LAKESYNC_TEST_S3_SECRET_KEY=${secret}`,
      `AWS_ACCESS_KEY_ID=${user}`,
      `AWS_SECRET_ACCESS_KEY=${secret}`,
      `LAKESYNC_S3_BUCKET=${new URL(warehouse).hostname}`,
      `LAKESYNC_CATALOGUE_WAREHOUSE=${warehouse}`,
      `LAKESYNC_CATALOGUE_URL=http://localhost:${published(service("nessie"), 19120)}/iceberg`,
    ])
      expect(readme).toContain(line);
  });
});
