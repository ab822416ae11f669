"""A zip archive (the container of an .xlsx workbook) whose large entries are compressed in
chunks, so that a preview compresses again only the chunks that changed.

A worksheet of a large portal is tens of megabytes of XML, and compressing it is most of the
time it takes to write the workbook. Here an entry is given as the pieces it is made of (a
measure's rows, say); the pieces are grouped into chunks at places chosen by their content, so
that a changed piece moves no boundary but its own, and each chunk is deflated on its own,
primed with the end of the chunk before it (as pigz does: the compression is as good as that of
one stream) and ended by a sync flush, so the chunks put together are one valid deflate stream.
A chunk compressed before, after the same text, is taken from the memo.

The archive itself is written here (local headers, central directory, end record) because the
standard library's zipfile can only compress what it is given itself. Every timestamp is the one
given, so the same entries give the same bytes.
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Sequence
from typing import NamedTuple

from prioportal.exports.memo import Memo, cached

_LEVEL = 6  # zlib's default, as zipfile uses
_WINDOW = 32 * 1024  # how far back deflate can refer: what primes the next chunk
_BOUNDARY_MASK = 31  # a chunk ends after about one piece in 32 (tens of kilobytes of rows)
_FINAL_BLOCK = b"\x03\x00"  # an empty, final deflate block with fixed codes
_VERSION = 20  # version 2.0 of the format: deflate
_MADE_ON_UNIX = 3 << 8
_FILE_MODE = 0o644 << 16


class Deflated(NamedTuple):
    """An entry's content, compressed."""

    data: bytes  # raw deflate stream
    crc: int  # CRC-32 of the content
    size: int  # of the content


def _chunks(pieces: Sequence[bytes]) -> list[tuple[bytes, ...]]:
    """The pieces grouped into chunks, each ending after a piece whose start hashes to zero: a
    piece's own text decides, so unchanged pieces keep their chunks."""
    chunks, current = [], []
    for piece in pieces:
        current.append(piece)
        if zlib.crc32(piece[:64]) & _BOUNDARY_MASK == 0:
            chunks.append(tuple(current))
            current = []
    if current or not chunks:
        chunks.append(tuple(current))
    return chunks


def _deflate_chunk(before: tuple[bytes, ...], chunk: tuple[bytes, ...]) -> bytes:
    primer = b"".join(before)[-_WINDOW:]
    compressor = (zlib.compressobj(_LEVEL, zlib.DEFLATED, -15, zdict=primer) if primer
                  else zlib.compressobj(_LEVEL, zlib.DEFLATED, -15))
    return compressor.compress(b"".join(chunk)) + compressor.flush(zlib.Z_SYNC_FLUSH)


def deflate(pieces: Sequence[bytes], memo: Memo | None = None) -> Deflated:
    """The pieces put together, compressed. A chunk is looked up in
    the `memo` by the identities of its pieces and of those of the chunk before it (kept with
    the result, so that no identity passes to a new piece meanwhile): a preview's unchanged rows
    are the very same pieces from build to build."""
    out, crc, size = [], 0, 0
    before: tuple[bytes, ...] = ()
    for chunk in _chunks(pieces):
        key = ("deflate", *map(id, before), None, *map(id, chunk))
        out.append(cached(memo, key, lambda before=before, chunk=chunk: (before, chunk, _deflate_chunk(before, chunk)))[2])
        for piece in chunk:
            crc = zlib.crc32(piece, crc)
            size += len(piece)
        before = chunk
    out.append(_FINAL_BLOCK)
    return Deflated(b"".join(out), crc, size)


# A zip entry's date is two 16-bit MS-DOS fields: years 1980 to 2107 (1980 + 127), seconds in
# steps of two. A decision dated later (a 30-year plan, a placeholder such as 9999-12-31) is
# valid: the workbook's own properties keep the true date, and its entries get the last one.
EARLIEST_ZIP_DATE = (1980, 1, 1, 0, 0, 0)
LATEST_ZIP_DATE = (2107, 12, 31, 23, 59, 58)


def zip_date(date_time: tuple[int, ...]) -> tuple[int, int, int, int, int, int]:
    """`date_time` (year, month, day, hour, minute, second) within the dates a zip entry can hold."""
    when = tuple(date_time[:6]) + (0,) * (6 - len(date_time[:6]))
    return min(max(when, EARLIEST_ZIP_DATE), LATEST_ZIP_DATE)  # type: ignore[return-value]


def zip_archive(entries: Sequence[tuple[str, Sequence[bytes] | Deflated]], date_time: tuple[int, ...],
                memo: Memo | None = None) -> bytes:
    """A zip archive of (name, content) entries, the content given in pieces or already
    compressed (`deflate`), every entry dated `date_time` (year, month, day, hour, minute,
    second), or the nearest date a zip can hold (`zip_date`)."""
    year, month, day, hour, minute, second = zip_date(date_time)
    dos_time = hour << 11 | minute << 5 | second // 2
    dos_date = (year - 1980) << 9 | month << 5 | day
    parts: list[bytes] = []
    directory: list[bytes] = []
    offset = 0
    for name, pieces in entries:
        data, crc, size = pieces if isinstance(pieces, Deflated) else deflate(pieces, memo)
        encoded = name.encode("ascii")
        header = struct.pack("<4s5H3L2H", b"PK\x03\x04", _VERSION, 0, zlib.DEFLATED, dos_time, dos_date,
                             crc, len(data), size, len(encoded), 0)
        directory.append(struct.pack("<4s6H3L5H2L", b"PK\x01\x02", _MADE_ON_UNIX | _VERSION, _VERSION, 0,
                                     zlib.DEFLATED, dos_time, dos_date, crc, len(data), size, len(encoded),
                                     0, 0, 0, 0, _FILE_MODE, offset) + encoded)
        parts += [header, encoded, data]
        offset += len(header) + len(encoded) + len(data)
    central = b"".join(directory)
    end = struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, len(entries), len(entries), len(central), offset, 0)
    return b"".join(parts) + central + end
