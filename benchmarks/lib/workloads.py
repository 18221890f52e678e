"""Deterministic workload files for the WASI programs.

Everything is generated from a fixed-seed xorshift generator written here
(not Python's `random`, whose algorithm may change between versions), so the
same size always gives the same bytes on every machine.
"""
import os


class XorShift:
    def __init__(self, seed):
        self.state = seed & 0xFFFFFFFF or 1

    def next(self):
        x = self.state
        x ^= (x << 13) & 0xFFFFFFFF
        x ^= x >> 17
        x ^= (x << 5) & 0xFFFFFFFF
        self.state = x
        return x

    def below(self, n):
        return self.next() % n


_SYLLABLES = ["ka", "lo", "mi", "ne", "ru", "sa", "to", "vi", "an", "el", "or",
              "us", "ber", "con", "dis", "ex", "gra", "hal", "ing", "jo", "qu",
              "ment", "tion", "str", "pre", "wa", "ze", "yo", "ph", "th"]


def _words(rng, count):
    out = []
    for _ in range(count):
        out.append("".join(_SYLLABLES[rng.below(len(_SYLLABLES))]
                           for _ in range(1 + rng.below(3))))
    return out


def text(size):
    """Pseudo-prose: a Zipf-like vocabulary, sentences and paragraphs."""
    rng = XorShift(0x1EE7)
    vocab = _words(rng, 2000)
    parts, total, col = [], 0, 0
    while total < size:
        # low indices far more often: a skewed vocabulary compresses like text
        w = vocab[min(rng.below(2000), rng.below(2000), rng.below(2000))]
        if rng.below(12) == 0:
            w = w.capitalize()
        sep = ". " if rng.below(15) == 0 else " "
        if rng.below(200) == 0:
            sep = ".\n\n"
        piece = w + sep
        parts.append(piece)
        total += len(piece)
        col += len(piece)
    return "".join(parts).encode()[:size]


def csv(rows):
    """A sales table: quoting, embedded commas, quotes and newlines, a few
    malformed lines the parser must skip."""
    rng = XorShift(0xC5C5)
    cities = ["".join(_SYLLABLES[rng.below(len(_SYLLABLES))] for _ in range(2 + rng.below(2))).capitalize()
              for _ in range(60)]
    items = _words(rng, 500)
    lines = ["id,name,city,price,qty,note"]
    for i in range(rows):
        name = items[rng.below(len(items))]
        if rng.below(10) == 0:
            name = f'"{name}, {items[rng.below(len(items))]}"'
        elif rng.below(25) == 0:
            name = f'"{name} ""deluxe"""'
        city = cities[min(rng.below(60), rng.below(60))]
        price = f"{rng.below(2000)}.{rng.below(100):02d}"
        qty = str(1 + rng.below(20))
        note = ""
        r = rng.below(8)
        if r == 0:
            note = '"multi\nline, note"'
        elif r < 3:
            note = " ".join(items[rng.below(len(items))] for _ in range(1 + rng.below(6)))
        if rng.below(500) == 0:
            price = "n/a"            # bad number: counted as bad, skipped
        if rng.below(700) == 0:
            note = '"unterminated'  # malformed record
        lines.append(f"{i},{name},{city},{price},{qty},{note}")
    return ("\r\n".join(lines) + "\r\n").encode()


def json_doc(orders):
    """An array of orders: nested objects and arrays, escapes (quotes,
    backslashes, newlines, \\u escapes with surrogate pairs), numbers with
    and without fractions, literals.  Written by hand (not json.dumps) so the
    exact bytes do not depend on the Python version."""
    rng = XorShift(0x15011)
    words = _words(rng, 400)
    tags = _words(rng, 40)
    out = ['{"generator": "w2n benchmarks", "version": 1, "orders": [\n']
    for i in range(orders):
        name = " ".join(words[rng.below(400)] for _ in range(1 + rng.below(3))).title()
        r = rng.below(20)
        if r == 0:
            name += ' \\"VIP\\"'
        elif r == 1:
            name += " caf\\u00e9 \\ud83d\\ude00"
        items = []
        for _ in range(1 + rng.below(4)):
            price = f"{rng.below(500)}.{rng.below(100):02d}"
            items.append(f'{{"sku": "{words[rng.below(400)].upper()}-{rng.below(1000)}", '
                         f'"price": {price}, "qty": {1 + rng.below(9)}}}')
        tag_list = ", ".join(f'"{tags[min(rng.below(40), rng.below(40))]}"'
                             for _ in range(rng.below(4)))
        note = "null" if rng.below(3) else f'"line one\\nline two\\t{words[rng.below(400)]}"'
        out.append(f'  {{"id": {i}, "customer": {{"name": "{name}", "tags": [{tag_list}], '
                   f'"score": -{rng.below(100)}.{rng.below(1000):03d}}}, '
                   f'"items": [{", ".join(items)}], "paid": {"true" if rng.below(4) else "false"}, '
                   f'"note": {note}}}{"," if i + 1 < orders else ""}\n')
    out.append("]}\n")
    return "".join(out).encode()


GENERATORS = {"text": lambda p: text(p["bytes"]), "csv": lambda p: csv(p["rows"]),
              "json": lambda p: json_doc(p["orders"])}


def ensure(data_dir, program, params):
    """The path of the workload file for program with params, generated once."""
    if not program.workload:
        return None
    tag = "-".join(f"{k}{v}" for k, v in sorted(params.items()))
    path = os.path.join(data_dir, f"{program.name}-{tag}.in")
    if not os.path.exists(path):
        os.makedirs(data_dir, exist_ok=True)
        data = GENERATORS[program.workload](params)
        tmp = path + ".tmp"
        with open(tmp, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
    return path
