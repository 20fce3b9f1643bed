"""The few things done on a target, over the remote shell: look, transfer, switch, tidy.

Layout on each target (`path` from its URL):

    path/current -> releases/<id>     the symlink the web server or kiosk serves
    path/releases/<id>/               one complete site each, with its release.json
    path/releases/.incoming-<id>/     a transfer in progress (never served)
    path/.publish-lock/               held while one run publishes or rolls back (lock.py)

A transfer goes into `.incoming-<id>` (unchanged files hard-linked from the current release with
rsync's --link-dest), is renamed to `<id>` only once complete, and `current` is switched with a
temporary symlink renamed over it (`ln -sfn` + `mv -T`): a reader sees the old site or the new
one, never a mix, and a broken transfer leaves `current` untouched. A file partly sent when a
transfer broke stays in `.incoming-<id>` under its own name (rsync --partial) and is the basis
the next run resumes from. Targets need a POSIX shell, GNU coreutils (`mv -T`, `stat -c`) and
rsync.
"""

from __future__ import annotations

import dataclasses
import json
import os
import re
import shlex
import subprocess
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from newsdesk.content import numbers
from newsdesk.publish import targets
from newsdesk.publish.failures import Failure, classify
from newsdesk.publish.release import MANIFEST, RELEASE_ID

INCOMING = ".incoming-"

_STATE = r"""
base=$1
if [ -e "$base/current" ] && [ ! -L "$base/current" ]; then
  echo "newsdesk: current is not a symlink" >&2; exit 5
fi
if [ "$2" = prepare ]; then mkdir -p -- "$base/releases" || exit 1; fi
[ -d "$base" ] || exit 0
printf 'current\t%s\n' "$(readlink -- "$base/current" 2>/dev/null)"
for dir in "$base"/releases/* "$base"/releases/.incoming-*; do
  [ -d "$dir" ] || continue
  name=${dir##*/}
  case $name in
    .incoming-*) printf 'incoming\t%s\n' "$name" ;;
    *) printf 'release\t%s\t%s\n' "$name" "$(head -c 8192 -- "$dir/release.json" 2>/dev/null | tr -d '\n')" ;;
  esac
done
"""

_ACTIVATE = r"""
set -e
cd -- "$1"
id=$2
if [ -n "$3" ] && [ "$(cat .publish-lock/token 2>/dev/null)" != "$3" ]; then
  echo "newsdesk: publish lock lost" >&2; exit 6
fi
if [ -e current ] && [ ! -L current ]; then echo "newsdesk: current is not a symlink" >&2; exit 5; fi
trap 'rm -f -- ".current.$$"' EXIT
if [ -d "releases/.incoming-$id" ]; then
  if [ -d "releases/$id" ]; then rm -rf -- "releases/.incoming-$id"
  else mv -T -- "releases/.incoming-$id" "releases/$id"; fi
fi
if [ ! -f "releases/$id/release.json" ]; then echo "release $id is missing or incomplete" >&2; exit 3; fi
sync -f "releases/$id" 2>/dev/null || sync
ln -sfn -- "releases/$id" ".current.$$"
mv -T -- ".current.$$" current
"""

_REMOVE = r"""
cd -- "$1/releases" || exit 1
shift
rm -rf -- "$@"
"""

_FREE_SPACE = r"""df -Pk -- "$1" | tail -n 1"""

_PROGRESS = re.compile(r"^\s*([\d,.]+)\s+(\d+)%\s+(\S+/s)")
_SENT = re.compile(r"Total bytes sent:\s*([\d,.]+)")


class RemoteFailure(Exception):
    def __init__(self, failure: Failure, bytes_sent: int | None = 0):
        super().__init__(failure.what)
        self.failure = failure
        self.bytes_sent = bytes_sent  # rsync's own figure; None when it printed none


@dataclass
class RemoteState:
    exists: bool = False
    current: str | None = None
    releases: dict[str, dict] = field(default_factory=dict)  # id -> its release.json
    incoming: list[str] = field(default_factory=list)

    def newest_first(self) -> list[str]:
        return sorted(self.releases, reverse=True,
                      key=lambda rid: (str(self.releases[rid].get("built_at", "")), rid))


class Remote:
    """One target reached through the remote shell (RSYNC_RSH or ssh)."""

    def __init__(self, target: targets.Target, environ: dict, settings: dict):
        self.target = target
        self.environ = environ
        self.command_timeout = settings["PUBLISH_COMMAND_TIMEOUT"]
        self.rsync_timeout = settings["PUBLISH_RSYNC_TIMEOUT"]
        self.rsync_options = list(settings["PUBLISH_RSYNC_OPTIONS"])
        self.lock_stale_after = settings["PUBLISH_LOCK_STALE_AFTER"]

    def run(self, script: str, *args: str, timeout: float | None = None) -> str:
        command = " ".join(["sh", "-c", shlex.quote(script), "sh", *map(shlex.quote, args)])
        argv = targets.ssh_command(self.target, self.environ, command)
        try:
            done = subprocess.run(argv, capture_output=True, text=True, errors="replace",
                                  stdin=subprocess.DEVNULL,
                                  timeout=timeout or self.command_timeout)
        except subprocess.TimeoutExpired:
            raise RemoteFailure(classify(self.target, "timed out", None)) from None
        except FileNotFoundError:
            raise RemoteFailure(Failure("no-shell", f"không chạy được lệnh {argv[0]} trên máy này",
                                        "Cài OpenSSH client (gói openssh-client) hoặc sửa biến "
                                        "RSYNC_RSH.")) from None
        if done.returncode != 0:
            raise RemoteFailure(classify(self.target, done.stderr, done.returncode))
        return done.stdout

    def state(self, prepare: bool = False) -> RemoteState:
        output = self.run(_STATE, self.target.path, "prepare" if prepare else "look")
        state = RemoteState(exists=bool(output))
        for line in output.splitlines():
            kind, _, rest = line.partition("\t")
            if kind == "current":
                state.current = rest.rsplit("/", 1)[-1] or None
            elif kind == "incoming":
                state.incoming.append(rest)
            elif kind == "release":
                name, _, manifest = rest.partition("\t")
                if RELEASE_ID.match(name):  # anything else there is not ours: left alone
                    state.releases[name] = _read_manifest(manifest)
        if state.current not in state.releases:
            state.current = None
        return state

    def activate(self, release_id: str, lock_token: str = "") -> None:
        """Switch `current` to the release, only while the lock still holds `lock_token`."""
        self.run(_ACTIVATE, self.target.path, _checked(release_id), lock_token)

    def remove(self, names: list[str]) -> None:
        for name in names:
            _checked(name.removeprefix(INCOMING))
        if names:
            self.run(_REMOVE, self.target.path, *names)

    def transfer(self, source: Path, release_id: str, link_dest: str | None, size: int,
                 on_progress: Callable[[int, int, str], None] | None = None) -> int | None:
        """Send `source` (`size` bytes) into releases/.incoming-<id>/; returns the bytes sent,
        as rsync's own statistics count them.

        --partial keeps a file cut off mid-way under its own name in the incoming folder
        (never served), so the next run sends only what it lacks; --partial-dir is avoided
        because with it rsync 3.5 fails on a full disk without saying why.
        """
        link = [f"--link-dest=../{_checked(link_dest)}"] if link_dest else []
        command = self._rsync(source, f"releases/{INCOMING}{_checked(release_id)}/",
                              [*link, "--partial", "--stats", "--info=progress2",
                               "--no-inc-recursive"])
        try:
            return sent_bytes(self._run_rsync(command, on_progress))
        except RemoteFailure as error:
            raise self._diagnosed(error, size) from None

    def _diagnosed(self, error: RemoteFailure, size: int) -> RemoteFailure:
        """rsync sometimes exits with "error in file IO" and loses the receiver's reason
        (seen with rsync 3.5 on a full disk): ask the target how much room is left."""
        if error.failure.kind != "unknown":
            return error
        try:
            free = int(self.run(_FREE_SPACE, self.target.path).split()[3]) * 1024
        except (RemoteFailure, ValueError, IndexError):
            return error
        if free >= size:
            return error
        failure = classify(self.target, "No space left on device", None)
        return RemoteFailure(dataclasses.replace(
            failure, detail=f"còn trống {numbers.size(free)}, bản mới cần tới {numbers.size(size)}"),
            error.bytes_sent)

    def changes(self, source: Path, state: RemoteState) -> list[str]:
        """What a transfer would change compared with `current` (rsync --itemize-changes)."""
        destination = "current/" if state.current else f"releases/{INCOMING}dry-run/"
        command = self._rsync(source, destination,
                              ["--dry-run", "--itemize-changes", f"--exclude=/{MANIFEST}"])
        lines = self._run_rsync(command, None).splitlines()
        return [line for line in lines if line.strip() and not line.startswith(".d")]

    def _rsync(self, source: Path, destination: str, options: list[str]) -> list[str]:
        shell = shlex.join(targets.remote_shell(self.target, self.environ))
        # --checksum: Pelican rewrites every file, so dates say nothing; times are not kept so
        # unchanged files match their twins in the previous release and get hard-linked.
        return ["rsync", "--recursive", "--links", "--perms", "--chmod=D755,F644", "--checksum",
                "--delete", f"--timeout={self.rsync_timeout}",
                *options, *self.rsync_options, "-e", shell, "--", f"{source}/",
                self.target.rsync_location(destination)]

    def _run_rsync(self, command: list[str], on_progress) -> str:
        try:
            process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                       stdin=subprocess.DEVNULL)
        except FileNotFoundError:
            raise RemoteFailure(Failure("no-rsync-here", "máy này chưa cài rsync",
                                        "Cài gói rsync (apt-get install rsync).")) from None
        errors: list[bytes] = []
        reader = threading.Thread(target=lambda: errors.append(process.stderr.read()))
        reader.start()
        output = _read_with_progress(process.stdout, on_progress)
        process.wait()
        reader.join()
        if process.returncode != 0:
            stderr = b"".join(errors).decode(errors="replace")
            raise RemoteFailure(classify(self.target, stderr, process.returncode),
                                sent_bytes(output))
        return output


def _read_with_progress(stream, on_progress) -> str:
    """Collect rsync's stdout; progress2 lines (ended by \\r) go to `on_progress`."""
    chunks, pending = [], b""
    while block := os.read(stream.fileno(), 65536):
        chunks.append(block)
        if on_progress is None:
            continue
        *lines, pending = re.split(rb"[\r\n]", pending + block)
        for line in lines:
            match = _PROGRESS.match(line.decode(errors="replace"))
            if match:
                done = int(re.sub(r"\D", "", match[1]))
                on_progress(int(match[2]), done, match[3])
    return b"".join(chunks).decode(errors="replace")


def sent_bytes(output: str) -> int | None:
    """"Total bytes sent" from rsync --stats (None when rsync printed no statistics)."""
    match = _SENT.search(output)
    return int(re.sub(r"\D", "", match[1])) if match else None


def _read_manifest(text: str) -> dict:
    try:
        manifest = json.loads(text)
    except ValueError:
        return {}
    return manifest if isinstance(manifest, dict) else {}


def _checked(release_id: str) -> str:
    """A release id as we make them, never a path: it goes into remote commands."""
    if not RELEASE_ID.match(release_id or ""):
        raise ValueError(f"not a release id: {release_id!r}")
    return release_id
