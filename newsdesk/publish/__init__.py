"""Publishing the built site to the district web server and the kiosks (docs/dang-tai.md).

`run` holds the three commands (publish, rollback, releases); `targets` reads where to send,
`release` names the built tree after its content, `drafts` guards against shipping drafts,
`remote` does the transfer and the atomic switch on a target, `deploy` handles one target,
`failures` tells what went wrong in Vietnamese.
"""

from newsdesk.publish.failures import Failure
from newsdesk.publish.run import PublishRun, publish, releases, rollback

__all__ = ["Failure", "PublishRun", "publish", "releases", "rollback"]
