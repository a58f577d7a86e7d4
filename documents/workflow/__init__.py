"""The lifecycles of 公文办理 — the only code that moves a state (through office.workflow):
incoming documents (收文, incoming.py) and outgoing documents (发文, outgoing.py)."""

from . import outgoing  # noqa: E402,F401  (发文: documents.workflow.outgoing.<step>)
from .incoming import (  # noqa: F401  (the app's workflow API: documents.workflow.<step>)
    ARCHIVE_PATTERN,
    ARCHIVE_REGISTER,
    ASSIGNMENT,
    DOCUMENT,
    InvalidTransition,
    _tell,
    accept,
    approve,
    archive,
    assign,
    circulate,
    complete,
    default_deadline,
    document_url,
    finish_circulation,
    grant_hand_back,
    initial,
    instruct,
    propose_handling,
    refuse_hand_back,
    reject,
    request_hand_back,
    return_result,
    return_to_sender,
    screen,
    submit,
    unit_people,
)
