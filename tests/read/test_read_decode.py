"""decode_bytes and the file checks: encodings, BOMs, binary, empty and oversize input."""
from __future__ import annotations

from pathlib import Path

import pytest

from marsad.errors import InputError
from marsad.read import decode_bytes, read_file, read_paths

SHARED = Path(__file__).resolve().parents[2].parent / "shared"
SEED = SHARED / "seeds" / "000_46770df6502fba50.txt"


@pytest.fixture
def seed_text() -> str:
    if not SEED.exists():
        pytest.skip(f"needs {SEED} (the shared development data beside the repository), absent here")
    return SEED.read_text(encoding="utf-8")


def test_utf8_plain_and_bom():
    assert decode_bytes("نص عربي".encode("utf-8"), "a") == "نص عربي"
    assert decode_bytes(b"\xef\xbb\xbf" + "نص عربي".encode("utf-8"), "a") == "نص عربي"


def test_utf16_with_bom():
    assert decode_bytes("بيان صحفي\nسطر".encode("utf-16"), "a") == "بيان صحفي\nسطر"
    assert decode_bytes(b"\xfe\xff" + "بيان".encode("utf-16-be"), "a") == "بيان"


def test_seed_in_windows_1256_decodes_back_exactly(seed_text, tmp_path):
    data = seed_text.encode("cp1256")
    assert decode_bytes(data, "seed") == seed_text
    f = tmp_path / "seed1256.txt"
    f.write_bytes(data)
    [art] = read_file(f)
    assert art.raw == seed_text and art.id == "seed1256" and art.kind == "text"


def test_seed_in_iso_8859_6_decodes_back_exactly(seed_text, tmp_path):
    # ISO-8859-6 has no curly quotes or ellipsis: compare with what it can hold.
    data = seed_text.encode("iso8859_6", errors="ignore")
    expected = data.decode("iso8859_6")
    assert len(expected) > 0.95 * len(seed_text)
    assert decode_bytes(data, "seed") == expected
    f = tmp_path / "seed_iso.txt"
    f.write_bytes(data)
    assert next(read_file(f)).raw == expected


def test_short_windows_1256_is_not_taken_for_cyrillic():
    for s in ("مرحبا بكم", "اجتماع في دمشق", "قال الوزير"):
        assert decode_bytes(s.encode("cp1256"), "a") == s


def test_western_single_byte_text():
    assert decode_bytes("Café au lait, très bien".encode("cp1252"), "a") == "Café au lait, très bien"


@pytest.mark.parametrize("data,problem", [
    (b"", "empty file"),
    (b"  \n\t ", "empty file"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
    (bytes(range(128, 256)) * 20, "cannot decode"),
])
def test_bad_bytes(data, problem):
    with pytest.raises(InputError) as e:
        decode_bytes(data, "some/file.txt")
    assert str(e.value).startswith("some/file.txt: ") and problem in str(e.value)
    assert "\n" not in str(e.value)


def test_empty_file(tmp_path):
    f = tmp_path / "empty.txt"
    f.write_bytes(b"")
    with pytest.raises(InputError, match=r"empty\.txt: empty file"):
        list(read_file(f))


def test_binary_file(tmp_path):
    f = tmp_path / "image.txt"
    f.write_bytes(b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01" * 50)
    with pytest.raises(InputError, match="binary"):
        list(read_file(f))


def test_missing_file(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        list(read_file(tmp_path / "nope.html"))


@pytest.mark.parametrize("name", ["huge.txt", "huge.json", "huge.zip", "huge"])
def test_200mb_sparse_file_is_rejected(tmp_path, name):
    f = tmp_path / name
    with open(f, "wb") as fh:
        fh.truncate(200 * 1024 * 1024)
    with pytest.raises(InputError, match="too large") as e:
        list(read_paths([str(f)]))
    assert str(f) in str(e.value)


def test_size_cap_is_configurable(tmp_path):
    f = tmp_path / "a.txt"
    f.write_text("نص " * 100, encoding="utf-8")
    with pytest.raises(InputError, match="too large"):
        list(read_file(f, max_bytes=100))
