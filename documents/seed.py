"""Demo 收文 for `manage.py seed_demo`: a believable year of incoming documents (DOMAIN.md §3).

One city office's year is about 5,600 documents: three quarters from the city's own bureaus and
districts (下级来文), the rest from the province, the State Council and the neighbouring cities
(上级/平级来文); about 95% completed, most of them filed. Every working day from 1 January up to
today gets its share. Each document is planned as a full story — 登记, 初审, 拟办, 批示, 交办, the
units' 接收/提交/审核, 办结, 归档, or 传阅 and 圈阅 for a 阅件 — with the working-day deadlines of
the handling policy, and is then cut at the present moment: what lies in the future has not
happened yet, so recent documents are still open and a few slow ones are overdue. A handful of
recent stories are held at one step so that every demo handler, unit head and leader finds work
on their 待办.

The steps use the action names and labels of documents.workflow, and the registration and archive
numbers the registers of office.numbering, so the data looks exactly as if people had done it.
Everything is drawn from random generators seeded with fixed values: the same day gives the same
data. Idempotent: documents are keyed by their registration number and a number already taken is
never made again; trail rows are written only for documents made in this run.
"""

import datetime
import random
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models import Max
from django.utils import timezone

from office.models import Clearance, SerialCounter, SerialNumber, Urgency, User
from office.numbering import format_number
from office.roles import Role
from office.seed.rows import BATCH, TRAIL_COLUMNS, WorkingDays, insert_rows, raise_counter

from .models import (
    Assignment,
    Circulation,
    DocType,
    HandlingPolicy,
    IncomingDocument,
    LeaderInstruction,
    ProgressNote,
    Sender,
)
from .services import REGISTRATION_REGISTER as REGISTER
from .workflow import ARCHIVE_PATTERN, ARCHIVE_REGISTER, ASSIGNMENT, DOCUMENT

SEED = 20260101
DAILY_DOCUMENTS = 25.5  # 5,600 documents over a year's ~220 working days (DOMAIN.md §3)

S = IncomingDocument.State
A = Assignment.State
L = Sender.Level
D = DocType

LABELS = {
    "register": "登记",
    **{name: t.label for name, t in DOCUMENT.transitions.items()},
    **{name: t.label for name, t in ASSIGNMENT.transitions.items()},
}

# --- who sends ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class SenderSpec:
    key: str
    name: str
    level: str
    code: str  # 发文机关代字 of its documents, e.g. 粤府办
    letter_code: str  # of its letters (函), e.g. 粤办函
    unit: str | None = None  # the demo Unit it is, when it is one
    short: str = ""


def _higher(key, name, code, letter_code=None, unit=None):
    return SenderSpec(key, name, L.HIGHER, code, letter_code or f"{code}函", unit)


HIGHER_SENDERS = (
    _higher("state_council_office", "国务院办公厅", "国办发", "国办函"),
    _higher("province", "广东省人民政府", "粤府", "粤府函", "province"),
    _higher("province_office", "广东省人民政府办公厅", "粤府办", "粤办函", "province_office"),
    _higher("p_safety", "广东省安全生产委员会办公室", "粤安办"),
    _higher("p_emergency", "广东省应急管理厅", "粤应急"),
    _higher("p_flood", "广东省防汛防旱防风总指挥部办公室", "粤防办"),
    _higher("p_fire", "广东省消防救援总队", "粤消"),
    _higher("p_development", "广东省发展和改革委员会", "粤发改"),
    _higher("p_data", "广东省政务服务和数据管理局", "粤政数"),
    _higher("p_education", "广东省教育厅", "粤教"),
    _higher("p_health", "广东省卫生健康委员会", "粤卫"),
    _higher("p_medical", "广东省医疗保障局", "粤医保"),
    _higher("p_housing", "广东省住房和城乡建设厅", "粤建"),
    _higher("p_land", "广东省自然资源厅", "粤自然资"),
    _higher("p_agriculture", "广东省农业农村厅", "粤农农"),
    _higher("p_transport", "广东省交通运输厅", "粤交"),
    _higher("p_ecology", "广东省生态环境厅", "粤环"),
    _higher("p_water", "广东省水利厅", "粤水"),
    _higher("p_finance", "广东省财政厅", "粤财"),
    _higher("p_industry", "广东省工业和信息化厅", "粤工信"),
    _higher("p_commerce", "广东省商务厅", "粤商务"),
    _higher("p_science", "广东省科学技术厅", "粤科"),
    _higher("p_hr", "广东省人力资源和社会保障厅", "粤人社"),
    _higher("p_civil", "广东省民政厅", "粤民"),
    _higher("p_veterans", "广东省退役军人事务厅", "粤退役军人"),
    _higher("p_culture", "广东省文化和旅游厅", "粤文旅"),
    _higher("p_police", "广东省公安厅", "粤公"),
    _higher("p_justice", "广东省司法厅", "粤司"),
    _higher("p_market", "广东省市场监督管理局", "粤市监"),
    _higher("p_petitions", "广东省信访局", "粤信访"),
    _higher("p_sasac", "广东省人民政府国有资产监督管理委员会", "粤国资"),
    _higher("p_audit", "广东省审计厅", "粤审"),
    _higher("p_statistics", "广东省统计局", "粤统"),
)


def _peer(key, name, code, letter_code):
    short = name.removesuffix("人民政府办公厅").removesuffix("人民政府")
    return SenderSpec(key, name, L.PEER, code, letter_code, short=short)


PEER_SENDERS = (
    _peer("guangzhou", "广州市人民政府", "穗府", "穗府函"),
    _peer("guangzhou_office", "广州市人民政府办公厅", "穗府办", "穗府办函"),
    _peer("shenzhen", "深圳市人民政府", "深府", "深府函"),
    _peer("shenzhen_office", "深圳市人民政府办公厅", "深府办", "深府办函"),
    _peer("zhongshan", "中山市人民政府", "中府", "中府函"),
    _peer("jiangmen", "江门市人民政府", "江府", "江府函"),
    _peer("foshan", "佛山市人民政府", "佛府", "佛府函"),
    _peer("dongguan", "东莞市人民政府", "东府", "东府函"),
    _peer("huizhou", "惠州市人民政府", "惠府", "惠府函"),
    _peer("zhaoqing", "肇庆市人民政府", "肇府", "肇府函"),
)

# State companies number their documents too, though their units carry no 机关代字 here.
ENTERPRISE_CODES = {
    "huafa_group": "珠华发",
    "gree_group": "珠格力",
    "transport_group": "珠交控",
    "water_group": "珠水环",
}

# --- what it is about --------------------------------------------------------------------------


def _items(text):
    return tuple(text.split("|"))


@dataclass(frozen=True)
class Topic:
    """A field of work: the units that handle it, who sends about it, and the phrases its titles
    are made of — works fit 「做好2026年…工作」, campaigns 「开展…」, plans 「《…》」, requests
    「关于…的请示」, funds 「申请安排…经费」, reports 「关于…情况的报告」."""

    key: str
    leader: str  # the leader whose portfolio covers it (demo["users"] key)
    leads: tuple
    cos: tuple
    senders: tuple  # lower-level senders: demo unit keys
    highers: tuple  # higher-level sender keys
    works: tuple
    campaigns: tuple
    plans: tuple
    requests: tuple
    funds: tuple
    reports: tuple
    weight: int = 8
    classified: bool = False  # some of its documents are 秘密


def _topic(
    key,
    leader,
    leads,
    cos,
    senders,
    highers,
    works,
    campaigns,
    plans,
    requests,
    funds,
    reports,
    weight=8,
    classified=False,
):
    return Topic(
        key,
        leader,
        _items(leads),
        _items(cos),
        _items(senders),
        _items(highers),
        _items(works),
        _items(campaigns),
        _items(plans),
        _items(requests),
        _items(funds),
        _items(reports),
        weight,
        classified,
    )


# fmt: off
TOPICS = (
    _topic(
        "safety", "vice_mayor_security", "emergency",
        "industry|housing|transport|market|xiangzhou|doumen|jinwan",
        "emergency|xiangzhou|doumen|jinwan|high_tech_zone", "p_safety|p_emergency",
        "安全生产|安全生产隐患排查整治|汛期安全生产|岁末年初安全生产",
        "安全生产治本攻坚三年行动|重大事故隐患专项排查整治|城镇燃气安全专项整治|危险化学品安全专项整治",
        "广东省安全生产治本攻坚三年行动方案（2024—2026年）|珠海市安全生产责任制考核办法（修订）"
        "|珠海市城镇燃气安全专项整治工作方案",
        "调整市安全生产委员会组成人员|开展2026年市安全生产巡查|建设市危险化学品安全风险监测预警平台",
        "安全生产监管执法装备购置|危险化学品安全风险监测预警平台建设",
        "重大事故隐患专项排查整治工作|城镇燃气安全专项整治工作|2026年第一季度安全生产形势分析",
        weight=14,
    ),
    _topic(
        "fire", "vice_mayor_security", "emergency",
        "public_security|housing|urban_management|xiangzhou|jinwan|doumen",
        "emergency|xiangzhou|jinwan|high_tech_zone", "p_fire|p_emergency|p_safety",
        "消防安全|冬春火灾防控|高层建筑消防安全|电动自行车消防安全",
        "高层建筑消防安全专项整治|电动自行车消防安全隐患全链条整治|消防车通道专项治理"
        "|人员密集场所消防安全专项检查",
        "广东省消防安全责任制实施办法|珠海市消防救援力量布局规划（2026—2035年）"
        "|珠海市电动自行车消防安全管理规定",
        "新建香洲区前山消防站|加强政府专职消防队伍建设|将消防车通道治理纳入城市更新项目",
        "消防站建设及消防装备购置|老旧小区消防设施改造",
        "冬春火灾防控工作|电动自行车消防安全隐患整治工作|消防车通道专项治理工作",
        weight=10,
    ),
    _topic(
        "flood", "vice_mayor_security", "emergency|water",
        "water|housing|transport|agriculture|natural_resources|xiangzhou|doumen|jinwan",
        "water|emergency|doumen|jinwan|xiangzhou", "p_flood|p_water|p_emergency",
        "防汛防风|防御台风|防汛防旱防风|水库山塘安全度汛",
        "汛前安全大检查|防汛防风隐患排查整治|防汛防风应急演练",
        "广东省防汛防旱防风应急预案|珠海市防汛防旱防风应急预案（修订）|珠海市防御台风工作预案",
        "启动西江海堤达标加固工程|调整市防汛防旱防风指挥部成员|设立市级防汛物资储备仓库",
        "防汛抢险物资储备|海堤水毁修复|防汛防风预警信息系统升级",
        "防御台风工作|汛前安全大检查工作|水库山塘安全度汛工作",
        weight=12,
    ),
    _topic(
        "business", "executive_vice_mayor", "development|data|market",
        "commerce|natural_resources|housing|finance|data|market",
        "development|data|market|high_tech_zone|economic_zone", "p_development|p_data|province_office",
        "优化营商环境|“高效办成一件事”|涉企收费治理|政务服务标准化规范化便利化",
        "营商环境评价迎评|涉企违规收费专项整治|政务服务“一网通办”提质增效行动",
        "广东省优化营商环境三年行动方案|珠海市进一步优化营商环境若干措施|珠海市营商环境评价问题整改方案",
        "设立企业诉求快速响应机制|推行“拿地即开工”审批模式|建设市民营企业服务中心",
        "营商环境第三方评估|政务服务大厅智能化改造",
        "营商环境改革任务落实|营商环境评价问题整改|涉企违规收费专项整治工作",
        weight=10,
    ),
    _topic(
        "education", "vice_mayor_social", "education",
        "finance|natural_resources|housing|xiangzhou|doumen|jinwan",
        "education|xiangzhou|doumen|jinwan", "p_education",
        "义务教育招生入学|中小学校园安全|学前教育|中小学生心理健康|普通高考组织",
        "中小学校园安全专项整治|校外培训机构规范治理|中小学校舍安全排查",
        "广东省基础教育扩优提质行动方案|珠海市中小学学位建设三年行动计划（2026—2028年）"
        "|珠海市公办幼儿园建设规划",
        "新建香湾中学|调整2026年义务教育学位建设计划|开展中小学教师“县管校聘”改革"
        "|设立市特殊教育学校金湾分校",
        "中小学校舍维修改造|公办幼儿园扩容|中小学校园安防设施升级",
        "2026年普通高考组织工作|义务教育学位建设进展|中小学校园安全专项整治工作",
        weight=12,
    ),
    _topic(
        "health", "vice_mayor_social", "health",
        "medical_insurance|civil_affairs|finance|xiangzhou|doumen|jinwan",
        "health|xiangzhou|doumen", "p_health",
        "登革热防控|基层医疗卫生服务能力提升|爱国卫生运动|卫生应急|公立医院高质量发展",
        "爱国卫生专项行动|医疗卫生领域不正之风专项整治|登革热防控灭蚊专项行动",
        "广东省紧密型县域医共体建设实施方案|珠海市城市医疗集团建设方案|珠海市登革热防控工作方案",
        "建设市人民医院横琴医院二期|组建珠海市城市医疗集团|增设社区卫生服务中心",
        "登革热防控|基层医疗设备购置|卫生应急物资储备",
        "登革热防控工作|基层医疗卫生服务能力提升工作|公立医院改革",
        weight=10,
    ),
    _topic(
        "medical_insurance", "vice_mayor_social", "medical_insurance",
        "health|finance|human_resources|market", "medical_insurance", "p_medical",
        "医疗保障|医保基金监管|城乡居民医保参保缴费|医保支付方式改革",
        "医保基金违法违规问题专项整治|医保定点医药机构专项检查",
        "广东省医疗保障基金监管办法|珠海市职工基本医疗保险门诊共济保障实施办法"
        "|珠海市长期护理保险试点方案",
        "调整城乡居民医保财政补助标准|扩大长期护理保险试点范围|开展医保异地就医直接结算扩面",
        "医保信息平台运维|医保基金智能监管系统建设",
        "医保基金监管工作|2026年城乡居民医保参保扩面|医保支付方式改革",
        weight=7,
    ),
    _topic(
        "urban_renewal", "vice_mayor_construction", "housing|xiangzhou|natural_resources",
        "natural_resources|finance|xiangzhou|doumen|jinwan|urban_management",
        "housing|natural_resources|xiangzhou", "p_housing|p_land",
        "城市更新|城镇老旧小区改造|城中村改造|完整社区建设",
        "城镇老旧小区改造提质行动|城中村改造攻坚行动",
        "广东省城中村改造工作指引|珠海市城市更新专项规划（2026—2035年）|香洲区城中村改造实施方案",
        "将前山片区纳入城市更新单元计划|调整2026年城镇老旧小区改造计划|香洲区翠微村城中村改造项目立项",
        "城镇老旧小区改造配套|城中村改造前期工作",
        "城中村改造推进|城镇老旧小区改造工作|城市更新项目推进",
        weight=10,
    ),
    _topic(
        "housing", "vice_mayor_construction", "housing",
        "finance|natural_resources|xiangzhou|jinwan|huafa_group", "housing|xiangzhou|jinwan",
        "p_housing",
        "保障性住房建设|房地产市场平稳健康发展|物业管理|建筑施工安全",
        "建筑施工安全专项整治|住宅小区物业服务质量提升行动|房地产领域风险排查",
        "广东省保障性住房建设实施意见|珠海市保障性住房规划建设实施方案"
        "|珠海市住宅专项维修资金管理办法（修订）",
        "筹集2026年保障性租赁住房房源|调整住房公积金贷款政策|收购存量商品房用作保障性住房",
        "保障性住房建设|既有住宅加装电梯补贴",
        "保障性住房建设|房地产市场运行|建筑施工安全专项整治工作",
        weight=8,
    ),
    _topic(
        "rural", "vice_mayor_construction", "agriculture|doumen|jinwan",
        "finance|natural_resources|water|doumen|jinwan|ecology", "agriculture|doumen|jinwan",
        "p_agriculture",
        "乡村振兴|“百县千镇万村高质量发展工程”|高标准农田建设|农村人居环境整治|粮食生产",
        "农村人居环境整治提升行动|撂荒耕地复耕复种|“典型镇村”培育",
        "广东省“百县千镇万村高质量发展工程”实施方案|斗门区乡村振兴示范带建设方案"
        "|珠海市高标准农田建设规划",
        "建设斗门区莲洲镇乡村振兴示范带|调整2026年高标准农田建设任务|设立乡村振兴产业发展基金",
        "高标准农田建设|农村人居环境整治|乡村振兴示范带建设",
        "乡村振兴工作|高标准农田建设|“百千万工程”推进",
        weight=9,
    ),
    _topic(
        "transport", "vice_mayor_construction", "transport",
        "public_security|housing|natural_resources|finance|transport_group|xiangzhou",
        "transport|xiangzhou|jinwan|high_tech_zone|transport_group", "p_transport",
        "交通运输|春运|道路交通安全|公交线网优化|港珠澳大桥交通组织",
        "道路运输安全专项整治|“两客一危”重点车辆专项整治|城市公交服务提升行动",
        "广东省道路运输安全专项整治方案|珠海市综合交通运输体系发展规划|珠海市公交线网优化方案",
        "开通珠海至深中通道跨市公交线路|调整城市公交票价|建设珠海站综合交通枢纽二期",
        "新能源公交车辆更新|交通信号智能化改造",
        "2026年春运工作|道路运输安全专项整治工作|公交线网优化",
        weight=10,
    ),
    _topic(
        "ecology", "vice_mayor_construction", "ecology",
        "water|natural_resources|urban_management|agriculture|xiangzhou|doumen|jinwan",
        "ecology|doumen|jinwan|economic_zone", "p_ecology",
        "生态环境保护|大气污染防治|中央生态环境保护督察反馈问题整改|近岸海域污染防治",
        "蓝天保卫战|入海排污口排查整治|生态环境领域安全隐患排查",
        "广东省空气质量持续改善行动方案|珠海市中央生态环境保护督察反馈问题整改方案"
        "|珠海市美丽海湾建设方案",
        "设立市生态环境保护专项资金|开展近岸海域生态修复|调整环境空气质量监测点位",
        "大气污染防治|入海排污口整治",
        "中央生态环境保护督察反馈问题整改|大气污染防治工作|近岸海域水质改善",
        weight=9,
    ),
    _topic(
        "water", "vice_mayor_construction", "water|water_group",
        "ecology|housing|finance|doumen|jinwan|water_group", "water|doumen|jinwan|water_group",
        "p_water",
        "供水保障|咸潮防御|河湖长制|城市内涝治理|污水处理提质增效",
        "城市黑臭水体治理|河湖“清四乱”专项行动|城镇污水管网排查整治",
        "广东省河湖长制工作要点|珠海市城市内涝治理实施方案|珠海市供水保障规划",
        "实施西部城区供水管网改造|建设平岗—广昌原水供应保障工程二期|调整居民生活用水价格",
        "污水管网建设|城市内涝点整治|咸期供水保障",
        "咸潮期供水保障|城市内涝治理|河湖长制工作",
        weight=8,
    ),
    _topic(
        "fiscal", "executive_vice_mayor", "finance",
        "development|audit|state_assets|statistics", "finance|xiangzhou|doumen|jinwan",
        "p_finance",
        "财政预算管理|地方政府专项债券管理|政府采购|预算绩效管理",
        "财会监督专项行动|地方政府债务风险排查",
        "广东省地方政府专项债券管理办法|珠海市市级财政专项资金管理办法|珠海市预算绩效管理实施办法",
        "追加2026年部门预算|申报2026年新增专项债券项目|调整市级财政专项资金分配方案",
        "重点民生项目|区级财力补助",
        "2026年上半年财政预算执行|专项债券发行使用|预算绩效评价",
        weight=9,
    ),
    _topic(
        "development", "executive_vice_mayor", "development",
        "finance|natural_resources|industry|commerce|statistics|huafa_group|gree_group",
        "development|high_tech_zone|economic_zone|xiangzhou|jinwan", "p_development|province",
        "重点项目建设|粮食安全|节能降碳|价格监测|“十五五”规划编制",
        "重点项目建设“百日攻坚”|节能降碳专项行动|重要民生商品价格监测",
        "广东省节能降碳行动方案|珠海市国民经济和社会发展第十五个五年规划纲要（草案）"
        "|珠海市2026年重点建设项目计划",
        "将鹤洲新区建设纳入省重点项目|调整2026年市重点建设项目计划|安排市重大项目前期工作经费",
        "重大项目前期工作|地方储备粮轮换",
        "市重点项目建设进展|节能降碳目标完成|“十五五”规划编制工作",
        weight=11,
    ),
    _topic(
        "industry", "executive_vice_mayor", "industry|high_tech_zone|economic_zone",
        "development|science|finance|commerce|gree_group",
        "industry|high_tech_zone|economic_zone|jinwan|gree_group", "p_industry",
        "制造业高质量发展|工业技术改造|中小企业发展|工业稳增长",
        "“制造业当家”重点任务攻坚|工业企业技术改造提速行动|清理拖欠中小企业账款专项行动",
        "广东省制造业高质量发展行动方案|珠海市产业集群培育方案|珠海市工业用地保障实施细则",
        "设立市制造业高质量发展专项资金|认定2026年市级工业园区|建设金湾区新材料产业园",
        "工业技术改造奖补|专精特新企业培育",
        "工业稳增长|产业集群培育|清理拖欠中小企业账款工作",
        weight=8,
    ),
    _topic(
        "commerce", "executive_vice_mayor", "commerce",
        "development|finance|market|culture|high_tech_zone", "commerce|xiangzhou|economic_zone",
        "p_commerce",
        "外贸稳增长|消费品以旧换新|招商引资|跨境电商发展",
        "消费品以旧换新促消费活动|外贸企业拓市场行动",
        "广东省推动消费品以旧换新实施方案|珠海市招商引资工作考核办法|珠海市跨境电商综试区建设方案",
        "举办2026珠海国际消费季活动|设立市外贸发展专项资金|调整招商引资奖励政策",
        "消费品以旧换新补贴|外贸企业参展补贴",
        "外贸运行|消费品以旧换新工作|招商引资工作",
        weight=7,
    ),
    _topic(
        "science", "vice_mayor_security", "science|high_tech_zone",
        "finance|industry|education|high_tech_zone", "science|high_tech_zone", "p_science",
        "科技创新|高新技术企业培育|科技成果转化|粤澳科技合作",
        "高新技术企业培育行动|科技型中小企业评价入库",
        "广东省科技创新条例实施细则|珠海市科技创新发展规划|珠海市科技成果转化激励办法",
        "建设粤澳科技创新合作平台|设立市科技创新专项资金|认定2026年市级新型研发机构",
        "科技创新平台建设|高新技术企业奖补",
        "高新技术企业培育工作|科技成果转化工作",
        weight=6,
    ),
    _topic(
        "employment", "vice_mayor_social", "human_resources",
        "finance|education|civil_affairs|housing|xiangzhou",
        "human_resources|xiangzhou|doumen|jinwan", "p_hr",
        "稳就业|根治欠薪|技能人才培养|高校毕业生就业|社会保险扩面",
        "根治欠薪冬季专项行动|“百日千万”招聘专项行动|技能人才培养工程",
        "广东省就业创业补贴办法|珠海市根治拖欠农民工工资工作考核办法|珠海市高技能人才培养实施方案",
        "设立市根治欠薪应急周转金|举办2026年珠海市职业技能大赛|调整最低工资标准",
        "就业创业补贴|职业技能培训",
        "根治欠薪工作|高校毕业生就业|稳就业工作",
        weight=7,
    ),
    _topic(
        "civil", "vice_mayor_social", "civil_affairs",
        "finance|health|human_resources|xiangzhou|doumen|jinwan",
        "civil_affairs|xiangzhou|doumen|jinwan", "p_civil",
        "养老服务|社会救助|殡葬管理|未成年人保护",
        "养老机构安全隐患排查整治|殡葬领域突出问题专项整治|低保专项治理",
        "广东省居家和社区养老服务改革方案|珠海市养老服务体系建设规划|珠海市社会救助实施办法",
        "建设市第二社会福利院|调整城乡低保标准|增设社区长者饭堂",
        "居家养老服务补贴|社会福利院设施改造",
        "养老服务体系建设|社会救助工作|殡葬改革",
        weight=7,
    ),
    _topic(
        "veterans", "vice_mayor_social", "veterans",
        "human_resources|finance|civil_affairs|xiangzhou", "veterans|xiangzhou", "p_veterans",
        "双拥|退役军人安置|优抚对象服务保障|退役军人就业创业",
        "“八一”走访慰问|退役军人服务站规范化建设",
        "广东省退役军人安置工作实施办法|珠海市争创全国双拥模范城工作方案",
        "调整重点优抚对象抚恤补助标准|建设市退役军人服务中心",
        "优抚对象医疗保障|双拥活动",
        "退役军人安置工作|双拥工作",
        weight=4,
    ),
    _topic(
        "culture", "vice_mayor_social", "culture",
        "commerce|public_security|market|transport|xiangzhou", "culture|xiangzhou|doumen",
        "p_culture",
        "文化旅游|文物保护|全民健身|旅游市场秩序|重大体育赛事保障",
        "旅游市场秩序专项整治|文物安全专项检查|全民健身运动会",
        "广东省文物保护利用实施方案|珠海市文化和旅游发展规划|珠海市全民健身实施计划",
        "举办2026珠海航展配套文旅活动|申报国家级旅游度假区|修缮唐家湾古建筑群",
        "文物保护修缮|公共文化设施运营",
        "旅游市场运行|文物安全工作|全民健身工作",
        weight=6,
    ),
    _topic(
        "police", "vice_mayor_security", "public_security",
        "justice|petitions|transport|market|xiangzhou|doumen|jinwan", "public_security|xiangzhou",
        "p_police",
        "社会治安防控|打击治理电信网络诈骗|大型活动安全保卫|道路交通管理",
        "夏季治安打击整治行动|打击治理电信网络诈骗专项行动|扫黑除恶常态化斗争",
        "广东省打击治理电信网络诈骗工作方案|珠海市社会治安防控体系建设方案",
        "增设公安检查站|建设智慧警务平台二期|调整交通违法处理点设置",
        "智慧警务平台建设|治安监控设施升级",
        "社会治安形势|打击治理电信网络诈骗工作|大型活动安保工作",
        weight=7,
        classified=True,
    ),
    _topic(
        "petitions", "vice_mayor_security", "petitions|xiangzhou|doumen|jinwan",
        "public_security|justice|housing|human_resources|xiangzhou|doumen|jinwan",
        "petitions|xiangzhou|doumen|jinwan", "p_petitions|province_office",
        "信访|信访积案化解|重要节点信访维稳|领导干部接访下访",
        "信访问题源头治理三年攻坚行动|重复信访治理",
        "广东省信访问题源头治理工作方案|珠海市信访工作责任制实施细则",
        "召开市信访工作联席会议|化解香洲区历史遗留信访问题",
        "信访救助",
        "信访形势|信访积案化解工作|重要节点信访维稳工作",
        weight=6,
        classified=True,
    ),
    _topic(
        "justice", "vice_mayor_security", "justice",
        "public_security|petitions|data|xiangzhou", "justice", "p_justice",
        "法治政府建设|行政复议|普法依法治理|行政执法监督|公共法律服务",
        "行政执法质量提升行动|“法律明白人”培养工程",
        "广东省行政复议体制改革方案|珠海市法治政府建设实施方案|珠海市重大行政决策程序规定",
        "提请审议《珠海市养犬管理条例（草案）》|开展市政府规章清理|调整市政府法律顾问组成",
        "公共法律服务体系建设|行政复议案件办理",
        "法治政府建设|行政复议工作|行政执法监督工作",
        weight=6,
    ),
    _topic(
        "market", "vice_mayor_security", "market",
        "health|education|agriculture|public_security|commerce", "market|xiangzhou|doumen",
        "p_market",
        "食品安全|特种设备安全|药品安全|产品质量安全|知识产权保护",
        "校园食品安全专项整治|特种设备安全隐患排查|电梯安全筑底行动",
        "广东省特种设备安全条例实施细则|珠海市食品安全工作评议考核办法|珠海市知识产权强市建设方案",
        "创建国家食品安全示范城市|设立市食品安全检验检测中心|调整市食品安全委员会组成人员",
        "食品安全抽检|电梯安全监管平台建设",
        "食品安全工作|特种设备安全工作|药品安全工作",
        weight=7,
    ),
    _topic(
        "digital", "executive_vice_mayor", "data",
        "finance|development|public_security|industry", "data|xiangzhou|high_tech_zone",
        "p_data|province_office",
        "数字政府建设|12345政务服务便民热线|政务公开|政务数据共享",
        "政务服务“一网通办”提质增效|政府网站和政务新媒体检查|12345热线工单质量提升",
        "广东省政务数据资源共享管理办法|珠海市数字政府建设“十五五”规划|珠海市2026年政务公开工作要点",
        "建设市政务云二期|整合市级部门政务服务热线|开展公共数据授权运营试点",
        "政务云扩容|12345热线运行",
        "数字政府建设|12345热线运行|政务公开工作",
        weight=7,
    ),
    _topic(
        "state_assets", "executive_vice_mayor", "state_assets|audit|statistics",
        "finance|development|huafa_group|gree_group|transport_group|water_group",
        "state_assets|audit|statistics|huafa_group|gree_group", "p_sasac|p_audit|p_statistics",
        "国资国企改革|审计整改|统计数据质量|国有企业安全生产|农业普查",
        "国有企业改革深化提升行动|统计造假专项治理|审计发现问题整改“回头看”",
        "广东省国有企业改革深化提升行动方案|珠海市审计整改工作规定|珠海市第四次全国农业普查实施方案",
        "珠海华发集团增资扩股|市属国有企业重组整合|调整市属国有企业负责人薪酬",
        "国有资本经营预算项目|农业普查",
        "审计发现问题整改|国资国企改革|统计数据质量",
        weight=7,
    ),
    _topic(
        "urban_management", "vice_mayor_construction", "urban_management",
        "housing|ecology|natural_resources|xiangzhou|jinwan", "urban_management|xiangzhou|jinwan",
        "p_housing",
        "市容环境整治|生活垃圾分类|违法建设治理|城市照明|燃气管理",
        "市容环境综合整治|违法建设治理专项行动|户外广告招牌安全隐患排查",
        "广东省生活垃圾分类工作方案|珠海市生活垃圾分类工作实施方案|珠海市违法建设治理三年行动方案",
        "建设西部生活垃圾焚烧发电厂二期|调整城市生活垃圾处理费标准",
        "生活垃圾分类设施建设|城市照明节能改造",
        "生活垃圾分类工作|违法建设治理工作|市容环境整治工作",
        weight=6,
    ),
    _topic(
        "land", "vice_mayor_construction", "natural_resources",
        "housing|development|agriculture|finance|doumen|jinwan",
        "natural_resources|doumen|jinwan|xiangzhou", "p_land",
        "耕地保护|国土空间规划|土地供应|海域使用管理|地质灾害防治",
        "耕地保护专项整治|违法用地专项整治|地质灾害隐患排查",
        "广东省耕地保护激励办法|珠海市国土空间总体规划（2021—2035年）"
        "|珠海市2026年度国有建设用地供应计划",
        "收回香洲区闲置国有建设用地|调整金湾区控制性详细规划|报批2026年度第一批次建设用地",
        "地质灾害治理|耕地保护补偿",
        "耕地保护目标责任落实|土地供应计划执行|地质灾害防治工作",
        weight=8,
    ),
    _topic(
        "government_tasks", "secretary_general", "development|finance|data",
        "finance|development|housing|education|health", "development|xiangzhou|doumen|jinwan",
        "province_office|province",
        "政府工作报告重点任务落实|民生实事|省政府督办事项落实|建议提案办理",
        "政府工作报告重点任务督查|民生实事进展督查",
        "广东省2026年政府工作报告重点任务分工方案|2026年市政府工作报告重点任务分工方案"
        "|2026年珠海市十件民生实事实施方案",
        "调整2026年民生实事项目|召开市政府全体会议研究有关工作",
        "民生实事项目",
        "政府工作报告重点任务落实|民生实事推进|省政府督办事项办理",
        weight=6,
    ),
)
# fmt: on

# --- how the texts read ------------------------------------------------------------------------

RETURN_REASONS = (
    "来文未经单位主要负责人签发，请补充签发后重新报送。",
    "该事项属于贵单位职权范围，请按职责自行研究办理，不宜报市政府。",
    "请示事项涉及其他部门职责，未事先协商一致，请会签有关部门后再报。",
    "一文多事，不符合“一文一事”的要求，请分别行文报送。",
    "来文多头主送，请按规定只主送一个机关后重新报送。",
    "附件不全，缺少有关部门意见和可行性论证材料，请补齐后报送。",
    "来文格式不符合《党政机关公文格式》要求，请规范后重新报送。",
    "请示事项未提出明确的意见和建议，请研究提出倾向性意见后再报。",
)
PASS_ON = ("请{next}阅示。", "拟同意，请{next}审定。", "呈{next}阅示。", "请{next}阅处。")
INSTRUCT_UNITS = (
    "请{lead}牵头，会同{co}认真研究落实。",
    "同意。请{lead}按程序办理。",
    "请{lead}抓紧研究提出意见，重要情况及时报告。",
    "同意拟办意见，请{lead}牵头办理。",
    "请{lead}认真贯彻落实，确保取得实效。",
    "请{lead}结合我市实际抓好贯彻落实。",
    "请{lead}高度重视，按期办结并报送办理结果。",
)
INSTRUCT_NO_UNITS = (
    "同意。请秘书科按程序分办。",
    "阅。请研究提出办理意见。",
    "同意拟办意见。",
    "请按程序办理。",
)
SUPERVISE = "请督查室跟踪督办。"
RESULTS = {
    D.REQUEST: (
        "经研究，同意{sender}所请事项，已按程序办理，并函复{sender}。",
        "已会同有关单位研究提出办理意见，经市政府同意，已函复{sender}。",
        "已按领导批示办理：有关事项已纳入年度工作安排，所需资金由市财政统筹保障。",
        "经研究，该事项已按程序报批，办理结果已书面告知{sender}。",
    ),
    D.NOTICE: (
        "已按通知要求制定我市贯彻落实工作方案，明确责任分工和时间节点，各项工作有序推进。",
        "已召开专题会议部署落实{work}工作，各项任务已分解到相关单位，落实情况已按时报送{sender}。",
        "已结合我市实际抓好贯彻落实，有关情况已书面报送{sender}。",
    ),
    D.LETTER: (
        "已研究提出意见，并以市政府办公室名义函复{sender}。",
        "已按来函要求报送有关材料。",
        "已与{sender}沟通对接，有关工作已落实。",
    ),
    None: (
        "已按领导批示要求办理完毕，{work}有关工作已落实到位，办理情况已报市政府办公室。",
        "已按批示要求抓好落实，有关问题已整改到位。",
        "已办理完毕，相关情况已书面报告市政府。",
    ),
}
CO_RESULTS = (
    "同意{lead}的办理意见，我单位将按职责做好配合工作。",
    "我单位协办意见已送{lead}。",
    "已按职责分工提出协办意见，无不同意见。",
    "我单位已按要求完成协办任务。",
)
PROGRESS = (
    "已召开专题会议研究，正在起草办理意见。",
    "已与相关单位沟通对接，正在征求意见。",
    "已完成现场调研，正在汇总有关情况。",
    "办理意见已形成初稿，正按程序报单位领导审定。",
)
APPROVALS = ("", "", "", "", "同意。", "同意报送。")
REMARKS = (
    "已阅。",
    "阅。",
    "已阅，请{lead}结合实际抓好落实。",
    "请相关部门参阅。",
    "已阅，请转发各区参考。",
)

# --- time --------------------------------------------------------------------------------------

OPENS, CLOSES = 8 * 60 + 30, 18 * 60  # office hours; evenings are for work that runs late
LATEST = 23 * 60 + 30


def office_minute(rng):
    if rng.random() < 0.55:
        return rng.randint(OPENS, 12 * 60)
    return rng.randint(14 * 60 + 30, 17 * 60 + 45)


def later_moment(rng, at, days=0, lo=5, hi=90):
    """A moment `days` working days after `at` (the same day: lo–hi minutes later, running into
    the next morning when the office has closed). Moments are (working-day index, minute)."""
    day, minute = at
    if days:
        return (day + days, office_minute(rng))
    minute += rng.randint(lo, hi)
    if minute <= CLOSES:
        return (day, minute)
    return (day + 1, rng.randint(OPENS, OPENS + 60))


def _on_day(rng, at, day, lo=5, hi=60):
    """A moment on working day `day`, and after `at` (late in the evening if need be)."""
    if day > at[0]:
        return (day, office_minute(rng))
    return (at[0], min(at[1] + rng.randint(lo, hi), LATEST))


def _lag(rng, weights):
    """A number of working days drawn from weights for 0, 1, 2, …."""
    return rng.choices(range(len(weights)), weights)[0]


# --- the plan of one document ------------------------------------------------------------------


@dataclass
class Step:
    at: tuple
    order: int
    action: str
    actor: object  # a User, or the Unit whose people are not demo accounts
    opinion: str = ""
    part: int | None = None  # index of the instruction, reader or assignment it concerns


@dataclass
class Story:
    """One document's plan: its registration data and every step to the end, with the people."""

    day: int  # working-day index of its receipt
    position: int
    register_at: tuple
    fields: dict = field(default_factory=dict)  # IncomingDocument fields from the registration
    sender: SenderSpec | None = None
    topic: Topic | None = None
    series: tuple = ()  # (sender key, 机关代字) of the sender's number
    numbered: bool = True
    registrar: User | None = None
    screener: User | None = None
    proposer: User | None = None
    archivist: User | None = None
    returned: bool = False
    reason: str = ""
    lead: object = None  # Unit
    cos: list = field(default_factory=list)
    named_units: bool = False  # the 拟办意见 names the handling units
    deadline_day: int | None = None
    steps: list = field(default_factory=list)
    # (leader, round, round start, text, to supervise)
    instructions: list = field(default_factory=list)
    readers: list = field(default_factory=list)  # (leader, round, round start)
    parts: list = field(default_factory=list)  # (unit, role)
    hold: Step | None = None
    number_step: int = 1
    # Given once the year's stories are in order:
    year: int = 0
    serial: int = 0
    registration_number: str = ""
    sender_number: str = ""

    def add(self, at, action, actor, opinion="", part=None):
        step = Step(at, len(self.steps), action, actor, opinion, part)
        self.steps.append(step)
        return step

    def find(self, action, part=None):
        return next(
            (s for s in self.steps if s.action == action and (part is None or s.part == part)),
            None,
        )


def _leader_name(user):
    """陈立明市长, 林国栋常务副市长, 何文涛秘书长: how the office writes a leader in an opinion."""
    return user.real_name + user.title.split("、")[0].removeprefix("市政府")


def _join(names):
    return "、".join(names)


class Planner:
    """Plans every document of the year: who sent it, what it is, and each step of its story."""

    def __init__(self, demo, *, policy, working_days):
        self.units = demo["units"]
        self.users = demo["users"]
        self.policy = policy
        self.wd = working_days
        self.topics = TOPICS
        self.topic_weights = [t.weight for t in TOPICS]
        self.higher = {s.key: s for s in HIGHER_SENDERS}
        self.lower = {}
        for key, unit in self.units.items():
            if unit.kind in ("department", "district", "enterprise"):
                code = unit.code or ENTERPRISE_CODES.get(key, "")
                self.lower[key] = SenderSpec(
                    key, unit.name, L.LOWER, code, f"{code}函", key, unit.short_name
                )
        members = {}
        for user in self.users.values():
            if user.unit_id:
                members.setdefault(user.unit_id, []).append(user)
        roles = set(
            User.objects.filter(pk__in=[u.pk for u in self.users.values()]).values_list(
                "pk", "groups__name"
            )
        )
        people = sorted(self.users.values(), key=lambda u: (u.leader_order, u.pk))
        # The demo people who act for a unit, and the leaders in their order of precedence.
        self.handler, self.head = {}, {}
        for user in people:
            if (user.pk, Role.UNIT_HANDLER) in roles:
                self.handler.setdefault(user.unit_id, user)
            if (user.pk, Role.UNIT_HEAD) in roles:
                self.head.setdefault(user.unit_id, user)
        self.leaders = [u for u in people if (u.pk, Role.LEADER) in roles]
        # A 秘密 document goes only to units none of whose demo people lack the clearance.
        self.uncleared = {
            unit_id
            for unit_id, people in members.items()
            if any(p.clearance < Clearance.SECRET for p in people)
        }
        u = self.users
        self.registrars = (u["secretary_documents_clerk"], u["secretary_documents"])
        self.proposers = (u["secretary_chief"], u["secretary_deputy"])
        self.mayor, self.secretary_general = u["mayor"], u["secretary_general"]
        self.deputies = [u[k] for k in u if k.startswith("deputy_secretary_general")]

    # --- the day's arrivals -----------------------------------------------------------------

    def arrivals(self, day_index):
        """(minute, position) of each document registered on a working day, in order."""
        date = self.wd.days[day_index]
        rng = random.Random(f"{SEED}:{date}:count")
        factor = {0: 1.2, 4: 0.85}.get(date.weekday(), 1.0)
        count = max(4, round(rng.gauss(DAILY_DOCUMENTS * factor, 4)))
        return sorted((office_minute(rng), position) for position in range(count))

    # --- what the document is ---------------------------------------------------------------

    def plan(self, day, minute, position):
        date = self.wd.days[day]
        rng = random.Random(f"{SEED}:{date}:{position}")
        story = Story(day, position, (day, minute))
        level = rng.choices((L.LOWER, L.HIGHER, L.PEER), (74, 20.5, 5.5))[0]
        topic = rng.choices(self.topics, self.topic_weights)[0]
        if level == L.LOWER:
            weights = [3] + [1] * (len(topic.senders) - 1)
            sender = self.lower[rng.choices(topic.senders, weights)[0]]
        elif level == L.HIGHER:
            pool = [*topic.highers, "province_office", "province", "state_council_office"]
            weights = [6] * len(topic.highers) + [2, 1, 0.4]
            sender = self.higher[rng.choices(pool, weights)[0]]
        else:
            sender = rng.choice(PEER_SENDERS)
        reading = rng.random() < {L.LOWER: 0.145, L.HIGHER: 0.24, L.PEER: 0.26}[level]
        doc_type = self._doc_type(rng, level, reading)
        classified = topic.classified and level != L.PEER and rng.random() < 0.15
        urgency = rng.choices(
            (Urgency.NORMAL, Urgency.URGENT, Urgency.EXTRA_URGENT),
            {L.LOWER: (88, 10, 2), L.HIGHER: (80, 15, 5), L.PEER: (90, 9, 1)}[level],
        )[0]
        story.fields = {
            "sender_level": level,
            "title": self._title(rng, level, reading, doc_type, topic, sender, date),
            "doc_type": doc_type,
            "kind": IncomingDocument.Kind.READING if reading else IncomingDocument.Kind.ACTION,
            "classification": Clearance.SECRET if classified else Clearance.NONE,
            "secrecy_period": rng.choice(("1年", "1年", "2年", "6个月")) if classified else "",
            "urgency": urgency,
            "copies": rng.choice((1, 1, 1, 2, 3)) if level == L.HIGHER else 1,
            "pages": self._pages(rng, doc_type),
            "received_on": date,
            "channel": rng.choices(("paper", "other"), (60, 40))[0]
            if classified
            else rng.choices(("exchange", "paper", "other"), (70, 25, 5))[0],
        }
        story.sender, story.topic = sender, topic
        story.series = (
            sender.key,
            sender.letter_code if doc_type == D.LETTER else sender.code,
        )
        story.numbered = doc_type != D.OTHER
        # The city's units send most of their 上行文 here; the province numbers for all its cities.
        story.number_step = 1 if level == L.LOWER else rng.randint(1, 6)
        story.registrar = rng.choices(self.registrars, (7, 3))[0]
        story.screener = rng.choice(self.registrars)
        story.proposer = rng.choice(self.proposers)
        story.archivist = rng.choice(self.registrars)
        story.returned = level == L.LOWER and not reading and rng.random() < 0.012
        story.reason = rng.choice(RETURN_REASONS)
        if reading:
            self._read(rng, story)
        else:
            self._act(rng, story)
        return story

    def _doc_type(self, rng, level, reading):
        table = {
            (L.LOWER, False): ((D.REQUEST, 60), (D.REPORT, 27), (D.LETTER, 13)),
            (L.HIGHER, False): (
                (D.NOTICE, 55),
                (D.LETTER, 20),
                (D.OPINION, 10),
                (D.REPLY, 10),
                (D.DECISION, 5),
            ),
            (L.PEER, False): ((D.LETTER, 85), (D.NOTICE, 15)),
            (L.LOWER, True): ((D.REPORT, 40), (D.OTHER, 60)),
            (L.HIGHER, True): ((D.CIRCULAR, 45), (D.NOTICE, 25), (D.OTHER, 20), (D.MINUTES, 10)),
            (L.PEER, True): ((D.OTHER, 100),),
        }[(level, reading)]
        return rng.choices([t for t, _ in table], [w for _, w in table])[0]

    def _pages(self, rng, doc_type):
        low, high = {
            D.REQUEST: (2, 6),
            D.REPORT: (3, 12),
            D.NOTICE: (3, 18),
            D.LETTER: (1, 4),
            D.REPLY: (1, 3),
            D.DECISION: (2, 6),
            D.CIRCULAR: (3, 10),
            D.MINUTES: (4, 10),
            D.OPINION: (5, 15),
        }.get(doc_type, (4, 16))
        return rng.randint(low, high)

    def _title(self, rng, level, reading, doc_type, topic, sender, date):
        year, month = date.year, date.month
        quarter = (month - 1) // 3 or 4
        quarter_year = year if month > 3 else year - 1
        work, campaign = rng.choice(topic.works), rng.choice(topic.campaigns)
        request, fund, report = (
            rng.choice(topic.requests),
            rng.choice(topic.funds),
            rng.choice(topic.reports),
        )
        upper = [p for p in topic.plans if p.startswith("广东省")] or [topic.plans[0]]
        local = [p for p in topic.plans if not p.startswith("广东省")] or [topic.plans[-1]]
        issue = rng.randint(1, 4) + (date.timetuple().tm_yday // 14)
        short = sender.short
        choices = {
            (L.LOWER, D.REQUEST): (
                f"关于{request}的请示",
                f"关于{request}有关事项的请示",
                f"关于申请安排{fund}经费的请示",
                f"关于提请审定《{rng.choice(local)}》的请示"
                if sender.unit in topic.leads
                else f"关于{request}的请示",
            ),
            (L.LOWER, D.REPORT): (
                f"关于{report}情况的报告",
                f"关于{report}情况的报告",
                f"关于{work}督办事项办理情况的报告",
                f"关于{year}年{month}月{work}工作情况的报告",
            ),
            (L.LOWER, D.LETTER): (
                f"关于{request}有关问题的函",
                f"关于报送{year}年{work}工作资料的函",
            ),
            (L.LOWER, D.OTHER): (
                f"{short}{work}工作动态（{year}年第{issue}期）",
                f"{short}工作简报（{year}年第{issue}期）",
            ),
            (L.HIGHER, D.NOTICE): (
                f"关于做好{year}年{work}工作的通知",
                f"关于印发《{rng.choice(upper)}》的通知",
                f"关于开展{campaign}的通知",
                f"关于进一步加强{work}工作的通知",
                f"关于报送{year}年{work}工作情况的通知",
            ),
            (L.HIGHER, D.OPINION): (
                f"关于进一步加强{work}工作的意见",
                f"关于加快推进{work}工作的实施意见",
            ),
            (L.HIGHER, D.REPLY): (f"关于同意珠海市{request}的批复",),
            (L.HIGHER, D.DECISION): (f"关于表彰{year - 1}年度{work}工作先进集体和先进个人的决定",),
            (L.HIGHER, D.LETTER): (
                f"关于征求《{rng.choice(upper)}（征求意见稿）》意见的函",
                f"关于{work}督办事项的函",
                f"关于报送{year}年{work}工作总结的函",
                f"关于开展{campaign}督导检查的函",
            ),
            (L.HIGHER, D.CIRCULAR): (
                f"关于{quarter_year}年第{quarter}季度{work}工作情况的通报",
                f"关于{work}督查督办情况的通报",
                f"关于{campaign}进展情况的通报",
            ),
            (L.HIGHER, D.OTHER): (
                f"{work}工作简报（{year}年第{issue}期）",
                f"{work}工作动态（{year}年第{issue}期）",
            ),
            (L.HIGHER, D.MINUTES): (f"全省{work}工作会议纪要",),
            (L.PEER, D.LETTER): (
                f"关于商请协助做好{work}有关工作的函",
                f"关于{work}区域协作有关事项的函",
                f"关于商请提供{work}工作经验材料的函",
            ),
            (L.PEER, D.NOTICE): (f"关于召开{year}年珠江口西岸都市圈{work}联席会议的通知",),
            (L.PEER, D.OTHER): (
                f"{short}{work}工作情况交流（{year}年第{issue}期）",
                f"关于{work}工作经验做法的交流材料",
            ),
        }
        if reading and doc_type == D.NOTICE:
            return rng.choice(choices[(L.HIGHER, D.NOTICE)][:2])
        if reading and doc_type == D.REPORT:
            return rng.choice(choices[(L.LOWER, D.REPORT)][-1:] + choices[(L.LOWER, D.REPORT)][:1])
        return rng.choice(choices[(level, doc_type)])

    # --- who handles it ---------------------------------------------------------------------

    def _units(self, rng, story):
        topic, sender = story.topic, story.sender
        secret = story.fields["classification"] > Clearance.NONE

        def allowed(key):
            return not (secret and self.units[key].pk in self.uncleared)

        leads = [k for k in topic.leads if allowed(k)] or ["public_security"]
        lead = rng.choices(leads, [4] + [1] * (len(leads) - 1))[0]
        if (
            sender.level == L.LOWER
            and sender.unit in topic.leads
            and allowed(sender.unit)
            and rng.random() < 0.6
        ):
            lead = sender.unit  # a bureau's own 请示 goes back to it once the leader has decided
        count = rng.choices((0, 1, 2, 3), (55, 30, 11, 4))[0]
        cos = [k for k in dict.fromkeys(topic.cos) if k != lead and allowed(k)]
        rng.shuffle(cos)
        return self.units[lead], [self.units[k] for k in cos[:count]]

    def _rounds(self, rng, story):
        """The leaders who instruct, round by round (联线: a deputy secretary-general first)."""
        leader = self.users[story.topic.leader]
        deputy = leader.liaison or rng.choice(self.deputies)
        level = story.sender.level
        if leader == self.secretary_general:
            return rng.choice(([[leader]], [[leader]], [[leader], [self.mayor]]))
        weights = {
            L.LOWER: (40, 25, 25, 5, 0, 5),
            L.HIGHER: (15, 25, 30, 20, 10, 0),
            L.PEER: (45, 20, 25, 0, 0, 10),
        }[level]
        if story.fields["urgency"] != Urgency.NORMAL:
            weights = (5, 15, 40, 25, 15, 0)
        return rng.choices(
            (
                [[deputy]],
                [[deputy], [leader]],
                [[leader]],
                [[self.mayor], [leader]],
                [[self.mayor, leader]],
                [[self.secretary_general]],
            ),
            weights,
        )[0]

    # --- 办件 -------------------------------------------------------------------------------

    def _act(self, rng, story):
        f = story.fields
        hurry = f["urgency"] != Urgency.NORMAL
        at = story.register_at
        story.add(at, "register", story.registrar)
        at = later_moment(rng, at, days=1 if rng.random() < 0.08 else 0, lo=10, hi=150)
        if story.returned:
            story.add(at, "return_to_sender", story.screener, story.reason)
            return
        story.add(at, "screen", story.screener)
        lead, cos = self._units(rng, story)
        story.lead, story.cos = lead, cos
        unit_text = lead.short_name + "办理"
        if cos:
            unit_text = f"{lead.short_name}牵头办理，{_join(u.short_name for u in cos)}配合"
        assign_text = f"主办：{lead.name}" + (
            f"；协办：{_join(u.name for u in cos)}" if cos else ""
        )
        level = story.sender.level
        direct = rng.random() < {L.LOWER: 0.08, L.HIGHER: 0.05, L.PEER: 0.2}[level]
        proposal_lag = (1, 0, 0) if hurry else (60, 35, 5)
        at = later_moment(rng, at, days=_lag(rng, proposal_lag), lo=20, hi=180)
        story.named_units = True
        if direct:
            story.add(at, "assign", story.proposer, assign_text)
        else:
            rounds = self._rounds(rng, story)
            story.named_units = rng.random() < 0.8
            leaders = _join(_leader_name(leader) for r in rounds for leader in r)
            proposal = (
                rng.choice(
                    (
                        f"拟请{leaders}阅示，由{unit_text}。",
                        f"拟呈{leaders}阅示，建议由{unit_text}。",
                        f"拟请{leaders}审示，转{unit_text}。",
                    )
                )
                if story.named_units
                else rng.choice((f"拟请{leaders}阅示。", f"拟呈{leaders}审阅。"))
            )
            story.add(at, "propose_handling", story.proposer, proposal)
            start = at
            # 领导批示件 that become supervision items: a few dozen a year (DOMAIN.md §6).
            supervise = rng.random() < (0.03 if hurry or level == L.HIGHER else 0.008)
            for sequence, leaders_of_round in enumerate(rounds, start=1):
                final = sequence == len(rounds)
                ends = []
                for position, leader in enumerate(leaders_of_round):
                    flag = final and supervise and position == 0
                    lag = (40, 40, 15, 5) if not hurry else (90, 10)
                    if rng.random() < 0.03:
                        lag = (0, 0, 0, 0, 1, 1, 1, 1)  # a leader away for a week
                    moment = later_moment(rng, start, days=_lag(rng, lag), lo=15, hi=240)
                    text = self._instruction(rng, story, final, rounds, sequence, flag)
                    index = len(story.instructions)
                    story.instructions.append((leader, sequence, start, text, flag))
                    ends.append((moment, index, leader))
                    story.add(moment, "instruct", leader, text, part=index)
                start, _, last = max(ends, key=lambda e: e[0])
            at = start
            if story.named_units:
                story.add(at, "assign", last, assign_text)
            else:
                story.add(at, "conclude_instructions", last)
                at = later_moment(rng, at, days=_lag(rng, (50, 45, 5)), lo=20, hi=200)
                story.add(at, "assign", story.proposer, assign_text)
        self._handle(rng, story, at, lead, cos)

    def _instruction(self, rng, story, final, rounds, sequence, supervise):
        if not final:
            nxt = _join(_leader_name(leader) for leader in rounds[sequence])
            return rng.choice(PASS_ON).format(next=nxt)
        if not story.named_units:
            text = rng.choice(INSTRUCT_NO_UNITS)
        else:
            templates = INSTRUCT_UNITS if story.cos else INSTRUCT_UNITS[1:]
            text = rng.choice(templates).format(
                lead=story.lead.short_name, co=_join(u.short_name for u in story.cos)
            )
        return text + SUPERVISE if supervise else text

    def _handle(self, rng, story, assigned, lead, cos):
        f = story.fields
        days = self.policy.days_for(f["urgency"])
        deadline_day = assigned[0] + days
        story.deadline_day = deadline_day
        story.parts = [(lead, Assignment.Role.LEAD)] + [(u, Assignment.Role.CO) for u in cos]
        slow = 0.025 if story.sender.level == L.LOWER else 0.01
        outcome = rng.random()
        if outcome < slow:
            done_day = deadline_day + rng.randint(8, 45)
        elif outcome < slow + 0.05:
            done_day = deadline_day + rng.randint(1, 6)
        else:
            done_day = assigned[0] + max(0, min(days, round(days * rng.uniform(0.2, 1.05))))
        accepted = later_moment(
            rng, assigned, days=min(_lag(rng, (65, 30, 5)), done_day - assigned[0])
        )
        accepted = min(accepted, (done_day, LATEST))
        submit_day = max(accepted[0], done_day - rng.choice((0, 0, 1, 1, 2)))
        # Co-units give their opinions first; the lead unit's result follows them.
        latest = accepted
        for index, unit in enumerate(cos, start=1):
            co_accept = later_moment(rng, assigned, days=_lag(rng, (60, 40)))
            co_day = rng.randint(co_accept[0], max(co_accept[0], submit_day))
            co_submit = _on_day(rng, co_accept, co_day)
            co_approve = _on_day(rng, co_submit, co_day + _lag(rng, (70, 30)))
            opinion = rng.choice(CO_RESULTS).format(lead=lead.short_name)
            self._unit_steps(rng, story, index, unit, co_accept, co_submit, co_approve, opinion)
            latest = max(latest, co_approve)
        submitted = max(_on_day(rng, accepted, submit_day), later_moment(rng, latest, lo=5, hi=30))
        approve_day = min(done_day, submit_day + _lag(rng, (60, 40)))
        approved = _on_day(rng, submitted, max(submitted[0], approve_day))
        templates = RESULTS.get(f["doc_type"], RESULTS[None])
        if f["doc_type"] in (D.OPINION, D.DECISION, D.REPLY):
            templates = RESULTS[D.NOTICE]
        result = rng.choice(templates).format(
            sender=story.sender.name, work=rng.choice(story.topic.works)
        )
        head, opinion = self._unit_steps(rng, story, 0, lead, accepted, submitted, approved, result)
        story.add(approved, "submit_for_completion", head, opinion)
        completed = _on_day(rng, approved, max(approved[0], done_day), lo=10, hi=120)
        story.add(completed, "complete", story.registrar)
        if rng.random() < 0.95:
            self._archive(rng, story, completed)

    def _unit_steps(self, rng, story, index, unit, accepted, submitted, approved, result):
        handler = self.handler.get(unit.pk) or unit
        head = self.head.get(unit.pk) or unit
        story.add(accepted, "accept", handler, part=index)
        if submitted[0] - accepted[0] >= 3 and isinstance(handler, User):
            middle = _on_day(rng, accepted, (accepted[0] + submitted[0]) // 2)
            story.add(middle, "progress", handler, rng.choice(PROGRESS), part=index)
        story.add(submitted, "submit", handler, result, part=index)
        opinion = rng.choice(APPROVALS)
        story.add(approved, "approve", head, opinion, part=index)
        return head, opinion

    # --- 阅件 -------------------------------------------------------------------------------

    def _read(self, rng, story):
        at = story.register_at
        story.add(at, "register", story.registrar)
        at = later_moment(rng, at, days=1 if rng.random() < 0.08 else 0, lo=10, hi=150)
        story.add(at, "screen", story.screener)
        leader = self.users[story.topic.leader]
        pool = [self.mayor, leader, self.secretary_general, leader.liaison or self.mayor]
        if story.sender.level == L.HIGHER and rng.random() < 0.3:
            pool += [self.users[k] for k in self.users if k.startswith("vice_mayor")]
        readers = [u for u in dict.fromkeys(pool) if u == leader or rng.random() < 0.55] or [leader]
        readers.sort(key=lambda u: u.leader_order)
        parallel = rng.random() < 0.4
        at = later_moment(rng, at, days=_lag(rng, (60, 40)), lo=20, hi=180)
        names = _join(_leader_name(u) for u in readers)
        story.add(at, "circulate", story.proposer, f"拟请{names}阅。")
        start, ends = at, []
        for i, reader in enumerate(readers):
            sequence = 1 if parallel else i + 1
            if not parallel and ends:
                start = ends[-1][0]
            moment = later_moment(rng, start, days=_lag(rng, (35, 40, 20, 5)), lo=20, hi=300)
            remark = rng.choice(REMARKS) if rng.random() < 0.4 else ""
            story.readers.append((reader, sequence, start))
            lead = self.units[story.topic.leads[0]].short_name
            story.add(moment, "initial", reader, remark.format(lead=lead), part=i)
            ends.append((moment, reader))
        last_at, last = max(ends, key=lambda e: e[0])
        story.add(last_at, "finish_circulation", last)
        if rng.random() < 0.95:
            self._archive(rng, story, last_at)

    def _archive(self, rng, story, completed):
        """归档: the documents section files completed documents in batches, days or weeks later."""
        filed = (completed[0] + rng.randint(2, 25), office_minute(rng))
        story.add(filed, "archive", story.archivist)


# --- from plan to rows -------------------------------------------------------------------------


@dataclass
class Record:
    """The rows of one document as its story stands at the cut."""

    story: Story
    document: IncomingDocument
    co_units: list = field(default_factory=list)
    instructions: list = field(default_factory=list)
    circulations: list = field(default_factory=list)
    assignments: list = field(default_factory=list)
    notes: list = field(default_factory=list)
    events: list = field(default_factory=list)  # (at, actor, action, target, from, to, opinion)
    archived_at: datetime.datetime | None = None


def _cut(story, now_cut):
    if story.hold is None:
        return now_cut
    return min(now_cut, (story.hold.at, story.hold.order))


class Builder:
    """Replays a story up to the cut, filling the rows exactly as the workflow would."""

    def __init__(self, working_days, senders):
        self.wd = working_days
        self.senders = senders
        self.tz = timezone.get_current_timezone()
        self.moments = {}

    def moment(self, at):
        if at not in self.moments:
            day, minute = at
            time = datetime.time(minute // 60, minute % 60)
            self.moments[at] = datetime.datetime.combine(self.wd.days[day], time, tzinfo=self.tz)
        return self.moments[at]

    def build(self, story, cut):
        f = story.fields
        sender = self.senders[story.sender.key]
        document = IncomingDocument(
            registration_number=story.registration_number,
            year=story.year,
            serial=story.serial,
            sender=sender,
            sender_name=sender.name,
            sender_number=story.sender_number,
            state=S.REGISTERED,
            registered_by=story.registrar,
            registered_at=self.moment(story.register_at),
            **f,
        )
        record = Record(story, document)
        for step in sorted(story.steps, key=lambda s: (s.at, s.order)):
            if (step.at, step.order) >= cut:
                break
            self.apply(record, step, self.moment(step.at))
        return record

    def event(self, record, at, step, target, before, after, opinion=None):
        record.events.append(
            (
                at,
                step.actor,
                step.action,
                target,
                before.label if before else "",
                after.label,
                step.opinion if opinion is None else opinion,
            )
        )

    def move(self, record, at, step, state, opinion=None):
        document = record.document
        before = S(document.state) if step.action != "register" else None
        document.state = state
        self.event(record, at, step, document, before, S(state), opinion)

    def apply(self, record, step, at):
        document, story, action = record.document, record.story, step.action
        actor = step.actor if isinstance(step.actor, User) else None
        if action == "register":
            self.move(record, at, step, S.REGISTERED)
        elif action == "screen":
            self.move(record, at, step, S.ACCEPTED)
        elif action == "return_to_sender":
            document.return_reason = step.opinion
            self.move(record, at, step, S.RETURNED)
        elif action == "propose_handling":
            document.proposed_handling = step.opinion
            document.proposed_by, document.proposed_at = actor, at
            if story.named_units:
                document.proposed_lead_unit = story.lead
                record.co_units = list(story.cos)
            record.instructions = [
                LeaderInstruction(
                    document=document,
                    leader=leader,
                    sequence=sequence,
                    requested_by=actor,
                    requested_at=at,
                )
                for leader, sequence, *_ in story.instructions
            ]
            self.move(record, at, step, S.INSTRUCTING)
        elif action == "instruct":
            instruction = record.instructions[step.part]
            instruction.instruction, instruction.instructed_at = step.opinion, at
            instruction.to_supervise = story.instructions[step.part][4]
            self.move(record, at, step, S.INSTRUCTING)
        elif action == "conclude_instructions":
            self.move(record, at, step, S.INSTRUCTED)
        elif action == "assign":
            document.lead_unit = story.lead
            document.deadline = self.wd.days[story.deadline_day]
            record.assignments = [
                Assignment(
                    document=document,
                    unit=unit,
                    role=role,
                    deadline=document.deadline,
                    assigned_by=actor,
                    assigned_at=at,
                )
                for unit, role in story.parts
            ]
            self.move(record, at, step, S.HANDLING)
        elif action in ("accept", "submit", "approve", "progress"):
            self.apply_to_part(record, step, at, actor, record.assignments[step.part])
        elif action == "submit_for_completion":
            self.move(record, at, step, S.AWAITING_COMPLETION)
        elif action in ("complete", "finish_circulation"):
            document.completed_on, document.completed_by = at.date(), actor
            self.move(record, at, step, S.COMPLETED)
        elif action == "circulate":
            record.circulations = [
                Circulation(document=document, leader=leader, sequence=sequence, sent_at=at)
                for leader, sequence, _ in story.readers
            ]
            self.move(record, at, step, S.CIRCULATING)
        elif action == "initial":
            circulation = record.circulations[step.part]
            circulation.read_at, circulation.remark = at, step.opinion
            self.move(record, at, step, S.CIRCULATING)
        elif action == "archive":
            document.archived_on, document.archived_by = at.date(), actor
            record.archived_at = at
            self.move(record, at, step, S.ARCHIVED)
        else:
            raise ValueError(action)

    def apply_to_part(self, record, step, at, actor, assignment):
        action = step.action
        if action == "progress":
            record.notes.append(
                ProgressNote(assignment=assignment, author=actor, at=at, text=step.opinion)
            )
            return
        before = A(assignment.state)
        if action == "accept":
            assignment.state, assignment.handler, assignment.accepted_at = A.ACCEPTED, actor, at
        elif action == "submit":
            assignment.state, assignment.result = A.SUBMITTED, step.opinion
            assignment.submitted_at, assignment.handler = at, actor
        else:
            assignment.state, assignment.approved_by, assignment.approved_at = A.APPROVED, actor, at
        self.event(record, at, step, assignment, before, A(assignment.state))


# --- holding a few recent stories, so that every demo account has work waiting ------------------


def _hold_for_units(planner, recent, now_cut, used):
    """Each demo handler's unit gets recent items waiting to be accepted, in hand, and waiting
    for the head's approval (the 待办 of handler and head)."""
    wanted = (("assign", "accept", 1), ("accept", "submit", 2), ("submit", "approve", 1))
    for unit_id in planner.handler:
        for before, held, count in wanted:
            for story in recent:
                if count == 0:
                    break
                if story.serial in used or not story.parts or story.parts[0][0].pk != unit_id:
                    continue
                done = story.find(before, part=None if before == "assign" else 0)
                step = story.find(held, part=0)
                if done and step and (done.at, done.order) < now_cut:
                    story.hold = step
                    used.add(story.serial)
                    count -= 1


def _hold_for_leaders(planner, recent, now_cut, used):
    """Each demo leader gets documents waiting for their 批示 and for their 圈阅."""
    for leader in planner.leaders:
        for rows, action, count in (("instructions", "instruct", 2), ("readers", "initial", 1)):
            for story in recent:
                if count == 0:
                    break
                if story.serial in used:
                    continue
                for index, (who, _, start, *_) in enumerate(getattr(story, rows)):
                    step = story.find(action, part=index)
                    if who == leader and (start, 0) < now_cut and step:
                        story.hold = step
                        used.add(story.serial)
                        count -= 1
                        break


# --- the seeder --------------------------------------------------------------------------------


def _senders(planner):
    rows = {}
    for spec in (*HIGHER_SENDERS, *PEER_SENDERS, *planner.lower.values()):
        rows[spec.key], _ = Sender.objects.update_or_create(
            name=spec.name,
            defaults={
                "level": spec.level,
                "unit": planner.units.get(spec.unit) if spec.unit else None,
            },
        )
    return rows


def _taken_archive_numbers(year):
    counter = SerialCounter.objects.filter(key=ARCHIVE_REGISTER, year=year).first()
    issued = SerialNumber.objects.filter(key=ARCHIVE_REGISTER, year=year).aggregate(n=Max("number"))
    return max(counter.last_number if counter else 0, issued["n"] or 0)


def seed_incoming(demo):
    """A year of 收文 up to today. Returns {"senders": {key: Sender}, "incoming":
    {registration number: document id}} for the seeders after it."""
    now = timezone.localtime()
    today = now.date()
    year = today.year
    policy = HandlingPolicy.current()
    working_days = WorkingDays(datetime.date(year, 1, 1), today + datetime.timedelta(days=400))
    planner = Planner(demo, policy=policy, working_days=working_days)
    senders = _senders(planner)

    last = working_days.index_on_or_before(today)
    if working_days.days[last] == today:
        now_at = (last, now.hour * 60 + now.minute)
    else:
        now_at = (last, 24 * 60)
    now_cut = (now_at, 10**9)

    stories = []
    for day in range(last + 1):
        for minute, position in planner.arrivals(day):
            if (day, minute) <= now_at:
                stories.append(planner.plan(day, minute, position))
    counters = {}
    for serial, story in enumerate(stories, start=1):
        story.serial, story.year = serial, year
        story.registration_number = format_number(
            policy.registration_pattern, key=REGISTER, year=year, number=serial
        )
        number = counters.get(story.series, 0) + story.number_step
        counters[story.series] = number
        code = story.series[1]
        story.sender_number = f"{code}〔{year}〕{number}号" if story.numbered and code else ""

    recent = sorted(
        (s for s in stories if s.day > last - 25 and s.fields["classification"] == 0),
        key=lambda s: -s.serial,
    )
    used = set()
    _hold_for_units(planner, recent, now_cut, used)
    _hold_for_leaders(planner, recent, now_cut, used)

    taken = set(
        SerialNumber.objects.filter(key=REGISTER, year=year).values_list("number", flat=True)
    ) | set(IncomingDocument.objects.filter(year=year).values_list("serial", flat=True))
    builder = Builder(working_days, senders)
    records = [builder.build(s, _cut(s, now_cut)) for s in stories if s.serial not in taken]
    _write(records, year)
    if stories:
        raise_counter(REGISTER, year, stories[-1].serial)
    return {
        "senders": senders,
        "incoming": dict(
            IncomingDocument.objects.filter(year=year)
            .exclude(registration_number="")
            .values_list("registration_number", "pk")
        ),
    }


def _write(records, year):
    documents = [r.document for r in records]
    # 归档号 in the order the documents were filed, after whatever the register already holds.
    archived = sorted(
        (r for r in records if r.archived_at), key=lambda r: (r.archived_at, r.document.serial)
    )
    next_archive = {}
    for record in archived:
        archive_year = record.archived_at.year
        if archive_year not in next_archive:
            next_archive[archive_year] = _taken_archive_numbers(archive_year)
        next_archive[archive_year] += 1
        record.archive_serial = next_archive[archive_year]
        record.document.archive_number = format_number(
            ARCHIVE_PATTERN, key=ARCHIVE_REGISTER, year=archive_year, number=record.archive_serial
        )
    IncomingDocument.objects.bulk_create(documents, batch_size=BATCH)

    doc_type = ContentType.objects.get_for_model(IncomingDocument)
    part_type = ContentType.objects.get_for_model(Assignment)
    serials = [
        SerialNumber(
            key=REGISTER,
            year=year,
            number=d.serial,
            text=d.registration_number,
            content_type=doc_type,
            object_id=d.pk,
            allocated_by=d.registered_by,
            allocated_at=d.registered_at,
        )
        for d in documents
    ]
    serials += [
        SerialNumber(
            key=ARCHIVE_REGISTER,
            year=r.archived_at.year,
            number=r.archive_serial,
            text=r.document.archive_number,
            content_type=doc_type,
            object_id=r.document.pk,
            allocated_by=r.document.archived_by,
            allocated_at=r.archived_at,
        )
        for r in archived
    ]
    SerialNumber.objects.bulk_create(serials, batch_size=BATCH)
    through = IncomingDocument.proposed_co_units.through
    through.objects.bulk_create(
        [through(incomingdocument=r.document, unit=u) for r in records for u in r.co_units],
        batch_size=BATCH,
    )
    for model, rows in (
        (LeaderInstruction, "instructions"),
        (Circulation, "circulations"),
        (Assignment, "assignments"),
        (ProgressNote, "notes"),
    ):
        model.objects.bulk_create(
            [row for r in records for row in getattr(r, rows)], batch_size=BATCH
        )

    events = []
    adapt = connection.ops.adapt_datetimefield_value
    for record in records:
        document = record.document
        for at, actor, action, target, before, after, opinion in record.events:
            person = isinstance(actor, User)
            if action == "register":  # as documents.services.incoming_register writes it
                opinion = f"{document.sender_name} {document.sender_number}".strip()
            elif action == "archive":  # as documents.workflow.archive writes it
                opinion = f"归档号 {document.archive_number}"
            events.append(
                (
                    at,
                    actor.pk if person else None,
                    actor.real_name if person else actor.short_name,
                    action,
                    LABELS[action],
                    "success",
                    (doc_type if target is document else part_type).pk,
                    target.pk,
                    str(target)[:200],
                    document.classification,
                    before,
                    after,
                    opinion,
                )
            )
    events.sort(key=lambda e: e[0])
    insert_rows(TRAIL_COLUMNS, [(adapt(e[0]), *e[1:]) for e in events])
    for archive_year, number in next_archive.items():
        raise_counter(ARCHIVE_REGISTER, archive_year, number)
