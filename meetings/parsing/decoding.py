"""Bytes of a plain-text file -> str, strictly.

A file that is UTF-8 but for a few bytes is refused with the offset and line of the first bad
byte: decoding the whole file another way would silently change every accented name in it
(Türkiye, UÇARMAK). A file with no UTF-8 sequence at all was written in a legacy encoding and is
read as Windows-1252 (or Windows-1251 for Cyrillic), with a warning for the reviewer."""

from __future__ import annotations

import re

from .errors import InputError

# A multi-byte UTF-8 sequence: its presence says the file was meant to be UTF-8.
_UTF8_SEQUENCE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}"
)
_LEGACY = {
    "cp1252": "Windows-1252 (Western European)",
    "cp1251": "Windows-1251 (Cyrillic)",
}


def decode_text(data: bytes, filename: str) -> tuple[str, list[str]]:
    """The text and the warnings a reviewer must see; InputError when it cannot be read."""
    name = filename or "The file"
    if data.startswith(b"\xef\xbb\xbf"):
        return _strict(data, "utf-8", name, start=3), []
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _text_only(_strict(data, "utf-16", name), name), []
    sample = data[:65536]
    if b"\x00" in sample:
        encoding = _utf16_without_bom(sample)
        if encoding is None:
            raise InputError(f"{name} looks like a binary file, not text.")
        return _text_only(_strict(data, encoding, name), name), []
    try:
        return data.decode("utf-8"), []
    except UnicodeDecodeError as exc:
        if exc.reason == "unexpected end of data" and exc.start >= len(data) - 3:
            # cut off in the middle of a character: read what is there, and say so
            return _strict(data[: exc.start], "utf-8", name), [
                f"{name} ends in the middle of a character: the file looks cut off."
            ]
        if _UTF8_SEQUENCE.search(data):
            raise InputError(_bad_byte(data, exc.start, name, "utf-8")) from exc
    controls = sum(1 for b in sample if b < 9 or 13 < b < 32)
    if controls > len(sample) * 0.01:
        raise InputError(f"{name} looks like a binary file, not text.")
    # Cyrillic texts decode "successfully" as cp1252 too; prefer cp1251 when it reads as words
    cyrillic = sum(1 for b in sample if 0xC0 <= b <= 0xFF)
    encoding = "cp1251" if cyrillic > len(sample) * 0.3 else "cp1252"
    text = _strict(data, encoding, name)
    return text, [
        f"{name} is not UTF-8: it was read as {_LEGACY[encoding]}. Check that names with "
        "accents (Türkiye, UÇARMAK) read correctly; saving the file as UTF-8 avoids this."
    ]


def _text_only(text: str, name: str) -> str:
    sample = text[:32768]
    if sum(1 for ch in sample if ch < "\t" or "\r" < ch < " ") > len(sample) * 0.01:
        raise InputError(f"{name} looks like a binary file, not text.")
    return text


def _utf16_without_bom(sample: bytes) -> str | None:
    """UTF-16 saved without its byte order mark: every other byte of Latin text is zero."""
    even, odd = sample[0::2], sample[1::2]
    if len(sample) >= 4 and odd.count(0) > 0.9 * len(odd) and even.count(0) < 0.1 * len(even):
        return "utf-16-le"
    if len(sample) >= 4 and even.count(0) > 0.9 * len(even) and odd.count(0) < 0.1 * len(odd):
        return "utf-16-be"
    return None


def _strict(data: bytes, encoding: str, name: str, *, start: int = 0) -> str:
    """``data[start:]`` decoded; a bad byte is named by its offset in the whole file."""
    try:
        return data[start:].decode(encoding)
    except UnicodeDecodeError as exc:
        raise InputError(_bad_byte(data, start + exc.start, name, encoding, start=start)) from exc


def _bad_byte(data: bytes, offset: int, name: str, encoding: str, *, start: int = 0) -> str:
    # the line and column a text editor shows: counted in the text decoded up to the byte
    before = data[start:offset].decode(encoding, errors="replace")
    line = before.count("\n") + 1
    column = len(before) - (before.rfind("\n") + 1) + 1
    label = {
        "utf-8": "UTF-8",
        "utf-16": "UTF-16",
        "utf-16-le": "UTF-16",
        "utf-16-be": "UTF-16",
        "cp1252": "Windows-1252 either",
        "cp1251": "Windows-1251 either",
    }
    return (
        f"{name}: byte 0x{data[offset]:02X} at offset {offset:,} (line {line:,}, column "
        f"{column:,}) is not valid {label.get(encoding, encoding)}. Save the file as UTF-8 and "
        "try again."
    )
