#!/usr/bin/env python3
"""Regenerates test/fixtures/dcf-golden.json, the DCF v1 golden vectors.

Independent of the TypeScript code on purpose: this script encodes each recipe straight from
the spec in docs/dcf.md and hashes the bytes with the Debian `b3sum` binary, so the fixture
checks our encoder and our BLAKE3 binding against a second implementation of each.

    python3 test/core/make-golden.py > test/fixtures/dcf-golden.json

Regenerating must not change existing entries: a changed DCF hex or address breaks every
stored recipe address. Add vectors at the end; never edit old ones.
"""
import hashlib
import json
import re
import struct
import subprocess
import sys

RECIPE_CONTEXT = "deriva 2026-11-21 recipe address v1"
TYPE_CODES = {"string": 1, "int": 2, "bool": 3, "bytes": 4}


def u32(n):
    return struct.pack(">I", n)


def lp(b):
    return u32(len(b)) + b


def encode_value(p):
    t, v = p["type"], p["value"]
    if t == "string":
        body = lp(v.encode("utf-8"))
    elif t == "int":
        body = struct.pack(">q", int(v))
    elif t == "bool":
        body = b"\x01" if v else b"\x00"
    else:
        body = lp(bytes.fromhex(v))
    return bytes([TYPE_CODES[t]]) + body


REF_NAME = re.compile(r"[A-Za-z0-9._-]{1,128}")


def encode_input(text):
    """An input as the fixture writes it: 64 hex digits (kind 00) or "ref:NAME" (kind 01)."""
    if text.startswith("ref:"):
        name = text[len("ref:"):]
        assert REF_NAME.fullmatch(name) and name not in (".", ".."), name
        return b"\x01" + lp(name.encode("ascii"))
    return b"\x00" + bytes.fromhex(text)


def encode(r):
    out = b"DCF\x01"
    out += b"\x01" + lp(r["fn"]["name"].encode("utf-8"))
    out += b"\x02" + u32(r["fn"]["version"])
    out += b"\x03" + u32(len(r["inputs"])) + b"".join(encode_input(a) for a in r["inputs"])
    params = sorted(r["params"], key=lambda p: p["key"].encode("utf-8"))  # UTF-8 byte order
    out += b"\x04" + u32(len(params))
    out += b"".join(lp(p["key"].encode("utf-8")) + encode_value(p) for p in params)
    return out


def b3sum(data, *flags):
    res = subprocess.run(["b3sum", "--no-names", *flags], input=data, capture_output=True, check=True)
    return res.stdout.decode().strip()


def addr(label):
    return hashlib.sha256(label.encode()).hexdigest()


def fn(name, version=1):
    return {"name": name, "version": version}


def s(key, value):
    return {"key": key, "type": "string", "value": value}


def i(key, value):
    return {"key": key, "type": "int", "value": str(value)}


def b(key, value):
    return {"key": key, "type": "bool", "value": value}


def by(key, hexstr):
    return {"key": key, "type": "bytes", "value": hexstr}


A, B, C = addr("input a"), addr("input b"), addr("input c")
ZERO, FF = "00" * 32, "ff" * 32

VECTORS = [
    ("one input, no params", fn("upper"), [A], []),
    ("zero inputs, no params", fn("empty"), [], []),
    ("max version", fn("upper", 0xFFFFFFFF), [A], []),
    ("all-zero and all-ff input addresses", fn("concat"), [ZERO, FF], []),
    ("one param of each type", fn("mixed", 3), [A], [s("s", "hello"), i("i", 42), b("t", True), b("f", False), by("x", "00ff")]),
    ("int extremes", fn("ints"), [], [i("min", -(2**63)), i("max", 2**63 - 1), i("zero", 0), i("neg-one", -1)]),
    ("int boundaries of narrower types", fn("ints", 2), [], [i("a", 2**31), i("b", -(2**31) - 1), i("c", 2**32), i("d", 255), i("e", -256)]),
    ("empty string and empty bytes", fn("empties"), [A], [s("s", ""), by("b", "")]),
    ("multi-byte unicode values", fn("replace"), [A], [s("from", "h\u00e9llo w\u00f6rld"), s("to", "\u65e5\u672c\u8a9e \U0001F600")]),
    ("NUL and leading BOM kept verbatim", fn("replace"), [A], [s("from", "\x00"), s("to", "\ufeffbom")]),
    ("unicode keys", fn("keys"), [], [s("\u00e9", "2-byte"), s("\u043a\u043b\u044e\u0447", "cyrillic"), s("\u952e", "3-byte"), s("\U0001F511", "4-byte")]),
    ("UTF-16 order differs from UTF-8 order", fn("keys"), [], [s("\U0001F600", "astral"), s("\uff5e", "bmp-high")]),
    ("private-use vs supplementary key order", fn("keys", 2), [], [s("\U00010000", "astral"), s("\ue000", "pua")]),
    ("keys given in reverse order", fn("sorted"), [A], [i("z", 26), i("y", 25), i("a", 1)]),
    ("prefix keys sort first", fn("sorted"), [], [b("ab", True), b("b", True), b("aa", False), b("a", True)]),
    ("uppercase sorts before lowercase", fn("sorted"), [], [s("a", "lower"), s("B", "upper")]),
    ("NFC and NFD keys are distinct", fn("keys"), [], [s("e\u0301", "nfd"), s("\u00e9", "nfc")]),
    ("many inputs", fn("concat"), [addr(f"input {n}") for n in range(100)], []),
    ("repeated input address", fn("concat"), [A, B, A, A, C], []),
    ("longest function name", fn("a-very-long-function-name-made-of-many-words-for-the-length-test"), [A], []),
    ("long key and long values", fn("grep", 7), [A, B], [s("k" * 300, "v" * 1000), by("blob", bytes(range(256)).hex())]),
    ("string 1 is not int 1 (string)", fn("typed"), [], [s("n", "1")]),
    ("string 1 is not int 1 (int)", fn("typed"), [], [i("n", 1)]),
    ("sort-lines with flags", fn("sort-lines", 2), [C], [b("reverse", True), b("numeric", False), s("locale", "C")]),
    ("everything at once", fn("kitchen-sink", 65536), [C, A, B], [by("\u00ff", "deadbeef"), i("\U0001F600", -12345678901234), s("\uff5e", "~")]),
    ("one ref input", fn("upper"), ["ref:data"], []),
    ("ref and address inputs mixed", fn("concat"), [A, "ref:dataset.v2", B, "ref:dataset.v2"], [s("sep", "\n")]),
    ("ref name of one character", fn("identity"), ["ref:x"], []),
    ("ref name of every allowed character class", fn("identity"), ["ref:Az09._-"], []),
    ("longest ref name", fn("identity"), ["ref:" + "r" * 128], []),
    ("ref named like an address", fn("identity"), ["ref:" + A], []),
]


def main():
    out = []
    for name, f, inputs, params in VECTORS:
        r = {"fn": f, "inputs": inputs, "params": params}
        dcf = encode(r)
        out.append({
            "name": name,
            "recipe": r,
            "dcf": dcf.hex(),
            "address": b3sum(dcf, "--derive-key", RECIPE_CONTEXT),
            "dcfLeafAddress": b3sum(dcf),
        })
    json.dump(out, sys.stdout, indent=2, ensure_ascii=True)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
