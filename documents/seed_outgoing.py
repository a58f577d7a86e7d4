"""Demo 发文 for `manage.py seed_demo`: a believable year of the office's own documents (DOMAIN.md
§4; 条例 arts. 19–23, 25).

One city office issues about 534 documents a year (DOMAIN.md §4), under two headers: the city
government (珠府, 珠府函, 珠府令, 纪要) and its general office (珠府办, 珠府办函, 纪要). Over the
last twelve months each working day gets its share. Every document is planned as a full story —
起草, 送审, 科室核稿, 秘书长审核 (some sent back once or twice, each time with a new 稿本), 会签
for some, 签发 by a leader, 复核编号, 用印, 核发 to its 主送/抄送 units, their 签收, 归档 — and is
then cut at the present moment: what lies in the future has not happened yet. A few dozen recent
stories are held at one step so that every demo drafter, reviewer, co-signing unit, leader and
secretary finds work waiting (起草中 … 已用印, and receipts still to sign for).

Numbers are those of office.numbering's registers, contiguous per register and year in the order
of 复核编号; a handful were taken in the wrong register and voided (作废, with the reason) before
the right one was taken, so the 发文登记簿 shows what a year really looks like. The configuration
(review levels, number rules, seals with a generated 印模) is kept up to date on every run.

Everything is drawn from random generators seeded per document: the same day gives the same data.
Idempotent: a numbered document is made only if its number is not taken yet, an unnumbered one
only if its issuing unit has no document of that title; trail rows are written only for what this
run made. States are given to unsaved rows (the workflow moves only what exists).
"""

import datetime
import io
import math
import random
import shutil
import subprocess
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.db import connection
from django.utils import timezone

from office.calendar import add_working_hours
from office.models import Clearance, SerialNumber, Urgency, User
from office.numbering import DEFAULT_PATTERN, format_number

from .models import (
    CoSignature,
    Direction,
    DocType,
    DraftVersion,
    NumberFamily,
    NumberRule,
    OutgoingDocument,
    Receipt,
    ReviewLevel,
    ReviewRecord,
    Seal,
    SealLedgerEntry,
)
from .receipts import SIGNING_HOURS
from .seed import (
    BATCH,
    TRAIL_COLUMNS,
    WorkingDays,
    insert_rows,
    later_moment,
    office_minute,
    raise_counter,
)
from .workflow.outgoing import OUTGOING

SEED = 20260534
YEAR_DOCUMENTS = 534  # DOMAIN.md §4: one city office's year

S = OutgoingDocument.State
D = DocType
LABELS = {
    "draft": "起草",
    "revise": "修改稿件",
    "receive": "签收",
    "void_number": "编号作废",
    **{name: t.label for name, t in OUTGOING.transitions.items()},
}

# --- configuration -----------------------------------------------------------------------------

ISSUERS = ("government", "office")  # demo unit keys of the two headers
RULES = (
    # (issuer, family, 机关代字)
    ("government", NumberFamily.GENERAL, "珠府"),
    ("government", NumberFamily.LETTER, "珠府函"),
    ("government", NumberFamily.ORDER, "珠府令"),
    ("government", NumberFamily.MINUTES, "珠府纪要"),
    ("office", NumberFamily.GENERAL, "珠府办"),
    ("office", NumberFamily.LETTER, "珠府办函"),
    ("office", NumberFamily.MINUTES, "珠府办纪要"),
)
LEVEL_ONE = ("secretary_chief", "secretary_deputy")  # 科室核稿: 秘书科
LEVEL_TWO = (
    "deputy_secretary_general_1",
    "deputy_secretary_general_2",
    "deputy_secretary_general_3",
)
REVIEW_LEVELS = ((1, "科室核稿", LEVEL_ONE), (2, "秘书长审核", LEVEL_TWO))
SEAL_NAMES = {"government": "珠海市人民政府印", "office": "珠海市人民政府办公室印"}


def _cjk_font_path():
    """A CJK font file for the seal's text: the licensed 宋体/黑体 of OFFICIAL_FONTS_DIR
    (office.pdf), else the installed fallback family that office.pdf names, else None."""
    from office import pdf

    found = (
        pdf.find_official_fonts(settings.OFFICIAL_FONTS_DIR) if settings.OFFICIAL_FONTS_DIR else {}
    )
    for role in pdf.FONT_ROLES:
        if role.label in ("宋体", "黑体") and role.family in found:
            return str(found[role.family])
    fc_match = shutil.which("fc-match")
    if fc_match is None:
        return None
    for role in pdf.FONT_ROLES:
        for family in role.fallbacks:
            if family in pdf.installed_families():
                result = subprocess.run(  # noqa: S603 - fixed arguments, no user input
                    [fc_match, "--format", "%{file}", family],
                    capture_output=True,
                    text=True,
                    check=False,
                )
                if result.stdout.strip():
                    return result.stdout.strip()
    return None


def seal_image(name, *, size=360):
    """A red round 印模 as PNG bytes: a ring, a five-pointed star in the middle and, when a CJK
    font is installed, the unit's name along the upper arc (the seal's own words)."""
    from PIL import Image, ImageDraw, ImageFont

    red = (200, 16, 26, 255)
    image = Image.new("RGBA", (size, size), (255, 255, 255, 0))
    draw = ImageDraw.Draw(image)
    centre, radius = size / 2, size / 2 - 8
    draw.ellipse(
        (centre - radius, centre - radius, centre + radius, centre + radius), outline=red, width=10
    )
    star_outer, star_inner = size * 0.15, size * 0.06
    points = []
    for i in range(10):
        r = star_outer if i % 2 == 0 else star_inner
        angle = math.pi / 2 + i * math.pi / 5
        points.append((centre + r * math.cos(angle), centre - r * math.sin(angle)))
    draw.polygon(points, fill=red)
    font_path = _cjk_font_path()
    text = name.removesuffix("印")
    if font_path:
        font = ImageFont.truetype(font_path, int(size * 0.12))
        span = math.radians(250)  # the words run over the top 250° of the ring
        step = span / max(len(text) - 1, 1)
        for index, char in enumerate(text):
            angle = math.pi / 2 + span / 2 - index * step
            x = centre + (radius - size * 0.1) * math.cos(angle)
            y = centre - (radius - size * 0.1) * math.sin(angle)
            glyph = Image.new("RGBA", (int(size * 0.14),) * 2, (255, 255, 255, 0))
            ImageDraw.Draw(glyph).text(
                (glyph.width / 2, glyph.height / 2), char, font=font, fill=red, anchor="mm"
            )
            glyph = glyph.rotate(math.degrees(angle - math.pi / 2), resample=Image.BICUBIC)
            image.alpha_composite(glyph, (int(x - glyph.width / 2), int(y - glyph.height / 2)))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def _store_seal_image(seal, file_name):
    """Write the 印模 through the FileField's storage under a fixed name (seals/<issuer>-seal.png),
    so that demo databases sharing a MEDIA_ROOT (the test runs) share one file instead of piling
    up copies; a file already there with the same content is kept as it is."""
    data = seal_image(seal.name)
    storage = seal.image.storage
    name = seal.image.field.generate_filename(seal, file_name)
    if storage.exists(name):
        with storage.open(name, "rb") as existing:
            same = existing.read() == data
        if same:
            seal.image.name = name
            seal.save(update_fields=["image"])
            return
        storage.delete(name)  # an older rendering of the same demo seal
    seal.image.save(file_name, ContentFile(data), save=True)


def seed_configuration(units, users):
    """Review levels, number rules and one active seal per issuing unit (with its 印模)."""
    for issuer in ISSUERS:
        for level, label, reviewers in REVIEW_LEVELS:
            row, _ = ReviewLevel.objects.update_or_create(
                unit=units[issuer], level=level, defaults={"label": label}
            )
            row.reviewers.set([users[key] for key in reviewers])
    for issuer, family, code in RULES:
        NumberRule.objects.update_or_create(
            unit=units[issuer], family=family, defaults={"code": code, "pattern": DEFAULT_PATTERN}
        )
    seals = {}
    for issuer in ISSUERS:
        seal, _ = Seal.objects.update_or_create(
            unit=units[issuer], name=SEAL_NAMES[issuer], defaults={"is_active": True}
        )
        if not seal.image or not seal.image.storage.exists(seal.image.name):
            _store_seal_image(seal, f"{issuer}-seal.png")
        seals[issuer] = seal
    return seals


# --- what the documents are about --------------------------------------------------------------


def _items(text):
    return tuple(text.split("|"))


@dataclass(frozen=True)
class Topic:
    """A field of work: its units (recipients, requesters, co-signers), the vice mayor whose
    portfolio covers it, the demo handler who drafts for it (代拟稿), and title phrases."""

    key: str
    units: tuple
    leader: str
    drafter: str | None
    works: tuple  # 做好{year}年…工作
    plans: tuple  # 印发《珠海市…》
    campaigns: tuple  # 开展…
    asks: tuple  # 请示 / 批复: 关于同意市教育局…的批复
    letters: tuple  # 函: 关于…的函


def _topic(key, units, leader, drafter, works, plans, campaigns, asks, letters):
    return Topic(
        key,
        _items(units),
        leader,
        drafter,
        _items(works),
        _items(plans),
        _items(campaigns),
        _items(asks),
        _items(letters),
    )


TOPICS = (
    _topic(
        "development",
        "development|finance|statistics|industry|commerce",
        "executive_vice_mayor",
        "development_handler",
        "重大项目建设|国民经济和社会发展计划执行|粮食安全责任制考核|价格监测|招商引资|民营经济发展",
        "推动经济高质量发展若干措施|重大项目管理办法|社会信用体系建设实施方案|促进民营经济发展壮大若干措施",
        "重大项目建设“攻坚年”活动|招商引资项目清理核查|民营企业“大走访”活动",
        "下达年度重大项目投资计划|设立市级产业发展引导基金|调整部分重大项目建设时序",
        "征求《珠海市国民经济和社会发展第十五个五年规划纲要（征求意见稿）》意见|"
        "商请支持珠海市重大项目纳入省重点建设项目",
    ),
    _topic(
        "education",
        "education|human_resources|finance|xiangzhou",
        "vice_mayor_social",
        "education_handler",
        "秋季学期开学|中小学生防溺水|高考中考组织|义务教育招生入学|校园安全|学前教育普惠",
        "学前教育发展行动计划|基础教育扩优提质行动方案|中小学校布局规划",
        "校园及周边安全隐患排查整治|中小学生防溺水专项行动|“双减”落实情况督导",
        "新建公办中小学学位建设项目|调整公办幼儿园保育教育费标准|设立珠海市第二中等职业学校",
        "商请协助做好港澳籍学生入学工作|征求《珠海市中小学校布局规划（征求意见稿）》意见",
    ),
    _topic(
        "housing",
        "housing|natural_resources|urban_management|xiangzhou|doumen",
        "vice_mayor_construction",
        "housing_handler",
        "城市更新|城镇老旧小区改造|建筑施工安全|保障性住房建设|房地产市场平稳健康发展|住房公积金管理",
        "城市更新实施办法|住房发展规划|城镇老旧小区改造工作方案|建筑工程施工安全管理办法",
        "建筑施工安全生产专项整治|自建房安全隐患排查整治|违法建设治理攻坚行动",
        "调整住房公积金缴存基数|实施老旧小区改造项目|调整保障性租赁住房租金标准",
        "商请支持城市更新项目用地审批|征求《珠海市住房发展规划（征求意见稿）》意见",
    ),
    _topic(
        "transport",
        "transport|public_security|housing|jinwan",
        "vice_mayor_construction",
        "transport_handler",
        "春运|道路交通安全|港珠澳大桥通行保障|城市公共交通|交通基础设施建设",
        "综合交通运输体系建设方案|城市公共交通优先发展实施意见|道路货物运输管理办法",
        "道路交通安全隐患排查整治|“两客一危”车辆专项整治|出租车行业服务质量提升行动",
        "调整城市公共汽车票价|开通金湾区至香洲区跨区公交线路|实施珠海大道改造工程",
        "商请协助做好港珠澳大桥珠海口岸通行保障|征求《珠海市综合交通运输体系建设方案》意见",
    ),
    _topic(
        "finance",
        "finance|audit|state_assets|development",
        "executive_vice_mayor",
        "finance_handler",
        "预算执行|政府债务管理|审计查出问题整改|国有资产管理|预算绩效管理",
        "预算绩效管理办法|政府性债务风险应急处置预案|市属国有企业负责人经营业绩考核办法",
        "财政资金使用情况专项检查|审计整改“回头看”|国有企业违规经营投资问题排查",
        "追加年度部门预算|申请新增政府专项债券额度|调整市级财政资金拨付方式",
        "商请支持申报新增政府专项债券项目|征求《珠海市预算绩效管理办法（征求意见稿）》意见",
    ),
    _topic(
        "health",
        "health|medical_insurance|market|civil_affairs",
        "vice_mayor_social",
        "health_handler",
        "流感等呼吸道传染病防控|爱国卫生运动|医保基金监管|食品安全|基层医疗卫生服务",
        "健康珠海行动实施方案|紧密型医疗卫生共同体建设方案|食品安全事故应急预案",
        "医保基金使用专项整治|食品安全“守查保”专项行动|爱国卫生月活动",
        "设立珠海市公共卫生临床中心|调整部分医疗服务价格|建设市级急救指挥中心",
        "商请协助做好跨境医疗合作有关事项|征求《健康珠海行动实施方案》意见",
    ),
    _topic(
        "emergency",
        "emergency|water|public_security|urban_management|xiangzhou|doumen|jinwan",
        "vice_mayor_security",
        None,
        "防汛防风|安全生产|森林防火|城镇燃气安全|消防安全|汛期地质灾害防治",
        "防汛防风应急预案|突发事件总体应急预案|安全生产责任制考核办法",
        "安全生产大检查|城镇燃气安全专项整治|消防安全隐患排查整治|重大事故隐患专项排查",
        "启动防风Ⅳ级应急响应|设立市级应急物资储备库|调整森林防火期",
        "商请协助做好台风防御物资调拨|征求《珠海市突发事件总体应急预案（修订稿）》意见",
    ),
    _topic(
        "ecology",
        "ecology|water|agriculture|natural_resources",
        "vice_mayor_construction",
        None,
        "污染防治攻坚|河长制湖长制|生态环境保护督察整改|垃圾分类|乡村振兴|耕地保护",
        "生态环境保护责任清单|全面推行河长制湖长制实施方案|生活垃圾分类管理办法",
        "黑臭水体整治“回头看”|耕地保护专项整治|生活垃圾分类示范创建",
        "实施前山河流域综合治理工程|调整部分区域生态保护红线|设立市级湿地公园",
        "商请支持前山河流域水环境综合整治|征求《珠海市生活垃圾分类管理办法》意见",
    ),
    _topic(
        "government",
        "data|justice|petitions|market|xiangzhou|high_tech_zone|economic_zone",
        "vice_mayor_security",
        None,
        "政务公开|优化营商环境|12345政务服务便民热线|行政复议|信访|法治政府建设",
        "优化营商环境若干措施|政务服务事项清单|重大行政决策程序规定实施细则|行政规范性文件管理办法",
        "政务服务“一网通办”提升行动|营商环境评价|信访积案化解专项行动|行政执法案卷评查",
        "调整部分区域行政区划|设立高新区唐家湾街道|调整政务服务事项目录",
        "商请协助做好营商环境评价有关工作|征求《珠海市优化营商环境若干措施》意见",
    ),
    _topic(
        "social",
        "civil_affairs|veterans|culture|human_resources|health",
        "vice_mayor_social",
        None,
        "春节期间走访慰问|退役军人安置|文化旅游消费|就业创业|养老服务|重要节假日旅游安全",
        "养老服务体系建设规划|促进文化和旅游消费若干措施|就业补助资金管理办法",
        "“爱心助老”专项行动|春风行动|文化惠民演出季",
        "调整最低生活保障标准|调整城乡居民基础养老金标准|设立珠海市退役军人服务中心",
        "商请协助做好退役士兵接收安置工作|征求《珠海市养老服务体系建设规划》意见",
    ),
)

ANNOUNCEMENTS = (
    "{year}年春节期间香洲区部分区域禁止燃放烟花爆竹",
    "实施情侣路部分路段临时交通管制",
    "征收金湾区红旗镇部分集体土地",
    "划定珠海市烟花爆竹禁止燃放区域",
    "{year}年度珠海市城镇土地使用税税额标准",
)
ORDERS = (
    "珠海市城市道路挖掘管理办法",
    "珠海市公共资源交易管理规定",
    "珠海市历史文化街区保护办法",
    "珠海市物业管理若干规定",
    "珠海市海岸带保护与利用管理规定",
)
UNIT_NAMES = {  # how a title names a unit: 关于同意市教育局…的批复
    "xiangzhou": "香洲区",
    "doumen": "斗门区",
    "jinwan": "金湾区",
    "high_tech_zone": "高新区",
    "economic_zone": "经开区",
}

# 文种 weights, and the share issued under the government's own header (the rest: the office's).
KINDS = (
    # (文种, weight, government share)
    (D.NOTICE, 36, 0.35),
    (D.LETTER, 22, 0.3),
    (D.REPLY, 10, 0.85),
    (D.OPINION, 5, 0.5),
    (D.REPORT, 6, 0.7),
    (D.REQUEST, 6, 0.8),
    (D.CIRCULAR, 5, 0.3),
    (D.DECISION, 3, 1.0),
    (D.MINUTES, 5, 0.7),
    (D.ORDER, 1, 1.0),
    (D.ANNOUNCEMENT, 1, 1.0),
)
UPWARD = (D.REPORT, D.REQUEST)
DEPARTMENTS = (
    "development|education|science|industry|public_security|civil_affairs|justice|finance|"
    "human_resources|natural_resources|ecology|housing|transport|water|agriculture|commerce|"
    "culture|health|veterans|emergency|audit|state_assets|market|statistics|medical_insurance|"
    "urban_management|data|petitions"
).split("|")
DISTRICTS = ("xiangzhou", "doumen", "jinwan", "high_tech_zone", "economic_zone")
# Units with demo accounts: they co-sign and sign for receipts in person.
PEOPLE_UNITS = (
    "education",
    "housing",
    "development",
    "xiangzhou",
    "finance",
    "transport",
    "health",
)

RETURN_OPINIONS = (
    "请进一步精简篇幅，突出工作要求。",
    "第二部分的措施请与相关部门再核对，数据请注明来源。",
    "标题与正文表述不一致，请修改。",
    "请补充资金保障和责任分工的内容。",
    "请法制科进行合法性审查后再报。",
    "主送单位不全，请补充。",
)
REVIEW_OPINIONS = ("", "", "同意。", "已核，文字已作修改。", "拟同意，请秘书长审核。")
LEVEL_TWO_OPINIONS = ("", "同意，请领导签发。", "拟同意，呈{leader}签发。")
SIGN_OFF_OPINIONS = ("同意。", "同意印发。", "发。", "同意，请抓好落实。", "")
CO_SIGN_OPINIONS = ("无意见。", "同意。", "原则同意，建议第三条增加“按职责分工负责”的表述。")
VOID_REASONS = (
    "误在公文登记簿取号，该文为函，号码作废，已按函件重新编号。",
    "取号时文种类别选错（应为函），号码作废，已重新取号。",
)

# --- time --------------------------------------------------------------------------------------


class Cut(Exception):
    """The story reached the present moment, or the step it is held at."""


@dataclass
class Plan:
    """One document's plan and, once told, its rows as they stand at the cut."""

    index: int
    rng: random.Random
    day: int
    doc_type: str
    issuer: str
    topic: Topic
    title: str
    drafter: User
    hold: tuple | None = None  # (state, detail) it waits at, or None for the whole story
    fields: dict = field(default_factory=dict)
    main: list = field(default_factory=list)
    cc: list = field(default_factory=list)
    co_units: list = field(default_factory=list)
    # What the story wrote:
    state: str = S.DRAFT
    review_level: int = 0
    versions: list = field(default_factory=list)  # (number, title, body, author, at, note)
    reviews: list = field(default_factory=list)  # (level, version, reviewer, outcome, opinion, at)
    co_signs: list = field(default_factory=list)  # [unit, requested_at, opinion, by, at]
    events: list = field(default_factory=list)  # (at, actor, action, before, after, opinion)
    signer: User | None = None
    signed_at: datetime.datetime | None = None
    sign_off_opinion: str = ""
    numbered: tuple | None = None  # ((day, minute), actor) of 复核编号
    void: tuple | None = None  # (allocated (day, minute), voided (day, minute), reason)
    sealed_at: datetime.datetime | None = None
    seal_use: tuple | None = None  # (issuer, copies, applicant, approver, at)
    dispatched_at: datetime.datetime | None = None
    receipts: list = field(default_factory=list)
    archived_at: datetime.datetime | None = None
    # Given once every story is told:
    register: str = ""
    year: int = 0
    serial: int = 0
    number: str = ""


class Teller:
    """Tells the stories: each step at a moment (working-day index, minute), as the workflow
    would have done it, up to the present or the step the story is held at."""

    def __init__(self, demo, working_days, now_at):
        self.units = demo["units"]
        self.users = demo["users"]
        self.wd = working_days
        self.now_at = now_at
        self.tz = timezone.get_current_timezone()
        self.moments = {}

    def moment(self, at):
        if at not in self.moments:
            day, minute = at
            time = datetime.time(min(minute, 24 * 60 - 1) // 60, minute % 60)
            self.moments[at] = datetime.datetime.combine(self.wd.days[day], time, tzinfo=self.tz)
        return self.moments[at]

    # one step ------------------------------------------------------------------------------

    def step(self, plan, at, actor, action, to_state=None, opinion=""):
        if at > self.now_at:
            raise Cut
        before = S(plan.state).label if to_state is not None and action != "draft" else ""
        after = S(to_state).label if to_state is not None else ""
        plan.events.append((at, actor, action, before, after, opinion))
        if to_state is not None:
            plan.state = to_state
        return self.moment(at)

    def held(self, plan, state, detail=None):
        if plan.hold == (state, detail):
            raise Cut

    def tell(self, plan):
        try:
            self._tell(plan)
        except Cut:
            pass
        return plan

    def _tell(self, plan):
        rng, users = plan.rng, self.users
        at = (plan.day, office_minute(rng))
        created = self.step(plan, at, plan.drafter, "draft", S.DRAFT)
        plan.fields["created_at"] = created
        plan.versions.append((1, plan.title, body_text(plan), plan.drafter, created, ""))
        self.held(plan, S.DRAFT)
        classified = plan.fields["classification"]
        level_one = [users[k] for k in LEVEL_ONE if users[k].clearance >= classified]
        returns = rng.choices((0, 1, 2), (70, 25, 5))[0]
        where = [rng.choices(("one", "two", "signer"), (5, 3, 2))[0] for _ in range(returns)]
        if plan.co_units:  # a text the signer sends back is co-signed again: keep it simple
            where = [w if w != "signer" else "two" for w in where]
        if plan.hold == (S.RETURNED, None) and not where:
            where = ["one"]
        leader = self.leader_for(plan)
        level_two = users[self.topic_secretary_general(plan)]
        round_ = 0
        while True:
            returning = where[round_] if round_ < len(where) else None
            at = later_moment(rng, at, rng.choice((0, 0, 1)))
            self.step(plan, at, plan.drafter, "submit", S.IN_REVIEW)
            plan.review_level = 1
            self.held(plan, S.IN_REVIEW, 1)
            version = plan.versions[-1][0]
            reviewer = rng.choice(level_one)
            at = later_moment(rng, at, rng.choice((0, 0, 1)), 20, 240)
            if returning == "one":
                at = self.send_back(plan, at, reviewer, 1, version)
                round_ += 1
                continue
            opinion = rng.choice(REVIEW_OPINIONS)
            self.step(plan, at, reviewer, "pass_review", S.IN_REVIEW, opinion)
            plan.reviews.append((1, version, reviewer, "approved", opinion, self.moment(at)))
            plan.review_level = 2
            self.held(plan, S.IN_REVIEW, 2)
            at = later_moment(rng, at, rng.choice((0, 1, 1)), 20, 240)
            if returning == "two":
                at = self.send_back(plan, at, level_two, 2, version)
                round_ += 1
                continue
            opinion = rng.choice(LEVEL_TWO_OPINIONS).format(leader=leader_name(leader))
            if plan.co_units:
                self.step(plan, at, level_two, "send_to_co_sign", S.CO_SIGNING, opinion)
            else:
                self.step(plan, at, level_two, "finish_review", S.AWAITING_SIGN_OFF, opinion)
            plan.reviews.append((2, version, level_two, "approved", opinion, self.moment(at)))
            if plan.co_units:
                at = self.co_sign(plan, at)
            self.held(plan, S.AWAITING_SIGN_OFF)
            at = later_moment(rng, at, rng.choice((0, 1, 1, 2)), 30, 300)
            if returning == "signer":
                at = self.send_back(plan, at, leader, 0, version, signer=True)
                round_ += 1
                continue
            break
        opinion = rng.choice(SIGN_OFF_OPINIONS)
        plan.signer, plan.sign_off_opinion = leader, opinion
        plan.signed_at = self.step(plan, at, leader, "sign_off", S.SIGNED, opinion)
        self.held(plan, S.SIGNED)
        self.finish(plan, at)

    def send_back(self, plan, at, reviewer, level, version, *, signer=False):
        """退回修改 with comments; the drafter revises (a new 稿本) and the story goes on."""
        rng = plan.rng
        opinion = rng.choice(RETURN_OPINIONS)
        self.step(plan, at, reviewer, "return_for_revision", S.RETURNED, opinion)
        plan.reviews.append((level, version, reviewer, "returned", opinion, self.moment(at)))
        plan.review_level = 0
        self.held(plan, S.RETURNED)
        at = later_moment(rng, at, rng.choice((0, 1, 1)), 60, 300)
        number = version + 1
        note = "根据审核意见修改" if not signer else "根据领导意见修改"
        revised = self.step(plan, at, plan.drafter, "revise", None, f"第{number}稿：{note}")
        plan.versions.append(
            (number, plan.title, body_text(plan, number), plan.drafter, revised, note)
        )
        return at

    def co_sign(self, plan, at):
        """会签 by each concerned unit in parallel; the last opinion sends it to sign-off."""
        rng = plan.rng
        requested = self.moment(at)
        plan.co_signs = [[unit, requested, "", None, None] for unit in plan.co_units]
        answers = sorted(
            (later_moment(rng, at, rng.choice((0, 1, 1, 2)), 30, 300), index)
            for index in range(len(plan.co_units))
        )
        for position, (when, index) in enumerate(answers):
            if plan.hold == (S.CO_SIGNING, None) and position == len(answers) - 1:
                raise Cut  # the last unit (a demo unit) is still to give its opinion
            unit = self.units[plan.co_units[index]]
            person = self.unit_person(plan.co_units[index])
            opinion = rng.choice(CO_SIGN_OPINIONS)
            actor = person or unit
            signed_at = self.step(plan, when, actor, "co_sign", S.CO_SIGNING, opinion)
            plan.co_signs[index][2:] = [opinion, person, signed_at]
            at = when
        self.step(plan, at, actor, "finish_co_signing", S.AWAITING_SIGN_OFF)
        return at

    def finish(self, plan, at):
        """复核编号, 用印, 核发, the units' 签收 and 归档."""
        rng, users = plan.rng, self.users
        confidential = plan.fields["classification"] >= Clearance.CONFIDENTIAL
        clerk = (
            users["secretary_chief"]
            if confidential
            else rng.choice((users["secretary_documents"], users["secretary_documents_clerk"]))
        )
        at = later_moment(rng, at, rng.choice((0, 1, 1)), 30, 240)
        if plan.void is not None:
            taken = at
            at = later_moment(rng, at, 0, 10, 40)
            plan.void = (taken, at, plan.void[2])
            at = later_moment(rng, at, 0, 2, 10)
        self.step(plan, at, clerk, "number", S.NUMBERED)  # opinion: the number, given later
        plan.numbered = (at, clerk)
        self.held(plan, S.NUMBERED)
        at = later_moment(rng, at, rng.choice((0, 0, 1)), 30, 180)
        copies = plan.fields["print_copies"]
        self.step(plan, at, clerk, "seal", S.SEALED, f"{SEAL_NAMES[plan.issuer]}，{copies}份")
        plan.sealed_at = self.moment(at)
        plan.seal_use = (plan.issuer, copies, clerk, plan.signer, plan.sealed_at)
        self.held(plan, S.SEALED)
        at = later_moment(rng, at, 0, 10, 90)
        recipients = [(u, Receipt.Role.MAIN) for u in plan.main] + [
            (u, Receipt.Role.CC) for u in plan.cc if u not in plan.main
        ]
        names = "、".join(self.units[u].short_name for u, _ in recipients)
        on_paper = confidential
        action = "dispatch_on_paper" if on_paper else "dispatch"
        plan.dispatched_at = self.step(plan, at, clerk, action, S.DISPATCHED, names)
        sent_at = at
        stubborn = plan.hold is None and rng.random() < 0.012  # a unit that never signs
        pending = plan.hold[1] if plan.hold and plan.hold[0] == S.DISPATCHED else ()
        signed_all = True
        due = None if on_paper else self.receipt_due(sent_at)
        for position, (unit_key, role) in enumerate(recipients):
            receipt = {
                "unit": unit_key,
                "role": role,
                "channel": Receipt.Channel.PAPER if on_paper else Receipt.Channel.EXCHANGE,
                "sent_at": plan.dispatched_at,
                "due_at": self.moment(due) if due else None,
                "received_at": None,
                "received_by": None,
                "chased_at": None,
            }
            plan.receipts.append(receipt)
            # A unit with nobody in the system (a higher authority): the secretary records it.
            person = (
                self.unit_person(unit_key, handler_first=True)
                or self.users["secretary_documents_clerk"]
            )
            late = rng.random() < 0.08
            if on_paper:
                when = later_moment(rng, sent_at, rng.choice((0, 1)), 60, 300)
            elif late:
                when = (due[0] + rng.choice((0, 1)), min(due[1] + rng.randint(30, 240), 23 * 60))
            else:
                when = later_moment(rng, sent_at, 0, 15, 360)
            never = unit_key in pending or (stubborn and position == len(recipients) - 1)
            if never or when > self.now_at:
                signed_all = False
                if due and due < self.now_at and rng.random() < 0.7:
                    chased = later_moment(rng, due, 0, 10, 60)
                    if chased <= self.now_at:
                        receipt["chased_at"] = self.moment(chased)
                continue
            receipt["received_at"] = self.moment(when)
            receipt["received_by"] = person
            plan.events.append((when, person, "receive", "", "", self.units[unit_key].name))
        if not signed_all or pending:
            return
        last = max((e[0] for e in plan.events), default=at)
        at = later_moment(rng, last, rng.randint(2, 12))
        self.step(plan, at, users["secretary_documents_clerk"], "archive", S.ARCHIVED)
        plan.archived_at = self.moment(at)

    # who ---------------------------------------------------------------------------------------

    def receipt_due(self, sent):
        """签收时限: SIGNING_HOURS working hours after sending (office hours on working days), as
        documents.workflow.outgoing.dispatch sets it."""
        due = timezone.localtime(add_working_hours(self.moment(sent), SIGNING_HOURS))
        return (self.wd.index_on_or_before(due.date()), due.hour * 60 + due.minute)

    def unit_person(self, unit_key, *, handler_first=False):
        """The demo account who acts for a unit (head, or handler first for receipts), if any."""
        unit = self.units[unit_key]
        order = ("handler", "head") if handler_first else ("head", "handler")
        for suffix in order:
            user = self.users.get(f"{unit_key}_{suffix}")
            if user is not None and user.unit_id == unit.pk:
                return user
        return None

    def leader_for(self, plan):
        """签发人: the mayor for 令 and 决定, the vice mayor of the field for the government's
        other documents, the secretary-general or the linked deputy for the office's."""
        users, rng = self.users, plan.rng
        if plan.issuer == "government":
            if plan.doc_type in (D.ORDER, D.DECISION, D.REQUEST) or rng.random() < 0.15:
                return users["mayor"]
            return users[plan.topic.leader]
        if rng.random() < 0.4:
            return users["secretary_general"]
        return users[self.topic_secretary_general(plan)]

    def topic_secretary_general(self, plan):
        liaison = self.users[plan.topic.leader].liaison
        return next(
            (key for key in LEVEL_TWO if liaison and self.users[key].pk == liaison.pk), LEVEL_TWO[0]
        )


COLLECTIVE_ADDRESSEE = "各区人民政府（管委会），市政府各部门、各直属机构"


def leader_name(user):
    return user.real_name + user.title.split("、")[0].removeprefix("市政府")


def body_text(plan, version=1):
    """A short text in the shape of the 文种 (the demo's 正文; the print layout lays it out)."""
    year = plan.fields.get("created_at", timezone.now()).year
    work = plan.rng.choice(plan.topic.works)
    closing = {
        D.REQUEST: "妥否，请批示。",
        D.REPORT: "特此报告。",
        D.LETTER: "请予支持为盼。",
        D.REPLY: "此复。",
        D.CIRCULAR: "特此通报。",
    }.get(plan.doc_type, "请认真贯彻执行。")
    lines = [  # the addressee is printed from the document's 主送, not typed into the text
        f"为贯彻落实党中央、国务院和省委、省政府关于{work}工作的决策部署，"
        f"结合我市实际，现就{year}年有关工作事项{'函告' if plan.doc_type == D.LETTER else '明确'}如下：",
        "一、提高思想认识。各单位要把此项工作摆在突出位置，主要负责同志亲自抓、负总责。",
        "二、压实工作责任。各牵头单位要细化工作方案，明确时间表、路线图，确保各项任务按期完成。",
        "三、加强督促检查。市政府办公室将会同有关部门跟踪督办，对工作推进不力的予以通报。",
    ]
    if version > 1:
        lines.insert(4, f"（第{version}稿补充）请各单位于每月5日前报送工作进展情况。")
    lines.append(closing)
    return "\n".join(lines)


# --- planning the year -------------------------------------------------------------------------


class Planner:
    def __init__(self, demo, working_days):
        self.units = demo["units"]
        self.users = demo["users"]
        self.wd = working_days
        self.minutes_count = {}

    def plan(self, index, day, *, hold=None, doc_type=None, issuer=None, topic=None, drafter=None):
        rng = random.Random(SEED * 10_000 + index)
        if doc_type is None:
            kinds = [k for k, *_ in KINDS]
            doc_type = rng.choices(kinds, [w for _, w, _ in KINDS])[0]
        share = next(g for k, _, g in KINDS if k == doc_type)
        if issuer is None:
            issuer = "government" if rng.random() < share else "office"
        topic = topic or rng.choice(TOPICS)
        classification = Clearance.NONE
        if hold is None and doc_type not in (D.ORDER, D.ANNOUNCEMENT, D.MINUTES):
            roll = rng.random()
            if roll < 0.008:
                classification = Clearance.CONFIDENTIAL
            elif roll < 0.04:
                classification = Clearance.SECRET
        drafter = drafter or self.drafter(rng, doc_type, topic, classification)
        year = self.wd.days[day].year
        title = self.title(rng, doc_type, issuer, topic, year)
        plan = Plan(index, rng, day, doc_type, issuer, topic, title, drafter, hold=hold)
        urgency = rng.choices((Urgency.NORMAL, Urgency.URGENT, Urgency.EXTRA_URGENT), (85, 12, 3))[
            0
        ]
        plan.main, plan.cc = self.recipients(rng, doc_type, issuer, topic, title)
        copies = len(plan.main) + len(plan.cc) + rng.randint(5, 15)
        plan.fields = {
            "doc_type": doc_type,
            "issuing_unit": self.units[issuer],
            "direction": Direction.UPWARD
            if doc_type in UPWARD
            else Direction.PARALLEL
            if doc_type == D.LETTER
            else Direction.DOWNWARD,
            "title": title,
            "classification": classification,
            "secrecy_period": {
                Clearance.SECRET: rng.choice(("1年", "2年", "5年")),
                Clearance.CONFIDENTIAL: "10年",
            }.get(classification, ""),
            "copy_number": f"{rng.randint(1, copies):06d}" if classification else "",
            "urgency": urgency,
            "print_copies": copies,
            "printing_unit": self.units["office"],
            "drafter": drafter,
            "drafting_unit_id": drafter.unit_id,
        }
        if doc_type not in UPWARD and doc_type != D.LETTER and len(plan.main) >= 4:
            plan.fields["addressee_text"] = COLLECTIVE_ADDRESSEE
        if rng.random() < 0.15 and doc_type in (D.NOTICE, D.OPINION, D.REPLY, D.DECISION):
            choices = [u for u in topic.units if u in PEOPLE_UNITS] or list(PEOPLE_UNITS)
            plan.co_units = rng.sample(choices, min(len(choices), rng.randint(1, 2)))
        if doc_type == D.LETTER and hold is None and rng.random() < 0.02:
            plan.void = (None, None, rng.choice(VOID_REASONS))
        return plan

    def drafter(self, rng, doc_type, topic, classification):
        users = self.users
        if classification >= Clearance.CONFIDENTIAL:
            return users["secretary_chief"]
        if doc_type == D.MINUTES:
            return users["secretary_meetings"]
        if doc_type in (D.ORDER, D.DECISION):
            return users["secretary_legal"]
        if topic.drafter and classification == Clearance.NONE and rng.random() < 0.25:
            return users[topic.drafter]  # 代拟稿 by the unit that knows the field
        return users[
            rng.choices(
                ("secretary_drafting", "secretary_documents_clerk", "secretary_proposals"),
                (6, 2, 1),
            )[0]
        ]

    def title(self, rng, doc_type, issuer, topic, year):
        work = rng.choice(topic.works)
        plan = rng.choice(topic.plans)
        campaign = rng.choice(topic.campaigns)
        ask = rng.choice(topic.asks)
        requester = rng.choice(topic.units)
        requester_name = UNIT_NAMES.get(requester) or self.units[requester].short_name
        if doc_type == D.NOTICE:
            return rng.choice(
                (
                    f"关于做好{year}年{work}工作的通知",
                    f"关于印发《珠海市{plan}》的通知",
                    f"关于开展{campaign}的通知",
                    f"关于进一步加强{work}工作的通知",
                )
            )
        if doc_type == D.OPINION:
            return rng.choice(
                (f"关于进一步加强{work}工作的意见", f"关于加快推进{work}工作的实施意见")
            )
        if doc_type == D.REPLY:
            return f"关于同意{requester_name}{ask}的批复"
        if doc_type == D.LETTER:
            return f"关于{rng.choice(topic.letters)}的函"
        if doc_type == D.REPORT:
            return rng.choice(
                (f"关于{year}年{work}工作情况的报告", f"关于{campaign}开展情况的报告")
            )
        if doc_type == D.REQUEST:
            return f"关于{ask}的请示"
        if doc_type == D.CIRCULAR:
            return rng.choice(
                (f"关于{campaign}督查情况的通报", f"关于{year}年上半年{work}工作情况的通报")
            )
        if doc_type == D.DECISION:
            return rng.choice(
                (
                    f"关于表彰{year}年度{work}工作先进集体和先进个人的决定",
                    f"关于修改《珠海市{plan}》的决定",
                    "关于废止和修改部分市政府规章的决定",
                )
            )
        if doc_type == D.MINUTES:
            if issuer == "government":
                count = self.minutes_count[year] = self.minutes_count.get(year, 0) + 1
                return f"市人民政府{year}年第{count}次常务会议纪要"
            return f"关于研究{work}工作的专题会议纪要"
        if doc_type == D.ORDER:
            return rng.choice(ORDERS)
        return f"关于{rng.choice(ANNOUNCEMENTS).format(year=year)}的公告"

    def recipients(self, rng, doc_type, issuer, topic, title):
        """主送 and 抄送 that fit the 文种: 请示/报告 go up to one body, 批复 to the asker,
        函 to the units concerned, the rest down to the districts and departments."""
        if doc_type in UPWARD:
            return (["province"] if issuer == "government" else ["province_office"]), []
        if doc_type == D.REPLY:
            requester = next(
                (
                    k
                    for k in topic.units
                    if (UNIT_NAMES.get(k) or self.units[k].short_name) in title
                ),
                topic.units[0],
            )
            others = [u for u in topic.units if u != requester]
            return [requester], rng.sample(others, min(len(others), rng.randint(0, 2)))
        if doc_type == D.LETTER:
            return rng.sample(topic.units, min(len(topic.units), rng.randint(1, 3))), []
        if doc_type == D.MINUTES:
            return rng.sample(topic.units, min(len(topic.units), rng.randint(2, 5))), [
                "npc",
                "cppcc",
            ]
        if doc_type in (D.ORDER, D.DECISION, D.OPINION) or rng.random() < 0.3:
            cc = ["npc", "cppcc"] + (["province_office"] if doc_type == D.ORDER else [])
            return [*DISTRICTS, *DEPARTMENTS], cc
        main = list(DISTRICTS) + [u for u in topic.units if u not in DISTRICTS]
        return main, (["npc", "cppcc"] if issuer == "government" and rng.random() < 0.5 else [])


# Recent stories held at one step, so every demo account finds work waiting. Each line: the
# state (and level, or the units that have not signed for it yet) it waits at, issuer (GOV 珠府 /
# OFF 珠府办), 文种, drafter, topic and co-signing units.
GOV, OFF = "government", "office"
HOLDS = tuple(
    ((state, detail), issuer, doc_type, drafter, topic, tuple(co.split()))
    for state, detail, issuer, doc_type, drafter, topic, co in (
        (S.DRAFT, None, OFF, D.NOTICE, "secretary_drafting", "social", ""),
        (S.DRAFT, None, GOV, D.NOTICE, "education_handler", "education", ""),
        (S.DRAFT, None, GOV, D.REPLY, "housing_handler", "housing", ""),
        (S.DRAFT, None, OFF, D.CIRCULAR, "supervisor_chief", "government", ""),
        (S.DRAFT, None, OFF, D.CIRCULAR, "supervisor_deputy", "emergency", ""),
        (S.DRAFT, None, OFF, D.NOTICE, "supervisor_clerk", "health", ""),
        (S.DRAFT, None, GOV, D.DECISION, "secretary_legal", "government", ""),
        (S.RETURNED, None, OFF, D.LETTER, "secretary_proposals", "social", ""),
        (S.RETURNED, None, GOV, D.REQUEST, "development_handler", "development", ""),
        (S.RETURNED, None, GOV, D.REPLY, "transport_handler", "transport", ""),
        (S.RETURNED, None, OFF, D.NOTICE, "secretary_drafting", "ecology", ""),
        (S.IN_REVIEW, 1, OFF, D.NOTICE, "secretary_drafting", "emergency", ""),
        (S.IN_REVIEW, 1, GOV, D.OPINION, "secretary_drafting", "education", ""),
        (S.IN_REVIEW, 1, OFF, D.LETTER, "secretary_documents_clerk", "finance", ""),
        (S.IN_REVIEW, 1, GOV, D.NOTICE, "finance_handler", "finance", ""),
        (S.IN_REVIEW, 1, GOV, D.MINUTES, "secretary_meetings", "development", ""),
        (S.IN_REVIEW, 2, GOV, D.NOTICE, "secretary_drafting", "development", ""),
        (S.IN_REVIEW, 2, GOV, D.REPORT, "secretary_drafting", "social", ""),
        (S.IN_REVIEW, 2, OFF, D.NOTICE, "secretary_drafting", "housing", ""),
        (S.IN_REVIEW, 2, OFF, D.LETTER, "health_handler", "health", ""),
        (S.CO_SIGNING, None, GOV, D.OPINION, "secretary_drafting", "education", "education"),
        (S.CO_SIGNING, None, GOV, D.NOTICE, "secretary_drafting", "housing", "housing"),
        (S.CO_SIGNING, None, GOV, D.NOTICE, "secretary_drafting", "development", "development"),
        (S.CO_SIGNING, None, OFF, D.NOTICE, "secretary_drafting", "emergency", "xiangzhou"),
        (S.CO_SIGNING, None, GOV, D.OPINION, "secretary_drafting", "finance", "finance"),
        (S.CO_SIGNING, None, OFF, D.NOTICE, "secretary_drafting", "transport", "transport"),
        (S.CO_SIGNING, None, GOV, D.NOTICE, "secretary_drafting", "health", "health"),
        (S.AWAITING_SIGN_OFF, None, GOV, D.NOTICE, "secretary_drafting", "development", ""),
        (S.AWAITING_SIGN_OFF, None, GOV, D.REPLY, "secretary_drafting", "education", ""),
        (S.AWAITING_SIGN_OFF, None, GOV, D.OPINION, "secretary_drafting", "housing", ""),
        (S.AWAITING_SIGN_OFF, None, GOV, D.NOTICE, "secretary_drafting", "emergency", ""),
        (S.AWAITING_SIGN_OFF, None, OFF, D.NOTICE, "secretary_drafting", "government", ""),
        (S.AWAITING_SIGN_OFF, None, OFF, D.LETTER, "secretary_documents_clerk", "social", ""),
        (S.AWAITING_SIGN_OFF, None, GOV, D.REQUEST, "secretary_drafting", "ecology", ""),
        (S.SIGNED, None, OFF, D.NOTICE, "secretary_drafting", "transport", ""),
        (S.SIGNED, None, GOV, D.LETTER, "secretary_drafting", "development", ""),
        (S.SIGNED, None, GOV, D.REPLY, "secretary_drafting", "government", ""),
        (S.NUMBERED, None, OFF, D.NOTICE, "secretary_drafting", "health", ""),
        (S.NUMBERED, None, GOV, D.NOTICE, "secretary_drafting", "finance", ""),
        (S.SEALED, None, OFF, D.LETTER, "secretary_documents_clerk", "education", ""),
        (S.SEALED, None, GOV, D.NOTICE, "secretary_drafting", "social", ""),
        # 已核发, and the units with demo accounts have not signed for them yet (签收).
        (
            S.DISPATCHED,
            ("education", "health"),
            GOV,
            D.NOTICE,
            "secretary_drafting",
            "education",
            "",
        ),
        (
            S.DISPATCHED,
            ("housing", "xiangzhou"),
            GOV,
            D.NOTICE,
            "secretary_drafting",
            "housing",
            "",
        ),
        (
            S.DISPATCHED,
            ("development", "finance"),
            OFF,
            D.NOTICE,
            "secretary_drafting",
            "development",
            "",
        ),
        (S.DISPATCHED, ("transport",), OFF, D.LETTER, "secretary_drafting", "transport", ""),
    )
)


def _window(today):
    """The last twelve months: from the day after the same date a year ago up to today."""
    try:
        start = today.replace(year=today.year - 1) + datetime.timedelta(days=1)
    except ValueError:  # 29 February
        start = today.replace(year=today.year - 1, day=28) + datetime.timedelta(days=1)
    return start


def plan_year(demo, working_days, first, last):
    """Every document of the last twelve months: the year's stories spread over the working
    days, and the held ones among the last two weeks'."""
    planner = Planner(demo, working_days)
    users = demo["users"]
    days = last - first + 1
    issued = YEAR_DOCUMENTS - len(HOLDS)
    plans = []
    for index in range(issued):
        # Spread evenly over the window, the last three weeks left to the held stories mostly.
        day = first + (index * (days - 8)) // issued
        plans.append(planner.plan(index, day))
    topics = {t.key: t for t in TOPICS}
    for offset, (hold, issuer, doc_type, drafter, topic, co_units) in enumerate(HOLDS):
        index = 100_000 + offset
        rng = random.Random(SEED * 10_000 + index)
        depth = {S.DRAFT: 1, S.RETURNED: 5, S.IN_REVIEW: 4, S.CO_SIGNING: 8}.get(hold[0], 12)
        day = max(first, last - rng.randint(depth, depth + 4))
        plan = planner.plan(
            index,
            day,
            hold=hold,
            doc_type=doc_type,
            issuer=issuer,
            topic=topics[topic],
            drafter=users[drafter],
        )
        plan.co_units = list(co_units)
        if hold[0] == S.DISPATCHED:
            plan.main = list(dict.fromkeys([*hold[1], *plan.main]))
        plans.append(plan)
    return plans


# --- the seeder --------------------------------------------------------------------------------


def _number(plans, rules, moment):
    """发文字号 in the order of 复核编号, per register and year; a voided number first takes
    its place in the register it was wrongly taken from."""
    counters = {}
    voids = []
    numbered = sorted((p for p in plans if p.numbered), key=lambda p: (p.numbered[0], p.index))
    for plan in numbered:
        year = moment(plan.numbered[0]).year
        if plan.void is not None:
            key = rules[(plan.issuer, NumberFamily.GENERAL)]
            counters[(key, year)] = counters.get((key, year), 0) + 1
            number = counters[(key, year)]
            voids.append(
                (
                    plan,
                    key,
                    year,
                    number,
                    format_number(DEFAULT_PATTERN, key=key, year=year, number=number),
                )
            )
        key = rules[(plan.issuer, NumberFamily.for_doc_type(plan.doc_type))]
        counters[(key, year)] = counters.get((key, year), 0) + 1
        plan.register, plan.year, plan.serial = key, year, counters[(key, year)]
        plan.number = format_number(DEFAULT_PATTERN, key=key, year=year, number=plan.serial)
    return voids, counters


def seed_outgoing(demo):
    """A year of 发文 up to today. Returns {"seals": {issuer: Seal}, "outgoing": {发文字号 or
    title: document id}} for the seeders after it."""
    units, users = demo["units"], demo["users"]
    seals = seed_configuration(units, users)
    rules = {(issuer, family): code for issuer, family, code in RULES}

    now = timezone.localtime()
    today = now.date()
    start = _window(today)
    working_days = WorkingDays(start, today + datetime.timedelta(days=40))
    first = 0
    last = working_days.index_on_or_before(today)
    if working_days.days[last] == today:
        now_at = (last, now.hour * 60 + now.minute)
    else:
        now_at = (last, 24 * 60)

    plans = plan_year(demo, working_days, first, last)
    teller = Teller(demo, working_days, now_at)
    # A story whose first step lies ahead (later today) has not begun.
    plans = [plan for plan in map(teller.tell, plans) if plan.events]
    voids, counters = _number(plans, rules, teller.moment)

    # Idempotent: what is already there is not made again.
    keys = {code for _, _, code in RULES}
    taken = set(SerialNumber.objects.filter(key__in=keys).values_list("key", "year", "number"))
    existing_numbers = set(
        OutgoingDocument.objects.exclude(document_number="").values_list(
            "document_number", flat=True
        )
    )
    existing_titles = set(
        OutgoingDocument.objects.filter(document_number="").values_list("issuing_unit_id", "title")
    )
    fresh = []
    for plan in plans:
        if plan.number:
            if (plan.register, plan.year, plan.serial) in taken or plan.number in existing_numbers:
                continue
        elif (units[plan.issuer].pk, plan.title) in existing_titles:
            continue
        fresh.append(plan)
    fresh_voids = [v for v in voids if (v[1], v[2], v[3]) not in taken]
    _write(fresh, fresh_voids, demo, seals, teller.moment)
    for (key, year), number in counters.items():
        raise_counter(key, year, number)
    made = {}
    for pk, number, title in OutgoingDocument.objects.filter(
        issuing_unit__in=[units[i] for i in ISSUERS]
    ).values_list("pk", "document_number", "title"):
        made[number or title] = pk
    return {"seals": seals, "outgoing": made}


def _write(plans, voids, demo, seals, moment):
    units = demo["units"]
    documents = []
    for plan in plans:
        f = dict(plan.fields)
        document = OutgoingDocument(
            state=plan.state,
            review_level=plan.review_level if plan.state == S.IN_REVIEW else 0,
            signer=plan.signer,
            signed_at=plan.signed_at,
            sign_off_opinion=plan.sign_off_opinion,
            document_number=plan.number,
            year=plan.year or None,
            serial=plan.serial or None,
            numbered_at=moment(plan.numbered[0]) if plan.numbered else None,
            sealed_at=plan.sealed_at,
            dispatched_at=plan.dispatched_at,
            archived_on=plan.archived_at.date() if plan.archived_at else None,
            **f,
        )
        plan.document = document
        documents.append(document)
    OutgoingDocument.objects.bulk_create(documents, batch_size=BATCH)

    for relation, attribute in (("main_recipients", "main"), ("cc_recipients", "cc")):
        through = getattr(OutgoingDocument, relation).through
        through.objects.bulk_create(
            [
                through(outgoingdocument_id=p.document.pk, unit_id=units[u].pk)
                for p in plans
                for u in getattr(p, attribute)
            ],
            batch_size=BATCH,
        )
    versions = {}
    rows = []
    for plan in plans:
        for number, title, body, author, at, note in plan.versions:
            row = DraftVersion(
                document=plan.document,
                number=number,
                title=title,
                body=body,
                author=author,
                created_at=at,
                note=note,
            )
            versions[(plan.document.pk, number)] = row
            rows.append(row)
    DraftVersion.objects.bulk_create(rows, batch_size=BATCH)
    ReviewRecord.objects.bulk_create(
        [
            ReviewRecord(
                document=p.document,
                level=level,
                version=versions[(p.document.pk, version)],
                reviewer=reviewer,
                outcome=outcome,
                opinion=opinion,
                at=at,
            )
            for p in plans
            for level, version, reviewer, outcome, opinion, at in p.reviews
        ],
        batch_size=BATCH,
    )
    CoSignature.objects.bulk_create(
        [
            CoSignature(
                document=p.document,
                unit=units[unit],
                requested_at=requested,
                opinion=opinion,
                signed_by=by,
                signed_at=at,
            )
            for p in plans
            for unit, requested, opinion, by, at in p.co_signs
        ],
        batch_size=BATCH,
    )
    document_type = ContentType.objects.get_for_model(OutgoingDocument)
    serials = [
        SerialNumber(
            key=p.register,
            year=p.year,
            number=p.serial,
            text=p.number,
            content_type=document_type,
            object_id=p.document.pk,
            allocated_by=p.numbered[1],
            allocated_at=moment(p.numbered[0]),
        )
        for p in plans
        if p.number
    ]
    fresh = {id(p) for p in plans}
    void_rows = []
    for plan, key, year, number, text in voids:
        if id(plan) not in fresh:
            continue  # its document is already there, so is the voided number
        taken, voided, reason = plan.void
        void_rows.append(
            (
                plan,
                SerialNumber(
                    key=key,
                    year=year,
                    number=number,
                    text=text,
                    status=SerialNumber.Status.VOID,
                    content_type=document_type,
                    object_id=plan.document.pk,
                    allocated_by=plan.numbered[1],
                    allocated_at=moment(taken),
                    voided_by=plan.numbered[1],
                    voided_at=moment(voided),
                    void_reason=reason,
                ),
            )
        )
    SerialNumber.objects.bulk_create(serials + [row for _, row in void_rows], batch_size=BATCH)
    SealLedgerEntry.objects.bulk_create(
        [
            SealLedgerEntry(
                seal=seals[issuer],
                document=p.document,
                copies=copies,
                applicant=applicant,
                approver=approver,
                at=at,
            )
            for p in plans
            if p.seal_use
            for issuer, copies, applicant, approver, at in [p.seal_use]
        ],
        batch_size=BATCH,
    )
    Receipt.objects.bulk_create(
        [
            Receipt(document=p.document, **{**r, "unit": units[r["unit"]]})
            for p in plans
            for r in p.receipts
        ],
        batch_size=BATCH,
    )
    _write_trail(plans, void_rows, document_type, moment)


def _write_trail(plans, void_rows, document_type, moment):
    adapt = connection.ops.adapt_datetimefield_value
    serial_type = ContentType.objects.get_for_model(SerialNumber)
    events = []
    for plan in plans:
        document = plan.document
        for at, actor, action, before, after, opinion in plan.events:
            person = isinstance(actor, User)
            if action == "number":  # as documents.workflow.outgoing.number writes it
                opinion = document.document_number
            events.append(
                (
                    moment(at),
                    actor.pk if person else None,
                    actor.real_name if person else actor.short_name,
                    action,
                    LABELS[action],
                    "success",
                    document_type.pk,
                    document.pk,
                    str(document)[:200],
                    document.classification,
                    before,
                    after,
                    opinion,
                )
            )
    for _plan, serial in void_rows:
        actor = serial.voided_by
        events.append(
            (
                serial.voided_at,
                actor.pk,
                actor.real_name,
                "void_number",
                LABELS["void_number"],
                "success",
                serial_type.pk,
                serial.pk,
                str(serial)[:200],
                0,
                "",
                "",
                serial.void_reason,
            )
        )
    events.sort(key=lambda e: e[0])
    insert_rows(TRAIL_COLUMNS, [(adapt(e[0]), *e[1:]) for e in events])
