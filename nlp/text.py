"""Vietnamese text normalisation: NFC, one tone-mark placement, folded quotes/dashes/space, sentences, stop words."""

from __future__ import annotations

import re
import unicodedata

# Old-style tone placement ("hoà", "thuỷ", "khoẻ") moved to the modern one ("hòa", "thủy", "khỏe") when the
# pair closes the syllable; "qu" + y keeps its tone on y in both styles ("quý").
_TONED = {
    "a": "àáảãạ", "e": "èéẻẽẹ", "y": "ỳýỷỹỵ",
}
_FIRST = {"o": "òóỏõọ", "u": "ùúủũụ"}
_PAIRS: dict[str, str] = {}
for first, second in (("o", "a"), ("o", "e"), ("u", "y")):
    for i, toned in enumerate(_TONED[second]):
        _PAIRS[first + toned] = _FIRST[first][i] + second
OLD_TONE = re.compile(r"(?<![qQ])(" + "|".join(_PAIRS) + r")(?![a-zà-ỹđ])", re.I)
QUOTES = str.maketrans({"“": '"', "”": '"', "„": '"', "«": '"', "»": '"', "‘": "'", "’": "'", "‚": "'",
                        "–": "-", "—": "-", "‐": "-", "‑": "-", "−": "-", "\u00a0": " ", "\u200b": "", "\u00ad": ""})
SPACE = re.compile(r"[ \t\r\f\v]+")
SENTENCE_END = re.compile(r"(?<=[.!?…])[\"')\]]*\s+(?=[\"'(\[]?[A-ZÀ-ỸĐ0-9])|\n+")


def _fix_tone(match: re.Match[str]) -> str:
    found = match.group(1)
    fixed = _PAIRS[found.lower()]
    return "".join(c.upper() if o.isupper() else c for o, c in zip(found, fixed, strict=True))


def normalise(text: str) -> str:
    """NFC, modern tone placement, plain quotes and dashes, folded white space (line breaks kept)."""
    text = unicodedata.normalize("NFC", text).translate(QUOTES)
    text = OLD_TONE.sub(_fix_tone, text)
    lines = (SPACE.sub(" ", line).strip() for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


def fold_accents(text: str) -> str:
    """Text without diacritics, lower-case ("Cải cách" -> "cai cach"), for accent-insensitive search."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in decomposed if unicodedata.category(c) != "Mn").lower()


def sentences(text: str) -> list[str]:
    """Split a normalised text into sentences (and paragraphs)."""
    return [s.strip() for s in SENTENCE_END.split(text) if s and s.strip()]


STOPWORDS = frozenset([
    "và", "của", "là", "có", "được", "cho", "các", "những", "một", "này", "đó", "với", "trong", "khi", "đã",
    "sẽ", "đang", "thì", "mà", "để", "từ", "theo", "tại", "về", "như", "cũng", "nhiều", "không", "rằng",
    "nên", "vì", "bị", "do", "ra", "vào", "lên", "xuống", "trên", "dưới", "sau", "trước", "đến", "tới", "còn",
    "chỉ", "rất", "hơn", "nữa", "người", "năm", "ngày", "tháng", "này", "nay", "đây", "kia", "ấy", "việc",
    "cùng", "hay", "hoặc", "nếu", "nhưng", "tuy", "vẫn", "lại", "đều", "mỗi", "mọi", "cả", "ông", "bà", "anh",
    "chị", "em", "tôi", "chúng_tôi", "chúng_ta", "họ", "nó", "mình", "ta", "gì", "nào", "đâu", "sao",
    "bao_giờ", "lúc", "thế", "vậy", "bằng", "qua", "giữa", "ngoài", "trong_khi", "cho_biết", "cho_rằng",
    "thêm", "số", "nhất", "đầu", "cuối", "hết",
])
