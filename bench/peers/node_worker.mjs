// Throughput worker for alex and write-good, run by bench/compare.py in one long-running
// node process per tool:
//
//     node bench/peers/node_worker.mjs alex|write-good REPLIES.json SECONDS
//
// Loads the tool from bench/.peers/node_modules, one warm-up pass not counted, then lints
// every reply in a loop until SECONDS have passed (at least one full pass), timing each
// call. Prints one JSON object on stdout. Start-up is reported separately.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const [tool, path, secondsArg] = process.argv.slice(2);
const seconds = Number(secondsArg);
const peers = join(dirname(fileURLToPath(import.meta.url)), "..", ".peers");
const require = createRequire(join(peers, "package.json"));
const t0 = performance.now();

let lint;
let version;
if (tool === "alex") {
  const alex = await import(pathToFileURL(join(peers, "node_modules", "alex", "index.js")).href);
  lint = (text) => alex.text(text).messages.length;
  version = require("alex/package.json").version;
} else if (tool === "write-good") {
  const writeGood = require("write-good");
  lint = (text) => writeGood(text).length;
  version = require("write-good/package.json").version;
} else {
  process.stderr.write(`unknown tool ${tool}\n`);
  process.exit(2);
}

const replies = JSON.parse(readFileSync(path, "utf8"));
lint(replies[0]);
const startup = (performance.now() - t0) / 1000;
for (const text of replies.slice(0, 20)) lint(text); // warm-up, not counted

const latencies = [];
let findings = 0;
const cpu0 = process.cpuUsage();
const start = performance.now();
for (;;) {
  for (const text of replies) {
    const a = performance.now();
    findings += lint(text);
    latencies.push((performance.now() - a) / 1000);
  }
  if ((performance.now() - start) / 1000 >= seconds) break;
}
const elapsed = (performance.now() - start) / 1000;
const cpu = process.cpuUsage(cpu0);
process.stdout.write(
  JSON.stringify({
    tool,
    version,
    done: latencies.length,
    elapsed,
    cpu: (cpu.user + cpu.system) / 1e6,
    latencies,
    findings,
    startup,
    peak_rss_mb: process.resourceUsage().maxRSS / 1024,
  }),
);
