#!/usr/bin/env python3
"""Accuracy of Deriva's float math against mpmath (python3-mpmath), in ulps of the exact result.

Reads lines `op xhex [yhex] outhex` (IEEE-754 binary64 bits as 16 hex digits) on stdin and
prints one JSON object: per op, the number of finite cases measured, the largest error in ulps
with the input that gives it, and the cases where exactly one side is real (a result where the
true value is undefined, or NaN where it is defined).

Error = |got - exact| / ulp(exact), where ulp(v) = 2^(e - 52) for 2^e <= |v| < 2^(e+1),
and 2^-1074 below the normal range; an infinite result counts as 2^1024 (overflow is then
measured like any other rounding). Used by float-accuracy.test.ts.
"""
import json
import math
import struct
import sys
from fractions import Fraction

import mpmath
from mpmath import mp, mpf

mp.prec = 160  # mpmath raises its working precision itself where it must (huge sin arguments)

TWO_1024 = mpf(2) ** 1024
MAX = mpf(sys.float_info.max)
SKIP = object()
MIN_NORMAL = mpmath.ldexp(1, -1022)


def from_hex(h):
    return struct.unpack('>d', bytes.fromhex(h))[0]


def frac(q):
    return mpf(q.numerator) / q.denominator


def fmod_exact(x, y):
    if y == 0:
        return None
    q = Fraction(x) / Fraction(y)
    return frac(Fraction(x) - Fraction(y) * int(q))  # int() truncates toward zero, like fmod


def signed_inf(negative):
    return mpf('-inf') if negative else mpf('inf')


def neg(x):
    return math.copysign(1.0, x) < 0


def div_exact(x, y):
    if y == 0:
        return None if x == 0 else signed_inf(neg(x) != neg(y))
    return frac(Fraction(x) / Fraction(y))


def log_of(f, lowest=0):
    """A logarithm: -inf at its pole, undefined below it."""
    return lambda x: f(mpf(x)) if x > lowest else mpf('-inf') if x == lowest else None


def real(v):
    return v if isinstance(v, mpf) else None


def in_domain(lo, hi, f):
    return lambda x: real(f(mpf(x))) if lo <= x <= hi else None


def pow_exact(x, y):
    if x == 0:
        odd = y == int(y) and int(y) % 2 == 1
        return signed_inf(neg(x) and odd) if y < 0 else mpf(0) if y > 0 else mpf(1)
    if x < 0 and y != int(y):
        return None
    return real(mpmath.power(mpf(x), mpf(y)))


EXACT = {
    'add': lambda x, y: frac(Fraction(x) + Fraction(y)),
    'sub': lambda x, y: frac(Fraction(x) - Fraction(y)),
    'mul': lambda x, y: frac(Fraction(x) * Fraction(y)),
    'div': div_exact,
    'rem': fmod_exact,
    'neg': lambda x: -mpf(x),
    'abs': lambda x: abs(mpf(x)),
    'sqrt': in_domain(0, math.inf, mpmath.sqrt),
    'cbrt': lambda x: mpmath.cbrt(abs(mpf(x))) * (1 if x >= 0 else -1),
    'exp': lambda x: mpmath.exp(mpf(x)),
    'expm1': lambda x: mpmath.expm1(mpf(x)),
    'log': log_of(mpmath.log),
    'log1p': log_of(mpmath.log1p, -1),
    'log2': log_of(lambda v: mpmath.log(v, 2)),
    'log10': log_of(mpmath.log10),
    'pow': pow_exact,
    'sin': lambda x: mpmath.sin(mpf(x)),
    'cos': lambda x: mpmath.cos(mpf(x)),
    'tan': lambda x: mpmath.tan(mpf(x)),
    'asin': in_domain(-1, 1, mpmath.asin),
    'acos': in_domain(-1, 1, mpmath.acos),
    'atan': lambda x: mpmath.atan(mpf(x)),
    # With a zero argument the result depends on the zero's sign, which mpmath has not.
    'atan2': lambda y, x: SKIP if x == 0 or y == 0 else mpmath.atan2(mpf(y), mpf(x)),
    'sinh': lambda x: mpmath.sinh(mpf(x)),
    'cosh': lambda x: mpmath.cosh(mpf(x)),
    'tanh': lambda x: mpmath.tanh(mpf(x)),
    'hypot': lambda x, y: mpmath.hypot(mpf(x), mpf(y)),
}


def ulp(v):
    """ulp of the binade of v; values past the largest double are measured in its ulp."""
    a = abs(v)
    if a < MIN_NORMAL:
        return mpmath.ldexp(1, -1074)
    if a >= TWO_1024:
        return mpmath.ldexp(1, 971)
    e = math.frexp(float(a))[1] - 1  # float() may round up into the next binade: settle below
    if mpmath.ldexp(1, e) > a:
        e -= 1
    return mpmath.ldexp(1, e - 52)


def measure(lines):
    report = {}
    for line in lines:
        parts = line.split()
        op, args, got = parts[0], [from_hex(h) for h in parts[1:-1]], from_hex(parts[-1])
        r = report.setdefault(op, {'measured': 0, 'maxUlp': 0.0, 'worst': None, 'domainMismatches': [], 'exactZeroMisses': 0})
        if not all(math.isfinite(a) for a in args):
            continue  # IEEE special-case rules: pinned by the golden vectors instead
        exact = EXACT[op](*args)
        if exact is SKIP:
            continue
        pole = exact is not None and mpmath.isinf(exact)
        if exact is None or pole or math.isnan(got):
            # Undefined must give NaN, a pole its infinity, and a defined result no NaN.
            wrong = math.isnan(got) != (exact is None) or (pole and mpf(got) != exact)
            if wrong and len(r['domainMismatches']) < 5:
                r['domainMismatches'].append({'args': parts[1:-1], 'got': parts[-1]})
            continue
        r['measured'] += 1
        err = error_ulps(got, exact)
        if err > r['maxUlp'] or r['worst'] is None and err == 0:
            r['maxUlp'] = err
            r['worst'] = {'args': parts[1:-1], 'got': parts[-1], 'exact': mpmath.nstr(exact, 25)}
    for r in report.values():
        r['maxUlp'] = repr(r['maxUlp'])  # a string: JSON has no Infinity
    return report


def error_ulps(got, exact):
    """|got - exact| in ulps of exact. Past the largest double, IEEE rounds to infinity from
    MAX + half an ulp on, so an infinite result is measured as if it were 2^1024."""
    if math.isinf(got):
        if (got > 0) != (exact > 0):
            return math.inf
        if abs(exact) >= TWO_1024:
            return 0.0
        return float((TWO_1024 - abs(exact)) / ulp(exact))
    if exact == 0:
        return 0.0 if got == 0 else math.inf
    return float(abs(mpf(got) - exact) / ulp(exact))


if __name__ == '__main__':
    json.dump(measure(sys.stdin.read().splitlines()), sys.stdout, indent=1)
    sys.stdout.write('\n')
