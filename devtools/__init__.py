"""Development tools: what the tests, benchmarks and asset scripts share (the quality gates,
page weight, the link checker, the system Chromium, a throwaway sshd). The runtime package
`newsdesk` never imports from here."""

from pathlib import Path

# The project checkout these tools work on (they run from a checkout, never from an install).
ROOT = Path(__file__).resolve().parent.parent
