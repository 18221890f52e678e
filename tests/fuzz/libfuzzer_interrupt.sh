#!/usr/bin/env bash
# An interrupted libFuzzer run is reported as interrupted (exit 130), never
# as a finding: runs the decode smoke for up to 60 s, sends SIGINT to the
# fuzzer once it is running, and checks run-libfuzzer's exit and message.
set -u
run_libfuzzer="$1"
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
"$run_libfuzzer" --smoke decode 60 >"$log" 2>&1 &
script=$!
fuzzer=""
for _ in $(seq 1 600); do
  fuzzer=$(pgrep -P "$script" -f w2n-lf-decode || true)
  # Wait for libFuzzer's first status line: its SIGINT handler is set by then.
  [ -n "$fuzzer" ] && grep -q "INITED\|pulse" "$log" && break
  kill -0 "$script" 2>/dev/null || break
  sleep 0.1
done
if [ -z "$fuzzer" ]; then
  wait "$script"
  rc=$?
  [ $rc -eq 77 ] && { cat "$log"; exit 77; }
  echo "FAIL: the fuzzer never started (exit $rc)"; cat "$log"; exit 1
fi
kill -INT "$fuzzer"
wait "$script"
rc=$?
if [ $rc -ne 130 ] || ! grep -q "decode: interrupted after .*; no finding" "$log" ||
  grep -q "finding (libFuzzer exit" "$log"; then
  echo "FAIL: exit $rc"; cat "$log"; exit 1
fi
echo "PASS: interrupted run reported as such (exit 130)"
