"""Make document text safe to print on a terminal.

Documents, translations and notes come from anywhere. Printed as they are, an ESC or a
C1 control character would let a text drive the user's terminal (colours, titles, OSC 8
links, clipboard writes). Everything that could is shown as a visible escape instead.
"""

from __future__ import annotations

import re

# C0 controls except tab and newline, DEL, and the C1 range (U+0080–U+009F, which some
# terminals treat as 8-bit CSI/OSC introducers).
CONTROL_RE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _visible(match: re.Match[str]) -> str:
    return f"\\x{ord(match.group()):02x}"


def for_terminal(text: str) -> str:
    """``text`` with control characters replaced by visible ``\\xNN`` escapes."""
    return CONTROL_RE.sub(_visible, text)


def one_line(text: str) -> str:
    """``text`` made safe and flattened to one line (for messages and table cells)."""
    return for_terminal(" ".join(text.split()))


def json_safe(serialised: str) -> str:
    """JSON text with C1 controls (which json.dumps leaves raw) escaped as ``\\u00NN``."""
    return re.sub("[\x7f-\x9f]", lambda m: f"\\u{ord(m.group()):04x}", serialised)
