/**
 * @module scripts/check-packages
 * Checks that every package installs like any npm package: builds them (turbo), packs them with
 * `npm pack`, then runs on each tarball `publint --strict` (exports, files, formats), Are the
 * Types Wrong (`attw`, profile `esm-only`: the packages are ESM only, so `node10` and
 * `require` from `node16` are out of scope) and LakeSync's own packaging rules below. Run by
 * `npm test` (`npm run check:packages`); `--no-build` skips the build.
 *
 * attw imports `typescript`; it depends on an exact 5.x release, which npm installs beside it
 * (`node_modules/@arethetypeswrong/core/node_modules/typescript`), so it never loads the
 * repository's TypeScript 7.
 */
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  checkPackage,
  createPackageFromTarballData,
  type Problem,
  type ResolutionKind,
} from "@arethetypeswrong/core";
import { problemKindInfo } from "@arethetypeswrong/core/problems";
import { publint } from "publint";
import { formatMessage } from "publint/utils";
import { buildPackages, type PackedPackage, packPackages, ROOT } from "./pack-packages.js";

/** What attw's `esm-only` profile ignores: the packages are ESM only, so no `require()`. */
const ESM_ONLY_IGNORES: readonly ResolutionKind[] = ["node10", "node16-cjs"];
/** The export condition the monorepo resolves source through (tsconfig, Vitest, Node). */
const SOURCE_CONDITION = "@lakesync/source";

interface Manifest {
  readonly name: string;
  readonly version: string;
  readonly exports?: Record<string, unknown>;
  readonly dependencies?: Record<string, string>;
  readonly peerDependencies?: Record<string, string>;
}

/** publint's strict findings for one tarball, formatted as publint's CLI prints them. */
async function publintProblems(pkg: PackedPackage): Promise<string[]> {
  const tarball = await readFile(pkg.tarball);
  const bytes = tarball.buffer.slice(tarball.byteOffset, tarball.byteOffset + tarball.byteLength);
  const { messages, pkg: manifest } = await publint({ pack: { tarball: bytes }, strict: true });
  return messages.map(
    (m) => `publint ${m.type} ${m.code}: ${formatMessage(m, manifest, { color: false }) ?? ""}`,
  );
}

/**
 * Are the Types Wrong's problems with one tarball, as `attw --pack --profile esm-only` reports
 * them (the same library, in process: one TypeScript load for every package instead of one each).
 */
async function attwProblems(pkg: PackedPackage): Promise<string[]> {
  const tarball = new Uint8Array(await readFile(pkg.tarball));
  const analysis = await checkPackage(createPackageFromTarballData(tarball));
  if (!analysis.types) return ["attw: the package ships no types"];
  return analysis.problems
    .filter((p) => !("resolutionKind" in p) || !ESM_ONLY_IGNORES.includes(p.resolutionKind))
    .map((p) => {
      const where =
        "entrypoint" in p
          ? ` at "${p.entrypoint}" (${p.resolutionKind})`
          : ` in ${problemLocation(p)}`;
      const info = problemKindInfo[p.kind];
      return `attw ${p.kind}${where}: ${info.description} ${info.docsUrl}`;
    });
}

/** Where a problem that is not about an entry point lies. */
function problemLocation(problem: Problem): string {
  if ("fileName" in problem) return problem.fileName;
  if ("typesFileName" in problem) return problem.typesFileName;
  return "the package";
}

/** The rules publint and attw do not know: source condition, tests, readme, licence, versions. */
function packagingProblems(
  pkg: PackedPackage,
  manifest: Manifest,
  versions: ReadonlyMap<string, string>,
): string[] {
  const problems: string[] = [];
  for (const [subpath, target] of Object.entries(manifest.exports ?? {})) {
    if (typeof target !== "object" || target === null) continue;
    const conditions = Object.keys(target);
    if (conditions[0] !== SOURCE_CONDITION || conditions[1] !== "types")
      problems.push(
        `exports["${subpath}"]: conditions must start with "${SOURCE_CONDITION}", then "types" (found ${conditions.join(", ")})`,
      );
  }
  for (const file of pkg.files) {
    if (/(^|\/)__tests__\//.test(file)) problems.push(`ships a test file: ${file}`);
  }
  for (const required of ["README.md", "LICENSE", "package.json"]) {
    if (!pkg.files.includes(required)) problems.push(`does not ship ${required}`);
  }
  for (const [name, spec] of Object.entries({
    ...manifest.dependencies,
    ...manifest.peerDependencies,
  })) {
    const version = versions.get(name);
    if (version !== undefined && spec !== version)
      problems.push(
        `depends on ${name}@"${spec}": workspace dependencies are exact versions ("${version}")`,
      );
  }
  return problems;
}

const started = performance.now();
if (!process.argv.includes("--no-build")) buildPackages();
const built = performance.now();
const destination = await mkdtemp(join(tmpdir(), "lakesync-check-packages-"));
try {
  const packed = packPackages(destination);
  const versions = new Map(packed.map((p) => [p.name, p.version]));
  let failed = 0;
  for (const pkg of packed) {
    const manifest = JSON.parse(
      await readFile(join(ROOT, pkg.dir, "package.json"), "utf8"),
    ) as Manifest;
    const problems = [
      ...packagingProblems(pkg, manifest, versions),
      ...(await publintProblems(pkg)),
      ...(await attwProblems(pkg)),
    ];
    if (problems.length === 0) {
      console.log(`check-packages: ${pkg.name}: ok (${pkg.files.length} files)`);
      continue;
    }
    failed++;
    console.error(`check-packages: ${pkg.name}: ${problems.length} problem(s)`);
    for (const problem of problems) console.error(`  ${problem.replaceAll("\n", "\n  ")}`);
  }
  const seconds = (ms: number) => (ms / 1000).toFixed(1);
  console.log(
    `check-packages: ${packed.length - failed}/${packed.length} packages pass publint --strict and attw (build ${seconds(built - started)} s, checks ${seconds(performance.now() - built)} s)`,
  );
  if (failed > 0) process.exitCode = 1;
} finally {
  await rm(destination, { recursive: true, force: true });
}
