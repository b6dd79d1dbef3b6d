#!/usr/bin/env python3
"""Prints the constant tables of native/src/hyperbolic.rs and native/src/atan2.rs (python3-mpmath,
300 bits): each value as a double-double (hi, lo), hi the double nearest the value and lo the
double nearest the rest; and ln2/32 split so that n * LN2_32_HI is exact for |n| < 2^17.

    python3 native/tools/make_float_tables.py
"""
import math

from mpmath import atan, floor, ldexp, log, mp, mpf, pi

mp.prec = 300


def dd(v):
    hi = float(v)
    return hi, float(v - mpf(hi))


def truncated(v, bits):
    """v rounded toward zero to `bits` significant bits."""
    s = ldexp(1, bits - math.frexp(float(v))[1])
    return float(floor(v * s) / s)


ln2_32 = log(2) / 32
hi = truncated(ln2_32, 36)
print(f'INV_LN2_32 = {float(32 / log(2))!r}\nLN2_32_HI = {hi!r}\nLN2_32_LO = {float(ln2_32 - mpf(hi))!r}')
print('EXP2_J_32 (2^(j/32), j = 0..31):')
for j in range(32):
    print('    ({!r}, {!r}),'.format(*dd(mpf(2) ** (mpf(j) / 32))))
print('ATAN_I_16 (atan(i/16), i = 0..16):')
for i in range(17):
    print('    ({!r}, {!r}),'.format(*dd(atan(mpf(i) / 16))))
print('PI_LO = {1!r}\nFRAC_PI_2_LO = {0!r}'.format(dd(pi / 2)[1], dd(pi)[1]))
