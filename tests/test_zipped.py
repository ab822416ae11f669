"""The workbook's zip container: readable by the zip library users have, the same bytes whether a
preview reuses compressed chunks or not."""

import io
import zipfile

from hypothesis import given, settings, strategies as st

from prioportal.build.reuse import LastBuild
from prioportal.exports.zipped import zip_archive

WHEN = (2025, 3, 14, 15, 9, 26)
pieces = st.lists(st.binary(max_size=3000) | st.text(max_size=400).map(lambda t: t.encode("utf-8")), max_size=120)


def read_back(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.testzip() is None  # every CRC matches
        return {info.filename: archive.read(info) for info in archive.infolist()}


@settings(max_examples=60, deadline=None)
@given(st.dictionaries(st.from_regex(r"[a-z]{1,8}(/[a-z]{1,8}){0,2}\.xml", fullmatch=True), pieces, max_size=4))
def test_every_entry_reads_back_as_its_pieces(entries):
    data = zip_archive(list(entries.items()), WHEN)
    assert read_back(data) == {name: b"".join(parts) for name, parts in entries.items()}


@settings(max_examples=40, deadline=None)
@given(pieces, st.data())
def test_reused_chunks_give_the_bytes_of_a_fresh_archive(first, data):
    cache = LastBuild()
    zip_archive([("sheet.xml", first)], WHEN, cache)
    cache.next_build()
    # The next build keeps most pieces (the very objects) and changes, adds or removes some.
    second = list(first)
    for _ in range(data.draw(st.integers(0, 3))):
        where = data.draw(st.integers(0, len(second)))
        change = data.draw(st.sampled_from(["replace", "insert", "delete"]))
        new = data.draw(st.binary(max_size=2000))
        if change == "insert" or not second:
            second.insert(where, new)
        elif change == "replace":
            second[min(where, len(second) - 1)] = new
        else:
            del second[min(where, len(second) - 1)]
    assert zip_archive([("sheet.xml", second)], WHEN, cache) == zip_archive([("sheet.xml", second)], WHEN)


def test_a_large_sheet_compresses_as_well_as_one_stream():
    rows = [f'<row r="{r}"><c r="A{r}" t="inlineStr"><is><t>Tiltak nummer {r} i kommunen</t></is></c></row>'.encode()
            for r in range(2, 20000)]
    ours = len(zip_archive([("sheet.xml", rows)], WHEN))
    standard = io.BytesIO()
    with zipfile.ZipFile(standard, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(zipfile.ZipInfo("sheet.xml", date_time=WHEN), b"".join(rows), zipfile.ZIP_DEFLATED)
    assert ours < 1.05 * len(standard.getvalue())


def test_entries_carry_the_given_date():
    with zipfile.ZipFile(io.BytesIO(zip_archive([("a.xml", [b"x"])], WHEN))) as archive:
        assert archive.getinfo("a.xml").date_time == (2025, 3, 14, 15, 9, 26)
