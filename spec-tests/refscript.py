"""refscript - read a script that the reference interpreter wrote in binary form.

The Wasm 3.0 suite uses syntax that Debian's wast2json cannot read, so the
harness has the specification's reference interpreter rewrite each script
with every module in binary form (`wasm -d FILE.wast -o FILE.bin.wast`) and
reads that here.  The result is the list of commands wast2json would have
produced (the same dictionaries, the same value encoding: numbers as decimal
strings of their bits), with each module written to a `.wasm` file, so the
rest of the harness does not care which converter ran.

What 3.0 scripts add, and how it maps:
  (module definition $M binary ...)  -> "module_definition" (must validate)
  (module instance $I $M)            -> "module" with M's file, named $I
  (assert_trap (module instance) T)  -> "assert_uninstantiable"
  (assert_exception ACTION)          -> "assert_exception"
  (either V1 V2 ...)                 -> {"type": "either", "values": [...]}
  (ref.extern N), (ref.null T), (ref.func), (ref.host N), (ref.i31),
  (ref.struct), (ref.array), (ref.eq), (ref), (ref.null)  -> see value()
Line numbers are those of the .bin.wast file (kept in the work directory):
the reference interpreter does not carry the original positions over.

Python 3 standard library only.
"""

import math
import struct

# ---- reading S-expressions ------------------------------------------------------

ESCAPES = {"n": 0x0a, "t": 0x09, "r": 0x0d, '"': 0x22, "'": 0x27, "\\": 0x5c}


class ScriptError(ValueError):
    """The script does not have the shape this reader expects."""


def _string(text, i, line):
    """Read the string literal opening at text[i]; (bytes, next index)."""
    out = bytearray()
    i += 1
    while True:
        if i >= len(text):
            raise ScriptError(f"line {line}: unterminated string")
        c = text[i]
        if c == '"':
            return bytes(out), i + 1
        if c != "\\":
            out += c.encode("utf-8")
            i += 1
            continue
        e = text[i + 1:i + 2]
        if e in ESCAPES:
            out.append(ESCAPES[e])
            i += 2
        elif e == "u":
            end = text.index("}", i)
            out += chr(int(text[i + 3:end].replace("_", ""), 16)).encode("utf-8",
                                                                         "surrogatepass")
            i = end + 1
        else:
            out.append(int(text[i + 1:i + 3], 16))
            i += 3


class Atom(str):
    """A keyword, number or $name (strings arrive as bytes)."""


def parse(text):
    """The top-level forms of a script, each as (line, nested list)."""
    forms, stack = [], []
    i, line, n = 0, 1, len(text)
    while i < n:
        c = text[i]
        if c == "\n":
            line += 1
            i += 1
        elif c in " \t\r":
            i += 1
        elif c == ";" and text.startswith(";;", i):
            i = text.find("\n", i)
            i = n if i < 0 else i
        elif c == "(" and text.startswith("(;", i):
            end = text.find(";)", i)
            if end < 0:
                raise ScriptError(f"line {line}: unterminated block comment")
            line += text.count("\n", i, end)
            i = end + 2
        elif c == "(":
            stack.append((line, []))
            i += 1
        elif c == ")":
            if not stack:
                raise ScriptError(f"line {line}: unbalanced ')'")
            start, form = stack.pop()
            if stack:
                stack[-1][1].append(form)
            else:
                forms.append((start, form))
            i += 1
        elif c == '"':
            s, i = _string(text, i, line)
            if not stack:
                raise ScriptError(f"line {line}: string outside a form")
            stack[-1][1].append(s)
        else:
            j = i
            while j < n and text[j] not in ' \t\r\n()";':
                j += 1
            if not stack:
                raise ScriptError(f"line {line}: atom outside a form")
            stack[-1][1].append(Atom(text[i:j]))
            i = j
    if stack:
        raise ScriptError("unbalanced '(' at the end")
    return forms


# ---- values --------------------------------------------------------------------

INT_BITS = {"i8": 8, "i16": 16, "i32": 32, "i64": 64}
LANES = {"i8x16": ("i8", 16), "i16x8": ("i16", 8), "i32x4": ("i32", 4), "i64x2": ("i64", 2),
         "f32x4": ("f32", 4), "f64x2": ("f64", 2)}
FLOAT_LAYOUT = {"f32": (8, 23), "f64": (11, 52)}     # exponent bits, fraction bits


def int_bits(kind, text):
    v = int(text.replace("_", ""), 0)
    return str(v & ((1 << INT_BITS[kind]) - 1))


def float_bits(kind, text):
    """Decimal string of the bits of a float literal; NaN patterns stay text."""
    t = text.replace("_", "")
    if t in ("nan:canonical", "nan:arithmetic"):
        return t
    exp_bits, frac_bits = FLOAT_LAYOUT[kind]
    sign = 1 if t.startswith("-") else 0
    body = t.lstrip("+-")
    if body.startswith("nan"):
        payload = int(body[4:], 16) if body.startswith("nan:") else 1 << (frac_bits - 1)
        bits = (sign << (exp_bits + frac_bits)) | (((1 << exp_bits) - 1) << frac_bits) | payload
        return str(bits)
    if body == "inf":
        value = -math.inf if sign else math.inf
    elif body.lower().startswith("0x"):
        value = float.fromhex(t)         # the interpreter prints exact values
    else:
        value = float(t)
    if kind == "f32":
        return str(struct.unpack("<I", struct.pack("<f", value))[0])
    return str(struct.unpack("<Q", struct.pack("<d", value))[0])


REF_TYPES = {"func": "funcref", "extern": "externref", "exn": "exnref", "any": "anyref",
             "eq": "eqref", "i31": "i31ref", "struct": "structref", "array": "arrayref",
             "none": "nullref", "nofunc": "nullfuncref", "noextern": "nullexternref",
             "noexn": "nullexnref"}


# Results that name a kind of reference, not a value (the interpreter's
# RefTypePat): `(ref)` is any non-null anyref, `(ref.eq)` an i31, struct or
# array, ...
NONNULL_FORMS = {"ref": "anyref", "ref.any": "anyref", "ref.eq": "eqref", "ref.i31": "i31ref",
                 "ref.struct": "structref", "ref.array": "arrayref", "ref.func": "funcref",
                 "ref.exn": "exnref"}


def value(form):
    """One (T.const ...), (ref.* ...) or (either ...) form as wast2json's dict."""
    if not isinstance(form, list) or not form:
        raise ScriptError(f"expected a value, got {form!r}")
    head = form[0]
    if head == "either":
        return {"type": "either", "values": [value(f) for f in form[1:]]}
    if head in ("i32.const", "i64.const"):
        return {"type": head[:3], "value": int_bits(head[:3], form[1])}
    if head in ("f32.const", "f64.const"):
        return {"type": head[:3], "value": float_bits(head[:3], form[1])}
    if head == "v128.const":
        lane, count = LANES[form[1]]
        texts = form[2:]
        if len(texts) != count:
            raise ScriptError(f"v128.const {form[1]} needs {count} lanes")
        conv = float_bits if lane[0] == "f" else int_bits
        return {"type": "v128", "lane_type": lane, "value": [conv(lane, x) for x in texts]}
    if head == "ref.null":
        if len(form) < 2:                # any null, whatever its type
            return {"type": "ref", "value": "null"}
        return {"type": REF_TYPES.get(form[1], "ref"), "value": "null", "heap": str(form[1])}
    if head == "ref.extern":
        if len(form) < 2:
            return {"type": "externref", "value": "nonnull"}
        return {"type": "externref", "value": str(int(form[1].replace("_", ""), 0))}
    if head == "ref.host":               # the anyref of host value N
        return {"type": "hostref", "value": str(int(form[1].replace("_", ""), 0))}
    if head in NONNULL_FORMS and len(form) == 1:
        return {"type": NONNULL_FORMS[head], "value": "nonnull"}
    raise ScriptError(f"unknown value form {head}")


# ---- commands ------------------------------------------------------------------

class Converter:
    """Turns forms into wast2json-style commands, writing module files."""

    def __init__(self, stem, work):
        self.stem, self.work = stem, work
        self.count = 0
        self.definitions = {}        # $name -> file; None -> the last one

    def write_module(self, parts):
        data = b"".join(p for p in parts if isinstance(p, bytes))
        name = f"{self.stem}.{self.count}.wasm"
        self.count += 1
        (self.work / name).write_bytes(data)
        return name

    def module_form(self, form):
        """(module [definition] [$id] binary "..."...) or (module instance [$i] [$m]);
        returns (kind, filename, name) with kind 'module', 'definition' or 'instance'."""
        rest = list(form[1:])
        if rest and rest[0] == "instance":
            ids = [x for x in rest[1:] if isinstance(x, str) and x.startswith("$")]
            inst = ids[0] if ids else None
            mod = ids[1] if len(ids) > 1 else (ids[0] if ids and ids[0] in self.definitions
                                               else None)
            if mod not in self.definitions:
                raise ScriptError(f"module instance of unknown definition {mod}")
            return "instance", self.definitions[mod], inst
        kind = "module"
        if rest and rest[0] == "definition":
            kind, rest = "definition", rest[1:]
        name = None
        if rest and isinstance(rest[0], str) and rest[0].startswith("$"):
            name, rest = rest[0], rest[1:]
        if not rest or rest[0] != "binary":
            raise ScriptError(f"module in a form other than binary: {rest[:1]}")
        filename = self.write_module(rest[1:])
        if kind == "definition":
            self.definitions[name] = filename
            self.definitions[None] = filename
        return kind, filename, name

    @staticmethod
    def action(form):
        head = form[0]
        rest = list(form[1:])
        module = None
        if rest and isinstance(rest[0], str) and rest[0].startswith("$"):
            module, rest = rest[0], rest[1:]
        field = rest[0].decode("utf-8", "surrogateescape")
        act = {"type": str(head), "field": field}
        if module:
            act["module"] = module
        if head == "invoke":
            act["args"] = [value(a) for a in rest[1:]]
        elif head != "get":
            raise ScriptError(f"unknown action {head}")
        return act

    def command(self, line, form):
        head = form[0]
        if head == "module":
            kind, filename, name = self.module_form(form)
            if kind == "definition":
                return {"type": "module_definition", "line": line, "filename": filename,
                        "module_type": "binary"}
            c = {"type": "module", "line": line, "filename": filename, "module_type": "binary"}
            if name:
                c["name"] = name
            return c
        if head == "register":
            c = {"type": "register", "line": line, "as": form[1].decode("utf-8")}
            if len(form) > 2:
                c["name"] = str(form[2])
            return c
        if head in ("invoke", "get"):
            return {"type": "action", "line": line, "action": self.action(form)}
        if head == "assert_return":
            return {"type": "assert_return", "line": line, "action": self.action(form[1]),
                    "expected": [value(v) for v in form[2:]]}
        if head in ("assert_trap", "assert_exhaustion", "assert_exception"):
            target = form[1]
            text = form[2].decode("utf-8") if len(form) > 2 else ""
            if target[0] == "module":
                _, filename, _ = self.module_form(target)
                return {"type": "assert_uninstantiable", "line": line, "filename": filename,
                        "module_type": "binary", "text": text}
            return {"type": str(head), "line": line, "action": self.action(target),
                    "text": text}
        if head in ("assert_invalid", "assert_malformed", "assert_unlinkable"):
            _, filename, _ = self.module_form(form[1])
            return {"type": str(head), "line": line, "filename": filename,
                    "module_type": "binary", "text": form[2].decode("utf-8")}
        raise ScriptError(f"line {line}: unknown command {head}")


def commands(text, stem, work):
    """The commands of a binary-form script; modules are written into `work`."""
    conv = Converter(stem, work)
    return [conv.command(line, form) for line, form in parse(text)]
