"""A throwaway PostgreSQL server for the tests: a fresh cluster in a temporary folder, on a unix socket.

Used by the store tests' fixtures (``tests/store/conftest.py``) and by ``scripts/pg_test_server.sh``:

    python -m tests.store.pg_server start /tmp/marsad-pg    # prints the DSN
    python -m tests.store.pg_server stop /tmp/marsad-pg

The binaries come from ``/usr/lib/postgresql/*/bin`` (Debian's ``postgresql`` package) or the PATH. initdb
refuses to run as root: as root the cluster belongs to the ``postgres`` system user. Durability is turned off
(``fsync``, ``synchronous_commit``): the data is thrown away.
"""
from __future__ import annotations

import glob
import os
import pwd
import shutil
import subprocess
import sys
from pathlib import Path

PORT = 5432  # only names the socket file: the server listens on no TCP port


def bin_dir() -> Path | None:
    """The folder of initdb and pg_ctl (the newest installed version), or None."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(p.split("/")[4]))
    if found:
        return Path(found[-1]).parent
    which = shutil.which("initdb")
    return Path(which).resolve().parent if which else None


def _run(args: list[str], owner: str | None) -> None:
    proc = subprocess.run(args, capture_output=True, text=True, user=owner, timeout=120, cwd="/")
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} failed ({proc.returncode}): {proc.stderr.strip()[-800:]}")


def dsn(folder: str | Path, dbname: str = "postgres") -> str:
    return f"postgresql://postgres@/{dbname}?host={Path(folder) / 'socket'}&port={PORT}"


def start(folder: str | Path) -> str:
    """Create and start a cluster under ``folder`` (created, must be empty or absent); return its DSN."""
    binaries = bin_dir()
    if binaries is None:
        raise FileNotFoundError("no PostgreSQL binaries (initdb, pg_ctl): apt-get install -y postgresql")
    folder = Path(folder)
    data, sock = folder / "data", folder / "socket"
    sock.mkdir(parents=True, exist_ok=True)
    owner = None
    if os.geteuid() == 0:
        owner = "postgres"
        ent = pwd.getpwnam(owner)
        for p in (folder, sock):
            os.chown(p, ent.pw_uid, ent.pw_gid)
        folder.chmod(0o755)
    _run([str(binaries / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust", "-E", "UTF8",
          "--locale=C.UTF-8", "--no-sync"], owner)
    opts = (f"-c listen_addresses='' -c unix_socket_directories='{sock}' -p {PORT} -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off -c max_connections=40 -c shared_buffers=64MB")
    _run([str(binaries / "pg_ctl"), "-D", str(data), "-o", opts, "-l", str(folder / "server.log"), "-w",
          "-t", "60", "start"], owner)
    return dsn(folder)


def stop(folder: str | Path, remove: bool = True) -> None:
    """Stop the cluster under ``folder`` (immediately: it is thrown away) and, with ``remove``, delete it."""
    folder = Path(folder)
    binaries = bin_dir()
    if binaries is not None and (folder / "data" / "postmaster.pid").exists():
        owner = "postgres" if os.geteuid() == 0 else None
        _run([str(binaries / "pg_ctl"), "-D", str(folder / "data"), "-m", "immediate", "-w", "stop"], owner)
    if remove:
        shutil.rmtree(folder, ignore_errors=True)


def main(argv: list[str]) -> int:
    if len(argv) != 2 or argv[0] not in ("start", "stop"):
        sys.stderr.write("usage: python -m tests.store.pg_server start|stop FOLDER\n")
        return 2
    if argv[0] == "start":
        sys.stdout.write(start(argv[1]) + "\n")
    else:
        stop(argv[1])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
