"""One target at a time: publish a release, show what would change, roll back, list releases.

Each function returns an Outcome and never raises for a target's own trouble, so many targets
can run side by side and one failure never stops the others. Publish and rollback hold the
target's lock (lock.py) from their first look at the target to their last change.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from newsdesk.publish import lock
from newsdesk.publish.failures import Failure
from newsdesk.publish.release import LocalRelease
from newsdesk.publish.remote import INCOMING, Remote, RemoteFailure, RemoteState
from newsdesk.publish.targets import Target


@dataclass
class Outcome:
    target: Target
    ok: bool = False
    action: str = ""           # short Vietnamese words for the summary table
    release: str = ""
    bytes_sent: int | None = 0  # rsync's "Total bytes sent"; None: rsync gave no figure
    seconds: float = 0.0
    failure: Failure | None = None
    changes: list[str] = field(default_factory=list)   # dry run: rsync's itemized lines
    note: str = ""


@dataclass
class ReleaseInfo:
    id: str
    manifest: dict
    current: bool


def publish(remote: Remote, release: LocalRelease, keep: int, on_progress=None) -> Outcome:
    """Bring the target to `release`: send what is missing, switch `current`, tidy old ones."""
    outcome = Outcome(remote.target, release=release.id)
    started = time.monotonic()
    try:
        with lock.held(remote, lock.PUBLISHING) as lease:
            _note(outcome, lease.note())
            _publish_locked(remote, release, keep, on_progress, outcome, lease.token)
    except RemoteFailure as error:
        outcome.failure, outcome.action = error.failure, "LỖI"
        outcome.bytes_sent = error.bytes_sent
    finally:
        outcome.seconds = time.monotonic() - started
    return outcome


def _publish_locked(remote: Remote, release: LocalRelease, keep: int, on_progress,
                    outcome: Outcome, token: str) -> None:
    state = remote.state(prepare=True)
    if state.current == release.id:
        outcome.ok, outcome.action = True, "đã ở bản này"
        return
    manifests = dict(state.releases)
    if release.id in state.releases:
        outcome.action = "chuyển sang bản đã có"
    else:
        link_dest = state.current or next(iter(state.newest_first()), None)
        outcome.bytes_sent = remote.transfer(release.tree, release.id, link_dest,
                                             release.bytes, on_progress)
        manifests[release.id] = release.manifest
        outcome.action = "đã đăng bản mới"
    remote.activate(release.id, token)
    outcome.ok = True
    _tidy(remote, outcome, RemoteState(True, release.id, manifests, state.incoming), keep)


def _note(outcome: Outcome, text: str) -> None:
    if text:
        outcome.note = f"{outcome.note}; {text}" if outcome.note else text


def _tidy(remote: Remote, outcome: Outcome, state: RemoteState, keep: int) -> None:
    """Remove releases beyond the newest `keep` (never the current one) and stale transfers."""
    newest = state.newest_first()
    old = [rid for rid in newest[max(keep, 1):] if rid != state.current]
    stale = [name for name in state.incoming if name != INCOMING + state.current]
    try:
        remote.remove(old + stale)
    except RemoteFailure as error:  # the new site is live; leftovers only cost disk space
        _note(outcome, f"chưa dọn được bản cũ: {error.failure.what}")


def dry_run(remote: Remote, release: LocalRelease) -> Outcome:
    outcome = Outcome(remote.target, release=release.id)
    started = time.monotonic()
    try:
        state = remote.state()
        if state.current == release.id:
            outcome.ok, outcome.action = True, "đã ở bản này, không có gì thay đổi"
        else:
            outcome.changes = remote.changes(release.tree, state)
            outcome.ok = True
            outcome.action = ("sẽ chuyển sang bản đã có" if release.id in state.releases
                              else "sẽ đăng bản mới")
    except RemoteFailure as error:
        outcome.failure, outcome.action = error.failure, "LỖI"
    outcome.seconds = time.monotonic() - started
    return outcome


def rollback(remote: Remote, to: str = "") -> Outcome:
    """Switch `current` to the release before it (or to release `to`)."""
    outcome = Outcome(remote.target)
    started = time.monotonic()
    try:
        with lock.held(remote, lock.ROLLING_BACK, create=False) as lease:
            if lease:
                _note(outcome, lease.note())
            _rollback_locked(remote, to, outcome, lease.token if lease else "")
    except RemoteFailure as error:
        outcome.failure, outcome.action = error.failure, "LỖI"
    outcome.seconds = time.monotonic() - started
    return outcome


def _rollback_locked(remote: Remote, to: str, outcome: Outcome, token: str) -> None:
    state = remote.state()
    if to:
        if to not in state.releases:
            raise RemoteFailure(Failure(
                "no-such-release", f"không có bản {to} trên máy này",
                "Xem danh sách bằng `invoke releases` rồi chọn một mã có trong đó."))
        target_release = to
    else:
        if state.current is None:
            raise RemoteFailure(Failure(
                "nothing-live", "máy này chưa có bản nào đang chạy",
                "Đăng trang trước bằng `invoke publish`."))
        order = state.newest_first()
        older = order[order.index(state.current) + 1:]
        if not older:
            raise RemoteFailure(Failure(
                "no-older", f"không còn bản nào cũ hơn bản đang chạy {state.current}",
                "Không thể quay lại thêm; xem các bản bằng `invoke releases`."))
        target_release = older[0]
    remote.activate(target_release, token)
    outcome.ok, outcome.release = True, target_release
    outcome.action = f"đã quay lại bản {target_release}"


def releases(remote: Remote) -> list[ReleaseInfo] | Failure:
    try:
        state = remote.state()
    except RemoteFailure as error:
        return error.failure
    return [ReleaseInfo(rid, state.releases[rid], rid == state.current)
            for rid in state.newest_first()]
