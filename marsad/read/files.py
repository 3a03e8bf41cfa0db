"""Files, folders, zip archives and URLs in one run: `read_paths` and `read_file`.

Folders are walked recursively in sorted order, skipping hidden files and folders and files whose extension
no reader handles (files without an extension are sniffed). Zip archives are read member by member, JSON
members streamed. Ids that repeat within one run get a short hash suffix: ``name_1a2b3c4d``.
"""
from __future__ import annotations

import hashlib
import logging
import os
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace
from pathlib import Path, PurePosixPath

from marsad.errors import InputError
from marsad.model import Article
from marsad.read.decode import MAX_FILE_BYTES, read_bytes
from marsad.read.dispatch import EXTENSIONS, ZIP_MAGIC, kind_for_path, parse_document
from marsad.read.jsonl import parse_json

log = logging.getLogger(__name__)

OnError = Callable[[InputError], None]


class UniqueIds:
    """The ids given out in one run; a repeated id gets ``_`` and 8 hex digits of a hash of its source."""

    def __init__(self) -> None:
        self._seen: set[str] = set()

    def __call__(self, art: Article) -> Article:
        if art.id not in self._seen:
            self._seen.add(art.id)
            return art
        k = 0
        while True:
            h = hashlib.sha1(f"{art.source_file}\0{art.id}\0{k}".encode()).hexdigest()[:8]
            new = f"{art.id}_{h}"
            if new not in self._seen:
                self._seen.add(new)
                log.debug("id %s seen before; %s from %s is %s", art.id, art.id, art.source_file, new)
                return replace(art, id=new)
            k += 1


def is_url(s: str) -> bool:
    return s.lower().startswith(("http://", "https://"))


def read_paths(paths: Iterable[str], *, on_error: OnError | None = None, max_bytes: int = MAX_FILE_BYTES,
               timeout: float = 20.0, max_url_bytes: int = 20_000_000, client=None) -> Iterator[Article]:
    """Articles of files, folders (recursive), zips and URLs, in input order.

    With ``on_error=None`` the first InputError is raised; otherwise each is passed to ``on_error`` and
    reading goes on with the next document (or, in a JSON file, the next line or item).
    """
    from marsad.read.url import read_url

    unique = UniqueIds()
    for p in paths:
        p = str(p)
        if is_url(p):
            docs = [(p, lambda p=p: read_url(p, timeout=timeout, max_bytes=max_url_bytes, client=client,
                                              on_error=on_error))]
        elif Path(p).is_dir():
            docs = [(str(f), lambda f=f: _read_one(f, on_error, max_bytes)) for f in walk(Path(p))]
        else:
            docs = [(p, lambda p=p: _read_one(Path(p), on_error, max_bytes))]
        for where, make in docs:
            for art in _guard(make, where, on_error):
                yield unique(art)


def read_file(path: Path, *, on_error: OnError | None = None, max_bytes: int = MAX_FILE_BYTES) -> Iterator[Article]:
    """Articles of one file of any supported kind (text, HTML, feed, JSON/JSONL, zip), ids made unique."""
    unique = UniqueIds()
    path = Path(path)
    for art in _guard(lambda: _read_one(path, on_error, max_bytes), str(path), on_error):
        yield unique(art)


def walk(root: Path) -> list[Path]:
    """Readable files under ``root``: sorted, hidden files and folders skipped, unknown extensions skipped."""
    out = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = [d for d in dirnames if not d.startswith(".")]
        for name in filenames:
            if name.startswith("."):
                continue
            f = Path(dirpath) / name
            if f.suffix and f.suffix.lower() not in EXTENSIONS:
                log.info("%s: skipped, not a supported file type", f)
                continue
            out.append(f)
    return sorted(out, key=lambda f: f.relative_to(root).parts)


def _guard(make: Callable[[], Iterator[Article]], where: str, on_error: OnError | None) -> Iterator[Article]:
    """Run one document's reader; turn its failures into InputErrors for ``on_error`` (or raise them)."""
    try:
        yield from make()
    except InputError as e:
        if on_error is None:
            raise
        on_error(e)
    except (zipfile.BadZipFile, zipfile.LargeZipFile) as e:
        _report(InputError(where, f"not a valid zip archive ({e})"), on_error)
    except OSError as e:
        _report(InputError(where, f"cannot read: {e.strerror or e}"), on_error)
    except (RecursionError, MemoryError, ValueError, TypeError, LookupError, RuntimeError) as e:
        log.debug("unexpected error reading %s", where, exc_info=True)
        _report(InputError(where, f"cannot read ({type(e).__name__}: {e})"), on_error)


def _report(err: InputError, on_error: OnError | None) -> None:
    if on_error is None:
        raise err
    on_error(err)


def _read_one(path: Path, on_error: OnError | None, max_bytes: int) -> Iterator[Article]:
    kind = kind_for_path(path)
    if kind == "json":
        read_bytes_check(path, max_bytes)
        with open(path, "rb") as f:
            yield from parse_json(f, source_file=str(path), stem=path.stem, on_error=on_error, max_bytes=max_bytes)
        return
    if kind == "zip":
        read_bytes_check(path, max_bytes)
        yield from _read_zip(path, on_error, max_bytes)
        return
    data = read_bytes(path, max_bytes)
    if kind is None and data.startswith(ZIP_MAGIC):
        yield from _read_zip(path, on_error, max_bytes)
        return
    yield from parse_document(data, kind, source_file=str(path), stem=path.stem, on_error=on_error,
                              max_bytes=max_bytes)


def read_bytes_check(path: Path, max_bytes: int) -> None:
    """The checks of `read_bytes` (exists, a file, not empty, not over the cap) without reading."""
    try:
        st = path.stat()
    except FileNotFoundError:
        raise InputError(path, "no such file") from None
    if not path.is_file():
        raise InputError(path, "not a regular file")
    if st.st_size == 0:
        raise InputError(path, "empty file")
    if st.st_size > max_bytes:
        raise InputError(path, f"file too large: {st.st_size / 1e6:.1f} MB over the {max_bytes / 1e6:.1f} MB limit")


def _read_zip(path: Path, on_error: OnError | None, max_bytes: int) -> Iterator[Article]:
    with zipfile.ZipFile(path) as zf:
        members = sorted((i for i in zf.infolist() if not i.is_dir()), key=lambda i: i.filename)
        for info in members:
            member = PurePosixPath(info.filename)
            if any(part.startswith(".") or part == "__MACOSX" for part in member.parts):
                continue
            where = f"{path}!{info.filename}"
            yield from _guard(lambda: _read_member(zf, info, member, where, on_error, max_bytes), where, on_error)


def _read_member(zf: zipfile.ZipFile, info: zipfile.ZipInfo, member: PurePosixPath, where: str,
                 on_error: OnError | None, max_bytes: int) -> Iterator[Article]:
    kind = kind_for_path(member)
    if kind is None and member.suffix:
        log.info("%s: skipped, not a supported file type", where)
        return
    if kind == "zip":
        raise InputError(where, "zip archives inside zip archives are not read")
    if info.file_size == 0:
        raise InputError(where, "empty file")
    if info.file_size > max_bytes:
        raise InputError(where, f"file too large: {info.file_size / 1e6:.1f} MB over the {max_bytes / 1e6:.1f} MB "
                                "limit")
    with zf.open(info) as f:
        if kind == "json":
            yield from parse_json(f, source_file=where, stem=member.stem, on_error=on_error, max_bytes=max_bytes)
            return
        data = f.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise InputError(where, f"file too large: over the {max_bytes / 1e6:.1f} MB limit")
    yield from parse_document(data, kind, source_file=where, stem=member.stem, on_error=on_error,
                              max_bytes=max_bytes)
