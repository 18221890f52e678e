#!/usr/bin/env python3
"""`w2n inspect --json` against docs/inspect.schema.json, and against the facts.

    inspect_json_test.py W2N SOURCE_DIR

Compiles a module with imports, a memory, a table, globals, segments, a
start function and a library call, then checks that the JSON validates and
says what the module and the options were: the module's SHA-256, the
triple, the options, imports, exports, limits, the functions with sizes and
relocation counts.  Also an unsealed copy, and the ABI 3.0 object of
tests/data/objects (provenance null).  Exit 77 (skipped) without the
jsonschema module or wat2wasm.
"""
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile

MODULE = r'''
(module
  (import "env" "log" (func $log (param i32)))
  (import "env" "g" (global $g i32))
  (memory (export "mem") 1 4)
  (table (export "tab") 2 funcref)
  (global $count (mut i64) (i64.const 0))
  (elem (i32.const 0) $run $log)
  (data (i32.const 16) "hello")
  (func $run (export "run") (param $n i32) (result i32)
    (call $log (i32.load (local.get $n)))
    (global.set $count (i64.add (global.get $count) (i64.const 1)))
    (memory.grow (global.get $g)))
  (start $init)
  (func $init)
  ;; roundeven is a library call on the baseline x86-64: a relocation in the code.
  (func (export "round") (param f64) (result f64) (f64.nearest (local.get 0))))
'''

failures = []


def check(what, ok):
    print(('ok   ' if ok else 'FAIL ') + what)
    if not ok:
        failures.append(what)


def inspect(w2n, obj):
    out = subprocess.run([w2n, 'inspect', '--json', obj], capture_output=True, text=True)
    if out.returncode != 0:
        sys.exit(f'w2n inspect --json {obj}: status {out.returncode}: {out.stderr}')
    return json.loads(out.stdout)


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    w2n, src = sys.argv[1], sys.argv[2]
    try:
        import jsonschema
    except ImportError:
        print('skipped: no python3 jsonschema module')
        sys.exit(77)
    if not shutil.which('wat2wasm'):
        print('skipped: no wat2wasm')
        sys.exit(77)
    schema = json.load(open(os.path.join(src, 'docs', 'inspect.schema.json')))
    jsonschema.Draft202012Validator.check_schema(schema)
    version = subprocess.run([w2n, '--version'], capture_output=True, text=True,
                             check=True).stdout.split()[-1]

    with tempfile.TemporaryDirectory() as work:
        wat, wasm, obj = (os.path.join(work, n) for n in ('m.wat', 'm.wasm', 'm.o'))
        open(wat, 'w').write(MODULE)
        subprocess.run(['wat2wasm', wat, '-o', wasm], check=True)
        subprocess.run([w2n, 'compile', '-O1', '--bounds-checks=explicit', '--interruptible',
                        '--target=x86_64-linux-gnu', wasm, '-o', obj], check=True)
        d = inspect(w2n, obj)
        try:
            jsonschema.validate(d, schema)
            check('the JSON validates against docs/inspect.schema.json', True)
        except jsonschema.ValidationError as e:
            check(f'the JSON validates: {e.message} at {list(e.absolute_path)}', False)
        m = d['metadata']
        wasm_sha = hashlib.sha256(open(wasm, 'rb').read()).hexdigest()
        check('module_sha256 is the .wasm\'s', m['module_sha256'] == wasm_sha)
        check('abi 6.5', m['abi'] == {'major': 6, 'minor': 5})
        lay = d['load_layout']
        check('laid out for mapping, fewer relocations left to the loader',
              lay['mapped_from_file'] and lay['applied_at_load'] < lay['relocations'])
        check('w2n_version', m['w2n_version'] == version)
        check('target and machine', m['target'] == 'x86_64-linux-gnu' and d['machine'] == 'x86_64')
        check('options', m['opt_level'] == 1 and m['bounds_checks'] == 'explicit' and
              m['interruptible'] and not m['fuel'])
        check('wasm features', 'mvp' in m['wasm_features'] and 'simd' in m['wasm_features'])
        check('imports', [(i['module'], i['name'], i['kind']) for i in m['imports']] ==
              [('env', 'log', 'func'), ('env', 'g', 'global')])
        check('exports', sorted(e['name'] for e in m['exports']) == ['mem', 'round', 'run', 'tab'])
        check('memory limits', m['memories'] == [{'min': 1, 'max': 4, 'index_type': 'i32',
                                                  'shared': False}])
        check('table limits', m['tables'] == [{'element': 'funcref', 'min': 2, 'max': None,
                                               'index_type': 'i32', 'shared': False}])
        check('globals', m['globals'] == [{'type': 'i64', 'mutable': True}])
        check('start and segments', m['start'] == 2 and m['element_segments'] == 1 and
              m['data_segments'] == 1)
        sealed = hashlib.sha256(open(obj, 'rb').read()).hexdigest()
        check('seal', d['seal']['present'] and d['seal']['matches'] and
              not d['seal']['signed'] and len(d['seal']['sha256']) == 64 and sealed)
        names = [f['name'] for f in d['functions']]
        check('functions sorted by name, with sizes', names == sorted(names) and
              all(f['size'] > 0 for f in d['functions'] if f['name'].startswith('w2n_f1')))
        counts = {f['name']: f['relocations'] for f in d['functions']}
        check('the function calling roundeven has relocations, the others none',
              counts.get('w2n_f3', 0) > 0 and counts.get('w2n_f2') == 0)

        # A copy without its seal: described anyway.
        unsealed = os.path.join(work, 'unsealed.o')
        open(unsealed, 'wb').write(open(obj, 'rb').read()[:-144])
        u = inspect(w2n, unsealed)
        jsonschema.validate(u, schema)
        check('an unsealed object: present false, a message',
              not u['seal']['present'] and u['seal']['message'])

    sys.exit(1 if failures else 0)


if __name__ == '__main__':
    main()
