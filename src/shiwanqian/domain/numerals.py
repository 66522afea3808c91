"""Numbers as documents write them: Arabic digits, Chinese numerals, percentages, 分之 forms.

``find_numbers`` reads every number in a text with its span; ``parse_chinese`` and
``to_chinese`` convert one Chinese numeral (any size: 〇/零, 两, 十/百/千/万/亿, the
financial forms 壹贰叁…, the positional form 二〇一六). The module is pure and imports
nothing from the rest of the package, so the quote checks and ``draft`` share one reader.

Not every run of numeral characters is a number: 十百千万 (a name), 十三五 (a plan's name),
三四个 (about three or four) cannot be read as one number. Such runs are split into the
longest readable pieces and every piece is marked ``loose``; ordinals (第三, （一）, 一、) are
marked ``ordinal``. Callers that look for numbers a text *states* skip both.
"""

from __future__ import annotations

import re
from fractions import Fraction
from typing import NamedTuple

DIGITS = {
    "〇": 0,
    "零": 0,
    "○": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "兩": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
    "壹": 1,
    "贰": 2,
    "貳": 2,
    "叁": 3,
    "參": 3,
    "肆": 4,
    "伍": 5,
    "陆": 6,
    "陸": 6,
    "柒": 7,
    "捌": 8,
    "玖": 9,
}
SMALL_UNITS = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
BIG_UNITS = {"万": 10**4, "萬": 10**4, "亿": 10**8, "億": 10**8}
NUMERAL_CHARS = "".join([*DIGITS, *SMALL_UNITS, *BIG_UNITS])
_ZEROS = {"〇", "零", "○"}

# Words in which a numeral character does not state a number (一般, 统一 …): their numbers
# are marked loose. Only the commonest; callers decide what a loose number means.
IDIOMS = (
    "一些",
    "一起",
    "一样",
    "一般",
    "一致",
    "一定",
    "一直",
    "统一",
    "唯一",
    "之一",
    "进一步",
    "一体",
    "一线",
    "一流",
    "一切",
    "一律",
    "一道",
    "一旦",
    "一方面",
    "万一",
    "十分",
    "一是",
    "二是",
    "三是",
    "四是",
    "五是",
    "一同",
    "同一",
    "一并",
    "逐一",
    "一贯",
    "一心",
    "千方百计",
    "一手",
    "专一",
)

_FULLWIDTH = str.maketrans("０１２３４５６７８９．，％", "0123456789.,%")
_ANY_FULLWIDTH = re.compile("[０-９．，％]")  # most texts have none: no translation then

_CN = f"[{NUMERAL_CHARS}]"
_AR = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"
# Every number begins with a digit or a numeral character: the lookahead lets the matcher pass
# over every other character at once instead of trying each alternative there (2-3× faster).
_PATTERN = re.compile(
    rf"(?=[\d{NUMERAL_CHARS}])(?:"
    rf"(?P<frac>(?P<den>{_CN}+|{_AR})分之(?P<num>{_AR}|{_CN}+(?:点[{''.join(DIGITS)}]+)?))"
    rf"|(?P<ar>(?<![\d.]){_AR})(?P<arbig>[万萬亿億](?!分之))?(?P<arpct>%)?"
    rf"|(?P<cn>{_CN}+)(?:点(?P<cndec>[{''.join(DIGITS)}]+))?(?P<cnpct>%)?"
    ")"
)


class Number(NamedTuple):
    """One number found in a text; ``text[start:end]`` is how the text writes it.

    Immutable (a named tuple: made many times faster than a frozen dataclass, which matters
    when every row of a national table is read)."""

    value: int | float
    start: int
    end: int
    text: str
    kind: str = "integer"  # "integer" | "decimal" | "percent" | "fraction"
    script: str = "arabic"  # "arabic" | "chinese"
    ordinal: bool = False  # 第三, （一）, 一、
    loose: bool = False  # part of a run that is not one number (十百千万, 三四个), or an idiom (一般)
    numerator: int | float | None = None  # of a 分之 form: 三分之一 → 1 / 3
    denominator: int | float | None = None

    @property
    def stated(self) -> bool:
        """A number the text states as a quantity (not an ordinal, not part of a name or idiom)."""
        return not (self.ordinal or self.loose)

    def means(self, value: int | float, *, percent: bool | None = None) -> bool:
        """Whether this number can be read as ``value``: 80% and 百分之八十 mean 80 (a percentage).

        ``percent`` True accepts only percentages, False only other numbers, None either.
        """
        if percent is not None and (self.kind == "percent") != percent:
            return False
        return _equal(self.value, value)


def _equal(a: int | float, b: int | float) -> bool:
    if type(a) is int and type(b) is int:
        return a == b
    return Fraction(str(a)) == Fraction(str(b))  # 12.5 and 25/2 as exact decimals, not binary floats


# ------------------------------------------------------------------ one Chinese numeral


def _section(text: str, *, allow_elision: bool = True) -> int | None:
    """A value below 10000 written with 十/百/千 (一千五百四十五, 十二, 一百零五, 一百五)."""
    if not text:
        return None
    value = 0
    digit: int | None = None
    last_unit = 10**5
    zero_seen = False
    previous = ""
    for i, ch in enumerate(text):
        if ch in DIGITS:
            if ch in _ZEROS:
                if digit is not None or zero_seen:
                    return None
                zero_seen = True
                previous = ch
                continue
            if digit is not None:
                return None  # two digits in a row: 三四 is not one number
            if ch in ("两", "兩") and i + 1 == len(text) and i > 0:
                return None  # 两 ends no numeral (十两 is a weight)
            digit = DIGITS[ch]
        elif ch in SMALL_UNITS:
            unit = SMALL_UNITS[ch]
            if unit >= last_unit:
                return None
            if digit is None:
                if unit != 10 or i != 0:
                    return None  # 百 and 千 need a digit; 十 may stand alone at the start
                digit = 1
            if zero_seen and unit * 10 == last_unit:
                return None  # 一千零百 …
            value += digit * unit
            last_unit, digit, zero_seen = unit, None, False
        else:
            return None
        previous = ch
    if digit is not None:
        if zero_seen or last_unit == 10**5 or last_unit == 10:
            value += digit
        elif allow_elision and previous not in _ZEROS and last_unit >= 100:
            value += digit * last_unit // 10  # 一百五 = 150, 一千二 = 1200
        else:
            value += digit
    elif zero_seen:
        return None  # trailing 零
    return value


def _positional(text: str) -> int | None:
    """Digits without units, read position by position: 二〇一六 → 2016."""
    if len(text) < 2 or not all(ch in DIGITS for ch in text):
        return None
    if not (any(ch in _ZEROS for ch in text) or len(text) == 4):
        return None  # 三四 means about three or four, not 34
    return int("".join(str(DIGITS[ch]) for ch in text))


def parse_chinese(text: str) -> int | None:
    """The value of one Chinese numeral, or None when ``text`` is not one (十百千万, 三四)."""
    if not text:
        return None
    if len(text) == 1 and text in DIGITS:
        return DIGITS[text]
    positional = _positional(text)
    if positional is not None:
        return positional
    return _with_big_units(text)


def _with_big_units(text: str) -> int | None:
    for big in ("亿", "億", "万", "萬"):
        if big in text:
            high, _, low = text.partition(big)
            if not high:
                return None
            high_value = _with_big_units(high) if big in ("亿", "億") else _section(high, allow_elision=False)
            if high_value is None or high_value == 0:
                return None
            scale = BIG_UNITS[big]
            if not low:
                return high_value * scale
            if low[0] in _ZEROS:
                rest = low[1:]
                low_value = _with_big_units(rest) if rest else None
                if low_value is None or low_value * 10 >= scale:
                    return None
            elif len(low) == 1 and low in DIGITS:
                low_value = DIGITS[low] * scale // 10  # 一万二 = 12000
            else:
                low_value = _with_big_units(low)
                if low_value is None or low_value >= scale:
                    return None
            return high_value * scale + low_value
    if any(ch in BIG_UNITS for ch in text):
        return None
    return _section(text)


def to_chinese(n: int, *, liang: bool = False) -> str:
    """The usual Chinese numeral of ``n`` ≥ 0 (10 → 十, 105 → 一百零五, 20000 → 二万 or 两万)."""
    if n < 0:
        raise ValueError("negative numbers are not written here")
    if n == 0:
        return "零"
    names = "零一二三四五六七八九"

    def section(value: int, leading: bool) -> str:
        out: list[str] = []
        zero = False
        for unit, unit_name in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
            d = value // unit % 10
            if d == 0:
                zero = bool(out)
                continue
            if zero or (not out and not leading and unit < 1000):
                out.append("零")
            zero = False
            word = names[d]
            if liang and d == 2 and unit >= 100:
                word = "两"
            if d == 1 and unit == 10 and leading and not out:
                word = ""  # 十二, not 一十二, at the very start
            out.append(word + unit_name)
        return "".join(out)

    parts = []
    groups = []
    rest = n
    while rest:
        groups.append(rest % 10000)
        rest //= 10000
    big_names = ["", "万", "亿", "万亿"]
    if len(groups) > len(big_names):
        raise ValueError("number too large")
    leading = True
    pending_zero = False
    for index in range(len(groups) - 1, -1, -1):
        value = groups[index]
        if value == 0:
            pending_zero = not leading
            continue
        text = section(value, leading)
        if pending_zero and not text.startswith("零"):
            text = "零" + text
        pending_zero = False
        if liang and value == 2 and index > 0:
            text = "两"
        parts.append(text + big_names[index])
        leading = False
    return "".join(parts)


def read_number(text: str) -> int | float | None:
    """One whole number written in any of the forms ``find_numbers`` reads, or None."""
    numbers = find_numbers(text.strip())
    if len(numbers) == 1 and numbers[0].text == text.strip() and not numbers[0].loose:
        return numbers[0].value
    return None


# ------------------------------------------------------------------ every number in a text


def _arabic(text: str) -> int | float:
    text = text.replace(",", "")
    if "." in text:
        value = float(text)
        return int(value) if value.is_integer() else value
    return int(text)


def _chinese_or_arabic(text: str) -> int | float | None:
    if text and text[0].isdigit():
        return _arabic(text)
    if "点" in text:
        whole, _, decimals = text.partition("点")
        integer = parse_chinese(whole)
        if integer is None:
            return None
        return float(f"{integer}.{''.join(str(DIGITS[ch]) for ch in decimals)}")
    return parse_chinese(text)


def _pieces(run: str) -> list[tuple[int, int, int]]:
    """A run of numeral characters as (start, end, value): one number, or its longest readable pieces."""
    whole = parse_chinese(run)
    if whole is not None:
        return [(0, len(run), whole)]
    pieces = []
    i = 0
    while i < len(run):
        for j in range(len(run), i, -1):
            value = parse_chinese(run[i:j])
            if value is not None:
                pieces.append((i, j, value))
                i = j
                break
        else:
            i += 1  # a lone 百, 千 … is no number by itself
    return pieces


_ORDINAL_BEFORE = "第（(\n：:；;。 "  # the characters before a number that ``_is_ordinal`` looks at


def _is_ordinal(text: str, start: int, end: int) -> bool:
    before = text[start - 1] if start > 0 else ""
    after = text[end] if end < len(text) else ""
    if before == "第":
        return True
    if before in "（(" and after in "）)":
        return True
    at_line_start = start == 0 or text[start - 1] in "\n：:；;。 "
    return at_line_start and after in "、."


def _in_idiom(text: str, start: int, end: int) -> bool:
    for idiom in IDIOMS:
        lo = max(0, start - len(idiom) + 1)
        at = text.find(idiom, lo, end + len(idiom) - 1)
        if at != -1 and at < end and at + len(idiom) > start:
            return True
    return False


_new = tuple.__new__  # a Number from all its fields at once (``Number._make`` without the call)


def find_numbers(text: str) -> list[Number]:
    """Every number in ``text``, in order, with its span (indices into ``text`` itself)."""
    plain = halfwidth(text)  # same length: spans stay valid for the original
    found: list[Number] = []
    append = found.append
    for match in _PATTERN.finditer(plain):
        frac, den_text, num_text, ar, arbig, arpct, cn, cndec, cnpct = match.groups()
        if ar is not None:  # the commonest: 460, 1,000, 12.5, 3万, 80%
            value = int(ar) if ar.isdigit() else _arabic(ar)
            if arbig:
                scaled = Fraction(str(value)) * BIG_UNITS[arbig]
                value = int(scaled) if scaled.denominator == 1 else float(scaled)
            start, end = match.span()
            kind = "percent" if arpct else ("decimal" if isinstance(value, float) else "integer")
            # After any other character a number is no ordinal (the commonest case, decided at once).
            ordinal = (not start or plain[start - 1] in _ORDINAL_BEFORE) and _is_ordinal(plain, start, end)
            append(_new(Number, (value, start, end, text[start:end], kind, "arabic", ordinal, False, None, None)))
        elif frac is not None:
            den = {**SMALL_UNITS, **BIG_UNITS}.get(den_text) or _chinese_or_arabic(den_text)  # 百分之
            num = _chinese_or_arabic(num_text)
            if den is None or num is None or den == 0:
                continue
            start, end = match.span("frac")
            kind = "percent" if den == 100 else "fraction"
            value = num if den == 100 else float(Fraction(str(num)) / Fraction(str(den)))
            script = "arabic" if num_text[0].isdigit() else "chinese"
            append(Number(value, start, end, text[start:end], kind, script, numerator=num, denominator=den))
        else:
            run_start = match.start("cn")
            pieces = _pieces(cn)
            loose = len(pieces) != 1 or pieces[0][1] - pieces[0][0] != len(cn)
            for k, (i, j, value) in enumerate(pieces):
                start, end = run_start + i, run_start + j
                kind = "integer"
                last = k == len(pieces) - 1
                if last and not loose and cndec:
                    value = float(f"{value}.{''.join(str(DIGITS[ch]) for ch in cndec)}")
                    end, kind = match.end("cndec"), "decimal"
                if last and not loose and cnpct:
                    end, kind = match.end("cnpct"), "percent"
                append(
                    Number(
                        value,
                        start,
                        end,
                        text[start:end],
                        kind,
                        "chinese",
                        ordinal=_is_ordinal(plain, start, end),
                        loose=loose or _in_idiom(plain, start, end),
                    )
                )
    return found


def mentions(text: str, value: int | float, *, percent: bool | None = None) -> bool:
    """Whether ``text`` states ``value`` as a number (Arabic or Chinese; % and 分之 forms).

    ``percent=True`` accepts only percentages (80%, 百分之八十), ``False`` only plain numbers,
    ``None`` either. Ordinals and loose pieces never count (十三五 does not state 5).
    """
    numbers = [n for n in find_numbers(text) if n.stated]
    return any(n.means(value, percent=percent) for n in numbers)


def halfwidth(text: str) -> str:
    """Full-width digits, point, comma and % written as ASCII. The length is unchanged, so a
    span found in the result is the same span in ``text`` (match there, quote from here)."""
    return text.translate(_FULLWIDTH) if _ANY_FULLWIDTH.search(text) else text
