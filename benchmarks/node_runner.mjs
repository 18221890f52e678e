// node_runner.mjs: runs a benchmark module under Node.js (V8), for the
// benchmark runner.  The V8 tier is chosen by the node flags the runner
// passes (--no-liftoff: TurboFan only; --liftoff --no-wasm-tier-up: Liftoff
// only).
//
//   node node_runner.mjs kernel MODULE.wasm EXPORT N
//       instantiates the import-free kernel, calls EXPORT(N) and prints the
//       i32 result as an unsigned decimal, like the native driver.
//   node node_runner.mjs wasi MODULE.wasm [--dir HOST::GUEST]... -- ARGS...
//       runs a WASI preview 1 command with node:wasi; ARGS become argv[1..].
import fs from 'node:fs';
import process from 'node:process';

function usage() {
  console.error('usage: node_runner.mjs kernel WASM EXPORT N | wasi WASM [--dir HOST::GUEST]... -- ARGS...');
  process.exit(2);
}

async function runKernel(file, name, n) {
  const { instance } = await WebAssembly.instantiate(fs.readFileSync(file), {});
  const fn = instance.exports[name];
  if (typeof fn !== 'function') {
    console.error(`node_runner: no exported function ${name}`);
    process.exit(1);
  }
  const result = fn(Number(n));
  console.log(String(result >>> 0));
}

async function runWasi(file, rest) {
  const { WASI } = await import('node:wasi');
  const preopens = {};
  let i = 0;
  for (; i < rest.length && rest[i] !== '--'; i++) {
    if (rest[i] !== '--dir' || i + 1 >= rest.length) usage();
    const spec = rest[++i];
    const sep = spec.indexOf('::');
    const host = sep < 0 ? spec : spec.slice(0, sep);
    const guest = sep < 0 ? spec : spec.slice(sep + 2);
    preopens[guest] = host;
  }
  const args = [file, ...rest.slice(i + 1)];
  const wasi = new WASI({ version: 'preview1', args, env: {}, preopens, returnOnExit: true });
  const module = await WebAssembly.compile(fs.readFileSync(file));
  const instance = await WebAssembly.instantiate(module, wasi.getImportObject());
  process.exitCode = wasi.start(instance);
}

const [mode, file, ...rest] = process.argv.slice(2);
if (mode === 'kernel' && rest.length === 2) await runKernel(file, rest[0], rest[1]);
else if (mode === 'wasi' && file) await runWasi(file, rest);
else usage();
