#!/usr/bin/env python3
"""callgrind_classes_test.py: the instruction classes of `benchmarks/
callgrind-ir --classes` on AT&T lines as objdump prints them, and the
census's placing of counts through a perf map, so that a class that stops
being told apart (a spill counted as a load, a zero extension as any move)
fails here rather than in a table of docs/performance.md.

    python3 benchmarks/lib/callgrind_classes_test.py
"""
import collections
import importlib.machinery
import importlib.util
import os
import sys

HERE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, HERE)
loader = importlib.machinery.SourceFileLoader("callgrind_ir", os.path.join(HERE, "callgrind-ir"))
spec = importlib.util.spec_from_loader("callgrind_ir", loader)
cg = importlib.util.module_from_spec(spec)
loader.exec_module(cg)

CASES = [
    ("mov    %ebx,%r12d", "32-bit register move"),
    ("mov    %r15d,%r15d", "32-bit register move"),
    ("mov    %rbx,%rdi", "other move"),
    ("mov    $0x1,%ecx", "other move"),
    ("mov    0x28(%rsp),%rcx", "stack reload"),
    ("mov    %r9,0x58(%rsp)", "stack spill"),
    ("mov    (%r14,%r12,1),%r8d", "load"),
    ("movzbl 0x1(%r14,%r11,1),%r11d", "load"),
    ("mov    %ebx,(%r14,%rcx,1)", "store"),
    ("lea    0x8(%rbx),%ecx", "lea"),
    ("push   %rbp", "push/pop"),
    ("call   *%r10", "call/ret"),
    ("ret", "call/ret"),
    ("jmp    *(%rax,%r15,8)", "jump"),
    ("jae    84201 <w2n:f+0x691>", "conditional branch"),
    ("cmpb   $0x0,(%r14,%rcx,1)", "compare/test"),
    ("add    %r9d,%eax", "arithmetic"),
    ("add    0x4(%rcx,%rsi,1),%eax", "arithmetic with memory"),
    ("nopw   0x0(%rax,%rax,1)", "nop"),
]

fails = 0
for text, want in CASES:
    got = cg.instruction_class(text)
    if got != want:
        print(f"FAIL: {text!r}: {got!r}, expected {want!r}")
        fails += 1

# Counts at run-time addresses land on the object's instructions through
# the perf map; an address outside it counts as outside.
code = {0x1000: "mov    %ebx,%r12d", 0x1003: "mov    0x28(%rsp),%rcx"}
code_map = [(0x7000, 0x7010, "w2n:f")]
syms = {"w2n:f": 0x1000}
per_address = collections.Counter({("?", 0x7000): 5, ("?", 0x7003): 2, ("?", 0x9000): 7})


def place(fn, addr):
    hit = cg.mapped(code_map, addr)
    return syms[hit[1]] + (addr - hit[0]) if hit else None


classes, outside = cg.census(per_address, code, place)
if classes != {"32-bit register move": 5, "stack reload": 2} or outside != 7:
    print(f"FAIL: census {dict(classes)}, outside {outside}")
    fails += 1

print("callgrind classes:", "ok" if not fails else f"{fails} failed")
sys.exit(1 if fails else 0)
