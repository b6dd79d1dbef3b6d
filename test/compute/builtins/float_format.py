"""The number format of fmap@1 and stats@1 (docs/float.md), written independently of the
TypeScript one: Python's repr gives the shortest round-trip digits; they are laid out the way
ECMAScript's Number::toString lays them out. Tests compare the two byte for byte."""
import math


def fmt(x):
    if math.isnan(x):
        return 'nan'
    if math.isinf(x):
        return 'inf' if x > 0 else '-inf'
    if x == 0:
        return '-0' if math.copysign(1.0, x) < 0 else '0'
    sign = '-' if x < 0 else ''
    mantissa, _, exp = repr(abs(x)).partition('e')
    whole, _, frac = mantissa.partition('.')
    frac = '' if frac == '0' else frac
    digits = (whole + frac).lstrip('0')
    # value = 0.DIGITS * 10^n
    n = len(whole) + int(exp or 0) if whole != '0' else int(exp or 0) - (len(frac) - len(frac.lstrip('0')))
    digits = digits.rstrip('0')
    k = len(digits)
    if k <= n <= 21:
        return sign + digits + '0' * (n - k)
    if 0 < n <= 21:
        return sign + digits[:n] + '.' + digits[n:]
    if -6 < n <= 0:
        return sign + '0.' + '0' * (-n) + digits
    e = n - 1
    return sign + digits[0] + ('.' + digits[1:] if k > 1 else '') + 'e' + ('+' if e >= 0 else '-') + str(abs(e))
