// Adds up the <Counters> of every TRX file under a folder and prints "N passed, N failed, N skipped".
// Exits 1 when no test ran at all, so that a silent run cannot pass.
const fs = require('fs');
const path = require('path');

const root = process.argv[2];
const totals = { passed: 0, failed: 0, skipped: 0, executed: 0 };
const walk = (dir) => fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
  e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)]);

for (const file of walk(root).filter((f) => f.endsWith('.trx'))) {
  const counters = /<Counters\b([^>]*)\/?>/.exec(fs.readFileSync(file, 'utf8'));
  if (!counters) continue;
  const attr = (name) => Number((new RegExp(`\\b${name}="(\\d+)"`).exec(counters[1]) || [0, 0])[1]);
  totals.passed += attr('passed');
  totals.failed += attr('failed') + attr('error') + attr('timeout') + attr('aborted');
  totals.skipped += attr('notExecuted');
  totals.executed += attr('executed');
}

console.log(`${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(totals.executed > 0 ? 0 : 1);
