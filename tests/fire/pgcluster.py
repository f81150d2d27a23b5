"""A throw-away PostgreSQL cluster of a test's own: initdb in a temp dir, on a free port.

Fault tests restart and stop it; the shared server other tests (and CI) use is never touched.
initdb refuses to run as root, so as root the cluster is made and run by the `postgres` user.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import subprocess
import tempfile
import time

from tests.fire.harness import free_port


def find_bin() -> str | None:
    """The newest /usr/lib/postgresql/<n>/bin holding initdb and pg_ctl, or None."""
    found = [
        d
        for d in glob.glob("/usr/lib/postgresql/*/bin")
        if os.access(os.path.join(d, "initdb"), os.X_OK) and os.access(os.path.join(d, "pg_ctl"), os.X_OK)
    ]
    return max(found, key=lambda d: int(d.split("/")[-2]) if d.split("/")[-2].isdigit() else 0) if found else None


def unavailable_reason() -> str | None:
    """Why a cluster cannot be made here (for pytest.skip), or None."""
    if find_bin() is None:
        return "no initdb in /usr/lib/postgresql/*/bin"
    if os.geteuid() == 0:
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            return "running as root and there is no postgres user to run initdb"
        if shutil.which("runuser") is None:
            return "running as root and runuser is missing"
    return None


class Cluster:
    """initdb + pg_ctl start on 127.0.0.1:<free port>; `drop()` stops it and deletes the files."""

    def __init__(self):
        self.bin = find_bin()
        self.port = free_port()
        self.dir = tempfile.mkdtemp(prefix="trinvis-pg-")
        self.data = os.path.join(self.dir, "data")
        self.log = os.path.join(self.dir, "postgres.log")
        self.as_root = os.geteuid() == 0
        if self.as_root:
            pw = pwd.getpwnam("postgres")
            os.chown(self.dir, pw.pw_uid, pw.pw_gid)
        self._run("initdb", "-D", self.data, "-A", "trust", "-U", "postgres", "--no-sync", "-E", "UTF8", "--locale=C")
        self.start()

    @property
    def url(self) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"

    def _run(self, tool: str, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        cmd = [os.path.join(self.bin, tool), *args]
        if self.as_root:
            cmd = ["runuser", "-u", "postgres", "--", *cmd]
        return subprocess.run(cmd, capture_output=True, text=True, timeout=60, check=check, cwd=self.dir)

    def _options(self) -> str:
        # The socket in our own dir, not the shared server's. fsync off is safe here (the OS does
        # not crash, only PostgreSQL is stopped); synchronous_commit stays on: with it off, an
        # immediate stop loses commits the phones were already told about (the test saw it).
        return (
            f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.dir} -c fsync=off "
            "-c full_page_writes=off -c max_connections=60"
        )

    def start(self) -> None:
        self._run("pg_ctl", "-D", self.data, "-l", self.log, "-o", self._options(), "-w", "-t", "30", "start")

    def stop(self, mode: str = "fast") -> None:
        self._run("pg_ctl", "-D", self.data, "-m", mode, "-w", "-t", "30", "stop")

    def restart(self, mode: str = "fast") -> None:
        self._run(
            "pg_ctl", "-D", self.data, "-l", self.log, "-o", self._options(), "-m", mode, "-w", "-t", "30", "restart"
        )

    def create_database(self, name: str) -> str:
        from sqlalchemy import create_engine, text

        engine = create_engine(self.url, isolation_level="AUTOCOMMIT")
        with engine.connect() as c:
            c.execute(text(f'CREATE DATABASE "{name}"'))
        engine.dispose()
        return self.url.rsplit("/", 1)[0] + f"/{name}"

    def drop(self) -> None:
        self._run("pg_ctl", "-D", self.data, "-m", "immediate", "-w", "stop", check=False)
        shutil.rmtree(self.dir, ignore_errors=True)

    def wait_ready(self, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while self._run("pg_isready", "-h", "127.0.0.1", "-p", str(self.port), check=False).returncode != 0:
            if time.monotonic() > deadline:
                raise RuntimeError("own PostgreSQL did not come back")
            time.sleep(0.1)
