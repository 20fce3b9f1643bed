"""A real OpenSSH server on loopback for the publish tests: throwaway user, keys and config.

`SshServer.start(base)` creates a user with useradd (home under `base`, world-traversable so the
user can reach it), host and client keys, an sshd_config listening on 127.0.0.1 and 127.0.0.2
on a free port, and runs `sshd -f CONFIG -E LOG` directly (no systemd). `stop()` kills that
sshd (by its own pid), removes the user and its home. Needs root, like useradd and sshd do.
"""

from __future__ import annotations

import os
import secrets
import shlex
import shutil
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

from newsdesk.site import preview
from newsdesk.site.preview import free_port

ADDRESSES = ("127.0.0.1", "127.0.0.2")


def wait_for_port(port: int, what: str, log: Path, address: str = "127.0.0.1",
                  process: subprocess.Popen | None = None) -> None:
    """Return once something listens on `port`; raise with the server's log (and its standard
    error) as soon as `process` has ended, or after two minutes (a loaded machine is slow)."""
    deadline = time.monotonic() + 120
    while not preview.wait_for_port(port, 0.5, address):
        if (process is not None and process.poll() is not None) or time.monotonic() > deadline:
            text = log.read_text(errors="replace") if log.exists() else "(no log)"
            if process is not None and process.poll() is not None and process.stderr:
                text += process.stderr.read().decode(errors="replace")
            raise RuntimeError(f"{what} did not start: {text}")


def keygen(path: Path) -> str:
    """A passphrase-less ed25519 key pair; returns the public key line."""
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(path)], check=True)
    return path.with_suffix(".pub").read_text().strip()


@dataclass
class SshServer:
    base: Path
    user: str
    home: Path
    port: int
    client_key: Path
    host_public_key: str
    known_hosts: Path
    log: Path
    process: subprocess.Popen | None = None
    uid: int = 0
    gid: int = 0
    extra_mounts: list[Path] = field(default_factory=list)

    @classmethod
    def start(cls, base: Path) -> "SshServer":
        base.mkdir(parents=True, exist_ok=True)
        base.chmod(0o755)
        user = "ndpub" + secrets.token_hex(4)
        home = base / "home"
        home.mkdir(mode=0o755)
        subprocess.run(["useradd", "-M", "-d", str(home), "-s", "/bin/sh", "-p", "*", user],
                       check=True)
        server = cls(base=base, user=user, home=home, port=free_port(),
                     client_key=base / "client_key", host_public_key="",
                     known_hosts=base / "known_hosts", log=base / "sshd.log")
        try:
            server._prepare()
            server._run()
        except BaseException:
            server.stop()
            raise
        return server

    def _prepare(self) -> None:
        import pwd
        entry = pwd.getpwnam(self.user)
        self.uid, self.gid = entry.pw_uid, entry.pw_gid
        os.chown(self.home, self.uid, self.gid)
        client_public = keygen(self.client_key)
        self.host_public_key = keygen(self.base / "host_key")
        ssh_dir = self.home / ".ssh"
        ssh_dir.mkdir(mode=0o700)
        (ssh_dir / "authorized_keys").write_text(client_public + "\n")
        (ssh_dir / "authorized_keys").chmod(0o600)
        for path in (ssh_dir, ssh_dir / "authorized_keys"):
            os.chown(path, self.uid, self.gid)
        host_key_fields = " ".join(self.host_public_key.split()[:2])
        self.known_hosts.write_text("".join(
            f"[{address}]:{self.port} {host_key_fields}\n" for address in ADDRESSES))
        Path("/run/sshd").mkdir(exist_ok=True)  # sshd's privilege separation directory
        config = self.base / "sshd_config"
        config.write_text("\n".join([
            f"Port {self.port}",
            *[f"ListenAddress {address}" for address in ADDRESSES],
            f"HostKey {self.base / 'host_key'}",
            f"PidFile {self.base / 'sshd.pid'}",
            "PasswordAuthentication no",
            "KbdInteractiveAuthentication no",
            "PermitRootLogin no",
            f"AllowUsers {self.user}",
            "UsePAM no",
            "MaxStartups 50",
            "MaxSessions 50",
        ]) + "\n")
        subprocess.run(["/usr/sbin/sshd", "-t", "-f", str(config)], check=True)

    def _run(self) -> None:
        self.process = subprocess.Popen(
            ["/usr/sbin/sshd", "-D", "-f", str(self.base / "sshd_config"), "-E", str(self.log)])
        wait_for_port(self.port, "sshd", self.log, process=self.process)

    def rsh(self, key: Path | None = None, known_hosts: Path | None = None,
            connect_timeout: int = 3) -> str:
        """An RSYNC_RSH value reaching this server with the throwaway keys, port left to the URL."""
        return shlex.join([
            "ssh", "-i", str(key or self.client_key), "-o", "IdentitiesOnly=yes",
            "-o", "BatchMode=yes", "-o", f"UserKnownHostsFile={known_hosts or self.known_hosts}",
            "-o", "StrictHostKeyChecking=yes", "-o", f"ConnectTimeout={connect_timeout}",
            "-F", "/dev/null"])

    def url(self, path: Path | str, address: str = "127.0.0.1", port: int | None = None) -> str:
        return f"ssh://{self.user}@{address}:{port or self.port}{path}"

    def directory(self, name: str) -> Path:
        """A folder under the user's home that the user owns (a deployment path)."""
        path = self.home / name
        path.mkdir(parents=True, exist_ok=True)
        os.chown(path, self.uid, self.gid)
        return path

    def mount_small_disk(self, name: str, size: str) -> Path:
        """A tiny tmpfs owned by the user, to fill up for real."""
        path = self.directory(name)
        subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size},mode=755,uid={self.uid}",
                        "tmpfs", str(path)], check=True)
        self.extra_mounts.append(path)
        return path

    def _user_pids(self) -> list[int]:
        pids = []
        for entry in Path("/proc").iterdir():
            try:
                if entry.name.isdigit() and entry.stat().st_uid == self.uid and self.uid:
                    pids.append(int(entry.name))
            except FileNotFoundError:
                pass
        return pids

    def stop(self) -> None:
        for path in self.extra_mounts:
            subprocess.run(["umount", "-l", str(path)], check=False)
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        # Sessions still open run as the throwaway user: end them (by pid) before removing it;
        # userdel refuses while any is alive, so wait until they are gone.
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            for pid in self._user_pids():
                try:
                    os.kill(pid, 9)
                except ProcessLookupError:
                    pass
            removed = subprocess.run(["userdel", self.user], capture_output=True, text=True)
            if removed.returncode in (0, 6):  # 6: no such user (never created)
                break
            time.sleep(0.1)
        shutil.rmtree(self.base, ignore_errors=True)
