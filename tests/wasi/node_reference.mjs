// node_reference.mjs — run a wasm32-wasi command under Node.js's node:wasi,
// with the same command line as `w2n run`, so that outputs can be compared:
//
//   node node_reference.mjs [--dir HOST[::GUEST]]... [--env K=V]... [--inherit-env]
//                           FILE [ARGS...]
//
// The program's exit status becomes ours; a trap prints "w2n: trap: ..." and
// exits 134, as w2n does.
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import process from 'node:process';

process.emitWarning = () => {};   // node:wasi is "experimental": keep stderr clean
const { WASI } = await import('node:wasi');

const argv = process.argv.slice(2);
const preopens = {};
const env = {};
let inheritEnv = false;
let i = 0;
for (; i < argv.length; i++) {
  const a = argv[i];
  const value = (name) => {
    if (a.startsWith(name + '=')) return a.slice(name.length + 1);
    if (a === name && i + 1 < argv.length) return argv[++i];
    return undefined;
  };
  let v;
  if (a === '--') { i++; break; }
  if (!a.startsWith('-')) break;
  if (a === '--inherit-env') { inheritEnv = true; continue; }
  if ((v = value('--dir')) !== undefined) {
    const sep = v.indexOf('::');
    const host = sep < 0 ? v : v.slice(0, sep);
    const guest = sep < 0 ? v : v.slice(sep + 2);
    preopens[guest] = host;
  } else if ((v = value('--env')) !== undefined) {
    const eq = v.indexOf('=');
    env[v.slice(0, eq)] = v.slice(eq + 1);
  } else {
    process.stderr.write(`node_reference: unknown option ${a}\n`);
    process.exit(2);
  }
}
if (i >= argv.length) {
  process.stderr.write('node_reference: no FILE\n');
  process.exit(2);
}
const file = argv[i];
const args = [basename(file), ...argv.slice(i + 1)];
const wasi = new WASI({
  version: 'preview1',
  args,
  env: inheritEnv ? { ...process.env, ...env } : env,
  preopens,
  returnOnExit: true,
});
let status;
try {
  const module = await WebAssembly.compile(readFileSync(file));
  const instance = await WebAssembly.instantiate(module, wasi.getImportObject());
  status = wasi.start(instance);
} catch (e) {
  process.stderr.write(`w2n: trap: ${e.message}\n`);
  status = 134;
}
process.exitCode = status;
