"""公文办理 data: incoming documents (收文, incoming.py) and outgoing documents (发文, outgoing.py)."""

from .incoming import (
    Assignment,
    Attachment,
    Circulation,
    DocType,
    HandlingPolicy,
    IncomingDocument,
    LeaderInstruction,
    ProgressNote,
    Sender,
    attachment_path,
)
from .outgoing import (
    CoSignature,
    Direction,
    DraftVersion,
    NumberFamily,
    NumberRule,
    OutgoingDocument,
    ReviewLevel,
    ReviewRecord,
)

__all__ = [
    "CoSignature",
    "Direction",
    "DraftVersion",
    "NumberFamily",
    "NumberRule",
    "OutgoingDocument",
    "ReviewLevel",
    "ReviewRecord",
    "Assignment",
    "Attachment",
    "Circulation",
    "DocType",
    "HandlingPolicy",
    "IncomingDocument",
    "LeaderInstruction",
    "ProgressNote",
    "Sender",
    "attachment_path",
]
