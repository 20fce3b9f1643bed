"""Development tools: what the tests, benchmarks and asset scripts share (the quality gates,
page weight, the link checker, the system Chromium, a throwaway sshd). The runtime package
`newsdesk` never imports from here."""

from pathlib import Path

# The project checkout these tools work on (they run from a checkout, never from an install).
ROOT = Path(__file__).resolve().parent.parent


def as_from_a_terminal() -> None:
    """For a child process (Popen's preexec_fn): Ctrl+C's SIGINT stops it, as in a terminal,
    even when these tests run in the background of a shell, which ignores SIGINT in its
    background jobs and so in their children."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_DFL)
