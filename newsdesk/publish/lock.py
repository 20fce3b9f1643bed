"""One publisher (or rollback) at a time on each target: a lock taken over SSH.

The lock is the directory `path/.publish-lock/` on the target. It holds `token` (random, this
run's own) and `owner` (one JSON line: user, machine, pid, start time, action), so a refusal
can name the holder. It is made complete under a private name and renamed into place: rename
is atomic and fails onto an existing (never empty) lock, so of two publishers exactly one
succeeds, and nobody ever sees a lock without its owner.

A publisher killed while holding the lock cannot release it, and another machine cannot see
whether that publisher's process still lives. So the holder keeps a heartbeat: every quarter
of PUBLISH_LOCK_STALE_AFTER it touches the lock directory. A lock whose heartbeat (its mtime,
measured against the target's own clock, so the publishers' clocks do not matter) is older
than PUBLISH_LOCK_STALE_AFTER is stale and is taken over. Takers go one at a time through a
second `mkdir` (`.publish-lock.takeover`); the winner checks the age again, renames the stale
lock aside (atomic), removes it and puts its own in place. The switch of `current` checks that the
lock still holds this run's token, so a publisher that lost its lock never switches anything.
Releasing removes the lock only when it holds this run's token.
"""

from __future__ import annotations

import datetime as dt
import getpass
import json
import os
import secrets
import socket
import threading
from contextlib import contextmanager
from dataclasses import dataclass

from newsdesk.content import dates
from newsdesk.publish.failures import Failure
from newsdesk.publish.remote import Remote, RemoteFailure

PUBLISHING, ROLLING_BACK = "đăng trang", "quay lại bản trước"

_TAKE = r"""
base=$1 token=$2 owner=$3 stale=$4
lock=$base/.publish-lock
mutex=$lock.takeover
if [ "$5" = create ]; then mkdir -p -- "$base" || exit 1
elif [ ! -d "$base" ]; then echo absent; exit 0; fi
age() { now=$(date +%s); was=$(stat -c %Y -- "$1" 2>/dev/null || echo "$now"); echo $((now - was)); }
claim() {  # a full lock made aside, renamed into place: never seen without its owner
  new=$lock.new-$token
  { mkdir -- "$new" && printf '%s\n' "$token" > "$new/token" \
    && printf '%s\n' "$owner" > "$new/owner"; } || { rm -rf -- "$new"; exit 1; }
  mv -T -- "$new" "$lock" 2>/dev/null && return 0
  rm -rf -- "$new"; return 1
}
busy() { printf 'busy\t%s\t%s\n' "$(age "$lock")" "$(head -c 4096 -- "$lock/owner" 2>/dev/null | tr -d '\n')"; exit 0; }
if claim; then echo taken; exit 0; fi
if [ ! -d "$lock" ] && claim; then echo taken; exit 0; fi  # released in between
[ -d "$lock" ] || { echo "newsdesk: the publish lock cannot be made" >&2; exit 1; }
[ "$(age "$lock")" -lt "$stale" ] && busy
if ! mkdir -- "$mutex" 2>/dev/null; then
  # Another taker is at it; its mutex outlives a takeover only if that taker died mid-way.
  [ "$(age "$mutex")" -ge "$stale" ] && rm -rf -- "$mutex"
  echo taking; exit 0
fi
old=$(head -c 4096 -- "$lock/owner" 2>/dev/null | tr -d '\n')
held=$(age "$lock")
if [ -d "$lock" ]; then
  [ "$held" -lt "$stale" ] && { rmdir -- "$mutex"; busy; }
  mv -T -- "$lock" "$lock.stale-$token" && rm -rf -- "$lock.stale-$token"
else
  old=  # released meanwhile: nothing was taken over
fi
if claim; then
  rmdir -- "$mutex"
  if [ -n "$old" ]; then printf 'took\t%s\t%s\n' "$held" "$old"; else echo taken; fi
  exit 0
fi
rmdir -- "$mutex"; busy
"""

_BEAT = r"""
lock=$1/.publish-lock
[ "$(cat -- "$lock/token" 2>/dev/null)" = "$2" ] || { echo lost; exit 0; }
touch -c -- "$lock" && echo ok
"""

_RELEASE = r"""
lock=$1/.publish-lock
[ "$(cat -- "$lock/token" 2>/dev/null)" = "$2" ] || exit 0
mv -T -- "$lock" "$lock.gone-$2" && rm -rf -- "$lock.gone-$2"
"""


@dataclass(frozen=True)
class Holder:
    """Who holds (or held) a lock, as written in its owner file."""
    user: str = "?"
    machine: str = "?"
    pid: int = 0
    started: str = ""
    action: str = PUBLISHING

    @classmethod
    def me(cls, action: str) -> "Holder":
        try:
            user = getpass.getuser()
        except (OSError, KeyError):  # no login name in the environment nor in passwd
            user = str(os.getuid())
        return cls(user, socket.gethostname(), os.getpid(),
                   dt.datetime.now(dates.TIMEZONE).isoformat(timespec="seconds"), action)

    @classmethod
    def read(cls, text: str) -> "Holder":
        try:
            fields = json.loads(text)
        except ValueError:
            return cls()
        if not isinstance(fields, dict):
            return cls()
        return cls(str(fields.get("user", "?")), str(fields.get("machine", "?")),
                   int(fields.get("pid", 0) or 0), str(fields.get("started", "")),
                   str(fields.get("action", PUBLISHING)))

    def json(self) -> str:
        return json.dumps(self.__dict__, ensure_ascii=False)

    def describe(self) -> str:
        """"root@may-dang-tai (đăng trang, bắt đầu lúc 05:30 ngày 30/11/2026)"."""
        try:
            moment = dt.datetime.fromisoformat(self.started)
            since = f", bắt đầu lúc {dates.time_of_day(moment)} ngày {dates.short_date(moment)}"
        except ValueError:
            since = ", chưa rõ lúc bắt đầu"
        return f"{self.user}@{self.machine} ({self.action}{since})"


@dataclass
class Lease:
    """A lock this run holds; `took_over` names the stale holder it replaced, if any."""
    token: str
    took_over: Holder | None = None
    stale_seconds: int = 0

    def note(self) -> str:
        if self.took_over is None:
            return ""
        return (f"đã tiếp quản khóa cũ của {self.took_over.describe()}: lượt đó không còn "
                f"tín hiệu từ {self.stale_seconds} giây, coi như đã dừng")


def busy_failure(holder: Holder, stale_after: int) -> Failure:
    return Failure(
        "busy", f"đích đang bận: {holder.describe()} đang giữ khóa",
        "Chờ lượt đó xong rồi chạy lại lệnh; các đích khác không bị ảnh hưởng. Nếu lượt đó đã "
        f"bị tắt ngang, khóa tự hết hạn sau {stale_after} giây không có tín hiệu và lượt sau "
        "sẽ tự tiếp quản.")


def taking_failure() -> Failure:
    return Failure(
        "busy", "một lượt khác đang tiếp quản khóa cũ trên đích này",
        "Chạy lại lệnh sau ít phút; các đích khác không bị ảnh hưởng.")


@contextmanager
def held(remote: Remote, action: str, create: bool = True):
    """Hold the target's lock for the `with` block; yields a Lease (None: no target folder
    yet and `create` is off, so there is nothing to guard). Raises RemoteFailure("busy")."""
    stale_after = int(remote.lock_stale_after)
    token = secrets.token_hex(8)
    answer = remote.run(_TAKE, remote.target.path, token, Holder.me(action).json(),
                        str(stale_after), "create" if create else "look").strip()
    kind, _, rest = answer.partition("\t")
    age, _, owner = rest.partition("\t")
    if kind == "absent":
        yield None
        return
    if kind == "taking":
        raise RemoteFailure(taking_failure())
    if kind not in ("taken", "took"):
        raise RemoteFailure(busy_failure(Holder.read(owner), stale_after))
    lease = Lease(token, Holder.read(owner) if kind == "took" else None,
                  int(age) if age.isdigit() else 0)
    stop = threading.Event()
    beat = threading.Thread(target=_heartbeat, args=(remote, lease, stop, stale_after / 4),
                            name=f"lock-{remote.target.name}", daemon=True)
    beat.start()
    try:
        yield lease
    finally:
        stop.set()
        beat.join()
        try:
            remote.run(_RELEASE, remote.target.path, token)
        except RemoteFailure:
            pass  # unreachable now: the lock goes stale and the next run takes it over


def _heartbeat(remote: Remote, lease: Lease, stop: threading.Event, interval: float) -> None:
    while not stop.wait(interval):
        try:
            answer = remote.run(_BEAT, remote.target.path, lease.token,
                                timeout=max(interval, 1)).strip()
        except RemoteFailure:
            continue  # a missed beat; the transfer reports its own trouble
        if answer == "lost":  # taken over: the switch of `current` will refuse (remote.py)
            return
