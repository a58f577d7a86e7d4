"""What the demo 发文 are about: fields of work with their units, leaders and title phrases, the
文种 and their weights, the opinions reviewers, signers and co-signing units write, the reasons a
number is voided, and the demo 正文 (body_text)."""

from dataclasses import dataclass

from django.utils import timezone

from ..models import DocType

D = DocType


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
