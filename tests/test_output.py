"""Writing files into the site folder: only inside it, whatever links the folder holds, and
replacing the site whole."""

from __future__ import annotations

import pytest

from prioportal.build.output import staging_dir
from prioportal.system.safe_writing import UnsafePath, write_files


def test_a_new_site_replaces_the_old_one_whole_and_the_old_one_is_deleted(tmp_path, left_beside):
    site = tmp_path / "site"
    write_files(site, {f"measures/m{i}/index.html": b"old" for i in range(200)} | {"gone.html": b"old"})
    with staging_dir(site) as staging:
        write_files(staging, {"measures/m0/index.html": b"new"})
    # Complete as soon as the build returns: nothing of the old site is left in it.
    assert sorted(str(p.relative_to(site)) for p in site.rglob("*")) == ["measures", "measures/m0",
                                                                         "measures/m0/index.html"]
    assert (site / "measures/m0/index.html").read_bytes() == b"new"
    assert left_beside(site) == []


def test_folders_left_by_a_killed_build_are_deleted_by_the_next(tmp_path, left_beside):
    site = tmp_path / "site"
    for left in (".site.building-x1/measures", ".site.old-x2/site/measures"):
        (tmp_path / left).mkdir(parents=True)
        (tmp_path / left / "index.html").write_bytes(b"x")
    (tmp_path / "other").mkdir()  # not the build's
    with staging_dir(site) as staging:
        write_files(staging, {"index.html": b"new"})
    assert left_beside(site) == ["other"]
    assert (site / "index.html").read_bytes() == b"new"


def test_files_are_written_byte_for_byte_into_new_folders(tmp_path):
    out = tmp_path / "site"
    written = write_files(out, {"index.html": b"<p>Hei</p>", "rounds/a/calendar.ics": b"BEGIN\r\nEND\r\n"})
    assert (out / "rounds" / "a" / "calendar.ics").read_bytes() == b"BEGIN\r\nEND\r\n"
    assert (out / "index.html").read_bytes() == b"<p>Hei</p>"
    assert sorted(written) == sorted([(out / "index.html").resolve(), (out / "rounds/a/calendar.ics").resolve()])


@pytest.mark.parametrize("name", ["../outside.html", "/etc/x.html", "a/../../outside.html", "a\\b.html", "a/..", "a/"])
def test_a_name_that_leads_out_is_refused(tmp_path, name):
    with pytest.raises(UnsafePath):
        write_files(tmp_path / "site", {name: b"x"})
    assert not (tmp_path / "outside.html").exists()


def test_nothing_is_written_through_a_linked_folder_that_leads_out(tmp_path):
    out, outside = tmp_path / "site", tmp_path / "outside"
    out.mkdir()
    outside.mkdir()
    (out / "measures").symlink_to(outside, target_is_directory=True)
    with pytest.raises(UnsafePath):
        write_files(out, {"index.html": b"ok", "measures/a/index.html": b"x"})
    assert list(outside.iterdir()) == []


def test_nothing_is_written_through_a_linked_file(tmp_path):
    out, outside = tmp_path / "site", tmp_path / "secret.txt"
    out.mkdir()
    outside.write_bytes(b"keep")
    (out / "index.html").symlink_to(outside)
    with pytest.raises(UnsafePath):
        write_files(out, {"index.html": b"x"})
    assert outside.read_bytes() == b"keep"


def test_a_linked_folder_that_stays_inside_is_written_through(tmp_path):
    out = tmp_path / "site"
    (out / "real").mkdir(parents=True)
    (out / "alias").symlink_to(out / "real", target_is_directory=True)
    write_files(out, {"alias/index.html": b"x"})
    assert (out / "real" / "index.html").read_bytes() == b"x"
