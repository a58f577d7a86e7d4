"""答复函模板: the text a lead unit starts its reply letter (答复函) from, one per 答复分类
(DOMAIN.md §7: A 已解决或基本解决/已采纳, B 列入计划正在解决, C 条件限制暂不能解决留作参考; the
national NPC's D 留作参考). The proposer's name, the session, the item's number and title are
filled in; the drafter replaces the 「……」 with the substance and edits the rest freely.
The letterhead and the class at the top right are the print layout's (proposals/pdf.py)."""

CLOSINGS = {
    "A": (
        "您提出的问题已经解决（基本解决），所提建议已被采纳。"
        "我们将巩固办理成果，并在今后工作中继续认真听取您的意见。"
    ),
    "B": (
        "您提出的问题已列入我单位工作计划，正在逐步解决。"
        "我们将按计划抓紧推进，并及时向您通报办理进展。"
    ),
    "C": (
        "受……等条件限制，您提出的问题目前暂时难以解决。"
        "我们已将您的意见留作参考，待条件成熟时积极研究推进。"
    ),
    "D": "您提出的意见和建议很有参考价值，我们已留作参考，在今后工作中认真研究借鉴。",
}
GENERIC_CLOSING = "我们将认真研究您的意见和建议，积极推进相关工作。"

TEMPLATE = (
    "{salutation}：\n"
    "　　您在{session}期间提出的《{title}》（{kind}{number}）收悉。"
    "经认真研究，现答复如下：\n"
    "　　……\n"
    "　　{closing}\n"
    "　　衷心感谢您对我们工作的关心和支持，欢迎继续提出宝贵意见。"
)


def salutation(proposal):
    """「张明代表」 for an NPC deputy, 「张明委员」 for a CPPCC member."""
    lead = proposal.lead_author
    name = lead.name if lead else "×××"
    title = "委员" if proposal.session.body == proposal.session.Body.CPPCC else "代表"
    return f"{name}{title}"


def reply_text(proposal, reply_class):
    """The class's template filled in for this item."""
    return TEMPLATE.format(
        salutation=salutation(proposal),
        session=proposal.session.name,
        title=proposal.title,
        kind=proposal.get_kind_display(),
        number=proposal.number_text,
        closing=CLOSINGS.get(reply_class, GENERIC_CLOSING),
    )
