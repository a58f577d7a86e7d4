"""The core's demo data: the 珠海市 government, its office and sections, the units that carry
work out, and people of every role (DOMAIN.md §1).

Units are keyed by their full name and people by their username, so a second run updates the same
rows. Every run sets each demo password again and resets the roles to exactly those listed here.
"""

from dataclasses import dataclass

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from office.models import Clearance, SecurityPolicy, Unit, User
from office.roles import Role, role_groups

from . import DEMO_PASSWORD

EMAIL_DOMAIN = "zhuhai.gov.cn.example"

K = Unit.Kind


@dataclass(frozen=True)
class UnitSpec:
    key: str
    name: str
    short_name: str
    kind: str
    code: str = ""
    header_text: str = ""
    parent: str | None = None


@dataclass(frozen=True)
class PersonSpec:
    key: str
    username: str
    real_name: str
    unit: str
    roles: tuple
    title: str
    phone: str
    clearance: int = Clearance.NONE
    portfolio: str = ""
    liaison: str | None = None
    leader_order: int = 100
    oversees_all: bool = False


def _department(key, name, short_name, code):
    """A city bureau (市直部门): a working department of the city government."""
    return UnitSpec(key, name, short_name, K.DEPARTMENT, code, f"{name}文件", "government")


def _section(key, name):
    """A section (科室) inside the general office."""
    return UnitSpec(key, f"珠海市人民政府办公室{name}", name, K.SECTION, parent="office")


UNITS = (
    # The government and its general office: the two red headers the office prints.
    UnitSpec("government", "珠海市人民政府", "市政府", K.GOVERNMENT, "珠府", "珠海市人民政府文件"),
    UnitSpec(
        "office",
        "珠海市人民政府办公室",
        "市政府办公室",
        K.OFFICE,
        "珠府办",
        "珠海市人民政府办公室文件",
        "government",
    ),
    # The office's sections (DOMAIN.md §1).
    _section("secretariat", "秘书科"),
    _section("documents_section", "文电科"),
    _section("general_section", "综合科"),
    _section("supervision_office", "督查室"),
    _section("proposals_section", "建议提案办理科"),
    _section("meetings_section", "会务科"),
    _section("administration_section", "行政科"),
    _section("legal_section", "法制科"),
    _section("duty_office", "总值班室"),
    # City bureaus (市直部门) with their 机关代字.
    _department("development", "珠海市发展和改革局", "市发展改革局", "珠发改"),
    _department("education", "珠海市教育局", "市教育局", "珠教"),
    _department("science", "珠海市科技创新局", "市科技创新局", "珠科创"),
    _department("industry", "珠海市工业和信息化局", "市工业和信息化局", "珠工信"),
    _department("public_security", "珠海市公安局", "市公安局", "珠公"),
    _department("civil_affairs", "珠海市民政局", "市民政局", "珠民"),
    _department("justice", "珠海市司法局", "市司法局", "珠司"),
    _department("finance", "珠海市财政局", "市财政局", "珠财"),
    _department("human_resources", "珠海市人力资源和社会保障局", "市人力资源社会保障局", "珠人社"),
    _department("natural_resources", "珠海市自然资源局", "市自然资源局", "珠自然资源"),
    _department("ecology", "珠海市生态环境局", "市生态环境局", "珠环"),
    _department("housing", "珠海市住房和城乡建设局", "市住建局", "珠建"),
    _department("transport", "珠海市交通运输局", "市交通运输局", "珠交运"),
    _department("water", "珠海市水务局", "市水务局", "珠水"),
    _department("agriculture", "珠海市农业农村局", "市农业农村局", "珠农"),
    _department("commerce", "珠海市商务局", "市商务局", "珠商务"),
    _department("culture", "珠海市文化广电旅游体育局", "市文化广电旅游体育局", "珠文广旅体"),
    _department("health", "珠海市卫生健康局", "市卫生健康局", "珠卫健"),
    _department("veterans", "珠海市退役军人事务局", "市退役军人事务局", "珠退役军人"),
    _department("emergency", "珠海市应急管理局", "市应急管理局", "珠应急"),
    _department("audit", "珠海市审计局", "市审计局", "珠审"),
    _department("state_assets", "珠海市人民政府国有资产监督管理委员会", "市国资委", "珠国资"),
    _department("market", "珠海市市场监督管理局", "市市场监管局", "珠市监"),
    _department("statistics", "珠海市统计局", "市统计局", "珠统"),
    _department("medical_insurance", "珠海市医疗保障局", "市医疗保障局", "珠医保"),
    _department("urban_management", "珠海市城市管理和综合执法局", "市城管执法局", "珠城管"),
    _department("data", "珠海市政务服务和数据管理局", "市政务服务数据管理局", "珠政数"),
    _department("petitions", "珠海市信访局", "市信访局", "珠信访"),
    # District governments and development zones (区县政府).
    UnitSpec(
        "xiangzhou",
        "珠海市香洲区人民政府",
        "香洲区政府",
        K.DISTRICT,
        "珠香府",
        "珠海市香洲区人民政府文件",
        "government",
    ),
    UnitSpec(
        "doumen",
        "珠海市斗门区人民政府",
        "斗门区政府",
        K.DISTRICT,
        "珠斗府",
        "珠海市斗门区人民政府文件",
        "government",
    ),
    UnitSpec(
        "jinwan",
        "珠海市金湾区人民政府",
        "金湾区政府",
        K.DISTRICT,
        "珠金府",
        "珠海市金湾区人民政府文件",
        "government",
    ),
    UnitSpec(
        "high_tech_zone",
        "珠海高新技术产业开发区管理委员会",
        "高新区管委会",
        K.DISTRICT,
        "珠高新管",
        "珠海高新技术产业开发区管理委员会文件",
        "government",
    ),
    UnitSpec(
        "economic_zone",
        "珠海经济技术开发区管理委员会",
        "经开区管委会",
        K.DISTRICT,
        "珠经开管",
        "珠海经济技术开发区管理委员会文件",
        "government",
    ),
    # State-owned companies (国有企业): they carry out projects, they do not number documents.
    UnitSpec("huafa_group", "珠海华发集团有限公司", "华发集团", K.ENTERPRISE),
    UnitSpec("gree_group", "珠海格力集团有限公司", "格力集团", K.ENTERPRISE),
    UnitSpec("transport_group", "珠海交通控股集团有限公司", "珠海交控集团", K.ENTERPRISE),
    UnitSpec("water_group", "珠海水务环境控股集团有限公司", "水务环境集团", K.ENTERPRISE),
    # Higher levels (上级机关): senders of incoming documents and receivers of 上行文.
    UnitSpec("province", "广东省人民政府", "省政府", K.HIGHER, "粤府", "广东省人民政府文件"),
    UnitSpec(
        "province_office",
        "广东省人民政府办公厅",
        "省政府办公厅",
        K.HIGHER,
        "粤府办",
        "广东省人民政府办公厅文件",
        "province",
    ),
    # The bodies that hand over deputies' suggestions and members' proposals (DOMAIN.md §7).
    UnitSpec("npc", "珠海市人民代表大会常务委员会", "市人大常委会", K.OTHER),
    UnitSpec("cppcc", "中国人民政治协商会议珠海市委员会", "市政协", K.OTHER),
)

R = Role

PEOPLE = (
    # Leaders (领导): mayor, vice mayors with their portfolios (分管) and linked deputy
    # secretaries-general (联线领导服务制), the secretary-general and the deputies.
    PersonSpec(
        "mayor",
        "chenliming",
        "陈立明",
        "government",
        (R.LEADER,),
        "市长",
        "13902561108",
        Clearance.TOP_SECRET,
        portfolio="主持市政府全面工作。",
        leader_order=10,
        oversees_all=True,
    ),
    PersonSpec(
        "executive_vice_mayor",
        "linguodong",
        "林国栋",
        "government",
        (R.LEADER,),
        "常务副市长",
        "13802567216",
        Clearance.TOP_SECRET,
        portfolio="协助市长负责市政府常务工作；分管发展改革、财政、审计、国资、统计、工业和信息化、"
        "商务、政务服务数据管理工作。",
        liaison="deputy_secretary_general_1",
        leader_order=20,
    ),
    PersonSpec(
        "vice_mayor_social",
        "zhanghaiyan",
        "张海燕",
        "government",
        (R.LEADER,),
        "副市长",
        "13709283345",
        Clearance.CONFIDENTIAL,
        portfolio="分管教育、卫生健康、医疗保障、民政、人力资源社会保障、退役军人事务、"
        "文化广电旅游体育工作。",
        liaison="deputy_secretary_general_2",
        leader_order=30,
    ),
    PersonSpec(
        "vice_mayor_construction",
        "liuzhenhua",
        "刘振华",
        "government",
        (R.LEADER,),
        "副市长",
        "13631206672",
        Clearance.CONFIDENTIAL,
        portfolio="分管住房城乡建设、自然资源、交通运输、水务、城市管理和综合执法、生态环境、"
        "农业农村工作。",
        liaison="deputy_secretary_general_3",
        leader_order=40,
    ),
    PersonSpec(
        "vice_mayor_security",
        "wuxiaodong",
        "吴晓东",
        "government",
        (R.LEADER,),
        "副市长、市公安局局长",
        "13926680931",
        Clearance.TOP_SECRET,
        portfolio="分管公安、司法、应急管理、信访、市场监管、科技创新工作；联系市中级人民法院、"
        "市人民检察院。",
        liaison="deputy_secretary_general_3",
        leader_order=50,
    ),
    PersonSpec(
        "secretary_general",
        "hewentao",
        "何文涛",
        "office",
        (R.LEADER,),
        "市政府秘书长、办公室主任",
        "13590357720",
        Clearance.TOP_SECRET,
        portfolio="协助市长处理市政府日常工作，主持市政府办公室全面工作。",
        leader_order=60,
        oversees_all=True,
    ),
    PersonSpec(
        "deputy_secretary_general_1",
        "xuzhiyuan",
        "许志远",
        "office",
        (R.LEADER,),
        "市政府副秘书长",
        "13823195564",
        Clearance.CONFIDENTIAL,
        portfolio="协助秘书长处理办公室日常工作；联系发展改革、财政、国资、工业和信息化、商务方面工作。",
        leader_order=70,
    ),
    PersonSpec(
        "deputy_secretary_general_2",
        "liangjing",
        "梁静",
        "office",
        (R.LEADER,),
        "市政府副秘书长",
        "13750218863",
        Clearance.CONFIDENTIAL,
        portfolio="联系教育、卫生健康、民政、人力资源社会保障、文化广电旅游体育方面工作。",
        leader_order=80,
    ),
    PersonSpec(
        "deputy_secretary_general_3",
        "zhouhaitao",
        "周海涛",
        "office",
        (R.LEADER,),
        "市政府副秘书长",
        "15016093327",
        Clearance.CONFIDENTIAL,
        portfolio="联系住房城乡建设、自然资源、交通运输、公安、应急管理、信访方面工作。",
        leader_order=90,
    ),
    # Secretaries (秘书/文书) in the sections.
    PersonSpec(
        "secretary_documents",
        "wangxiaoyan",
        "王晓燕",
        "documents_section",
        (R.SECRETARY,),
        "文电科科长",
        "13631288452",
        Clearance.SECRET,
    ),
    PersonSpec(
        "secretary_documents_clerk",
        "huangli",
        "黄丽",
        "documents_section",
        (R.SECRETARY,),
        "文电科科员",
        "13450671239",
        Clearance.SECRET,
    ),
    PersonSpec(
        "secretary_chief",
        "liming",
        "李明",
        "secretariat",
        (R.SECRETARY,),
        "秘书科科长",
        "13802639975",
        Clearance.CONFIDENTIAL,
    ),
    PersonSpec(
        "secretary_deputy",
        "chensiyuan",
        "陈思远",
        "secretariat",
        (R.SECRETARY,),
        "秘书科副科长",
        "18923071146",
        Clearance.SECRET,
    ),
    PersonSpec(
        "secretary_drafting",
        "zhaolei",
        "赵磊",
        "general_section",
        (R.SECRETARY,),
        "综合科科长",
        "13798046615",
        Clearance.SECRET,
    ),
    PersonSpec(
        "secretary_meetings",
        "sunyue",
        "孙悦",
        "meetings_section",
        (R.SECRETARY,),
        "会务科科长",
        "13928317740",
        Clearance.SECRET,
    ),
    PersonSpec(
        "secretary_proposals",
        "fengxiaolin",
        "冯晓琳",
        "proposals_section",
        (R.SECRETARY,),
        "建议提案办理科科长",
        "15819225508",
        Clearance.SECRET,
    ),
    PersonSpec(
        "secretary_legal",
        "yangfan",
        "杨帆",
        "legal_section",
        (R.SECRETARY,),
        "法制科科长（法律顾问）",
        "13612097783",
        Clearance.SECRET,
    ),
    # Supervisors (督查员) in the supervision office.
    PersonSpec(
        "supervisor_chief",
        "guozhigang",
        "郭志刚",
        "supervision_office",
        (R.SUPERVISOR,),
        "督查室主任",
        "13822651094",
        Clearance.SECRET,
    ),
    PersonSpec(
        "supervisor_deputy",
        "hexuemei",
        "何雪梅",
        "supervision_office",
        (R.SUPERVISOR,),
        "督查室副主任",
        "13590112867",
        Clearance.SECRET,
    ),
    PersonSpec(
        "supervisor_clerk",
        "dengkai",
        "邓凯",
        "supervision_office",
        (R.SUPERVISOR,),
        "督查室一级主任科员",
        "18666029351",
    ),
    # The units' handlers (承办人) and heads (单位负责人).
    PersonSpec(
        "education_handler",
        "tanxiaofang",
        "谭小芳",
        "education",
        (R.UNIT_HANDLER,),
        "办公室科员",
        "13726950418",
    ),
    PersonSpec(
        "education_head",
        "luojianjun",
        "罗建军",
        "education",
        (R.UNIT_HEAD,),
        "局长",
        "13902816653",
        Clearance.SECRET,
    ),
    PersonSpec(
        "housing_handler",
        "weizhiqiang",
        "韦志强",
        "housing",
        (R.UNIT_HANDLER,),
        "办公室副主任",
        "13543087726",
    ),
    PersonSpec(
        "housing_head",
        "zengwei",
        "曾伟",
        "housing",
        (R.UNIT_HEAD,),
        "局长",
        "13809221570",
        Clearance.SECRET,
    ),
    PersonSpec(
        "development_handler",
        "penglin",
        "彭琳",
        "development",
        (R.UNIT_HANDLER,),
        "办公室一级主任科员",
        "13680413392",
    ),
    PersonSpec(
        "development_head",
        "suguoping",
        "苏国平",
        "development",
        (R.UNIT_HEAD,),
        "局长",
        "13925606184",
        Clearance.SECRET,
    ),
    PersonSpec(
        "xiangzhou_handler",
        "zhongmin",
        "钟敏",
        "xiangzhou",
        (R.UNIT_HANDLER,),
        "区政府办公室秘书股股长",
        "15976083315",
    ),
    PersonSpec(
        "xiangzhou_head",
        "caizhenyu",
        "蔡振宇",
        "xiangzhou",
        (R.UNIT_HEAD,),
        "区政府办公室主任",
        "13702756049",
        Clearance.SECRET,
    ),
    PersonSpec(
        "finance_handler",
        "xiejing",
        "谢静",
        "finance",
        (R.UNIT_HANDLER,),
        "办公室科员",
        "13631550827",
    ),
    PersonSpec(
        "finance_head",
        "huangweiming",
        "黄伟明",
        "finance",
        (R.UNIT_HEAD,),
        "局长",
        "13802748361",
        Clearance.SECRET,
    ),
    PersonSpec(
        "transport_handler",
        "panjie",
        "潘杰",
        "transport",
        (R.UNIT_HANDLER,),
        "办公室科员",
        "18825632704",
    ),
    PersonSpec(
        "transport_head",
        "lujianping",
        "卢建平",
        "transport",
        (R.UNIT_HEAD,),
        "局长",
        "13926043518",
        Clearance.SECRET,
    ),
    PersonSpec(
        "health_handler",
        "yemei",
        "叶梅",
        "health",
        (R.UNIT_HANDLER,),
        "办公室科员",
        "13560938142",
    ),
    # 三员分立: three separate people, one administrator role each.
    PersonSpec(
        "sysadmin",
        "jiangtao",
        "蒋涛",
        "administration_section",
        (R.SYSADMIN,),
        "系统管理员",
        "13709652281",
    ),
    PersonSpec(
        "secadmin",
        "hanxue",
        "韩雪",
        "administration_section",
        (R.SECADMIN,),
        "安全管理员",
        "13590826634",
    ),
    PersonSpec(
        "auditor",
        "tangliang",
        "唐亮",
        "administration_section",
        (R.AUDITOR,),
        "审计管理员",
        "13828170495",
    ),
)


def seed_units():
    units = {}
    for order, spec in enumerate(UNITS, start=1):
        units[spec.key], _ = Unit.objects.update_or_create(
            name=spec.name,
            defaults={
                "short_name": spec.short_name,
                "kind": spec.kind,
                "code": spec.code,
                "header_text": spec.header_text,
                "parent": units[spec.parent] if spec.parent else None,
                "sort_order": order * 10,
                "is_active": True,
            },
        )
    return units


def seed_people(units, *, password=DEMO_PASSWORD):
    groups = role_groups()
    users = {}
    for spec in PEOPLE:
        user, _ = User.objects.update_or_create(
            username=spec.username,
            defaults={
                "real_name": spec.real_name,
                "unit": units[spec.unit],
                "title": spec.title,
                "phone": spec.phone,
                "email": f"{spec.username}@{EMAIL_DOMAIN}",
                "clearance": spec.clearance,
                "portfolio": spec.portfolio,
                "leader_order": spec.leader_order,
                "oversees_all": spec.oversees_all,
                "is_active": True,
                "is_staff": False,
                "is_superuser": False,
            },
        )
        user.set_password(password)
        user.save()
        user.groups.set([groups[role] for role in spec.roles])
        users[spec.key] = user
    # Liaisons point at other demo people, so they are linked once everyone exists.
    for spec in PEOPLE:
        user = users[spec.key]
        user.liaison = users[spec.liaison] if spec.liaison else None
        user.save(update_fields=["liaison"])
    return users


def password_problems(password=DEMO_PASSWORD):
    """The demo password checked against the live password policy, for every demo person."""
    problems = []
    for user in User.objects.filter(username__in=[spec.username for spec in PEOPLE]):
        try:
            validate_password(password, user)
        except ValidationError as error:
            problems.append(f"{user.username}: {'；'.join(error.messages)}")
    return problems


def seed_core(demo=None):
    """Units and people. Returns {"units": {key: Unit}, "users": {key: User}}."""
    SecurityPolicy.current()
    units = seed_units()
    users = seed_people(units)
    return {"units": units, "users": users}


def accounts():
    """The demo accounts as they are in the database, in the order of PEOPLE:
    (role labels, username, real name, title, unit short name, password)."""
    existing = {
        user.username: user
        for user in User.objects.filter(username__in=[spec.username for spec in PEOPLE])
        .select_related("unit")
        .prefetch_related("groups")
    }
    rows = []
    for spec in PEOPLE:
        user = existing.get(spec.username)
        if user is None:
            continue
        roles = "、".join(
            Role(group.name).label for group in user.groups.all() if group.name in Role.values
        )
        unit = user.unit.short_name if user.unit else ""
        rows.append((roles, user.username, user.real_name, user.title, unit, DEMO_PASSWORD))
    return rows
