// node-wasi.mjs — runs a WASI command module under node (V8) for
// scripts/bench.sh, the way `wasmbox run` does:
//
//   node --no-warnings bench/node-wasi.mjs MODULE [ARGS...]
//       runs MODULE's _start with argv [MODULE, ARGS...], an empty
//       environment and no preopened directories; exits with its exit code
//   node --no-warnings bench/node-wasi.mjs --invoke NAME MODULE [ARGS...]
//       calls the export NAME with the integer ARGS and prints its result
//       (an i32 prints as a signed decimal, as `wasmbox run --invoke` does)
import { readFileSync } from 'node:fs';
import { argv, exit } from 'node:process';
import { WASI } from 'node:wasi';

let args = argv.slice(2);
let invoke = null;
if (args[0] === '--invoke') {
  invoke = args[1];
  args = args.slice(2);
}
const [path, ...rest] = args;
const wasi = new WASI({ version: 'preview1', args: [path, ...rest], env: {}, preopens: {},
  returnOnExit: true });
const module = await WebAssembly.compile(readFileSync(path));
const instance = await WebAssembly.instantiate(module,
  { wasi_snapshot_preview1: wasi.wasiImport });
if (invoke !== null) {
  console.log(String(instance.exports[invoke](...rest.map(Number))));
} else {
  exit(wasi.start(instance));
}
