"""What the demo's topics, opinions, leaves and decided items say: per leader's portfolio, the
units that bring topics to the meetings and what they are about."""

# The leader whose portfolio covers each unit (office/seed/core.py, 分管), and that unit's subjects.
PORTFOLIOS = {
    "executive_vice_mayor": {
        "development": (
            "2027年市重点建设项目计划",
            "扩大有效投资若干措施",
            "现代化产业体系建设三年行动方案",
        ),
        "finance": (
            "2027年市级财政预算草案",
            "市级政府投资项目资金管理办法",
            "预算绩效管理改革实施方案",
        ),
        "industry": ("制造业高质量发展专项资金管理办法", "工业园区提质增效行动方案"),
        "commerce": ("促进外贸稳规模优结构若干措施", "横琴口岸经济发展工作方案"),
        "state_assets": ("市属国有企业改革深化提升行动方案", "市属国企负责人经营业绩考核办法"),
        "data": ("数字政府建设2027年工作要点", "政务数据共享开放管理办法"),
        "xiangzhou": ("香洲区城市更新单元规划", "香洲区商圈改造提升方案"),
        "huafa_group": ("华发集团重点项目投资计划",),
        "gree_group": ("格力集团资产重组方案",),
    },
    "vice_mayor_social": {
        "education": (
            "中小学学位建设三年攻坚计划",
            "调整中小学课后服务收费标准",
            "学前教育普惠发展方案",
        ),
        "health": ("公立医院高质量发展实施方案", "紧密型城市医疗集团建设方案"),
        "medical_insurance": ("长期护理保险制度试点方案",),
        "civil_affairs": ("养老服务体系建设实施意见", "社区居家养老服务补贴办法"),
        "human_resources": ("稳就业促就业若干措施", "高层次人才引进资助办法"),
        "culture": ("文旅体育融合发展行动方案", "市博物馆新馆建设方案"),
        "veterans": ("退役军人就业创业扶持办法",),
    },
    "vice_mayor_construction": {
        "housing": ("城镇老旧小区改造年度计划", "保障性住房筹建方案", "既有住宅加装电梯补助办法"),
        "transport": (
            "城市轨道交通线网规划调整",
            "公交线网优化方案",
            "港珠澳大桥珠海口岸交通组织方案",
        ),
        "natural_resources": ("国土空间总体规划实施方案", "土地储备年度计划"),
        "water": ("城市防洪排涝三年行动方案", "供水管网改造计划"),
        "ecology": ("空气质量持续改善行动方案", "近岸海域污染防治方案"),
        "urban_management": ("生活垃圾分类工作方案", "城市照明专项规划"),
        "agriculture": ("乡村振兴示范带建设方案", "高标准农田建设规划"),
        "doumen": ("斗门区农村人居环境整治方案",),
        "jinwan": ("金湾区航空产业园建设方案",),
        "transport_group": ("珠海交控集团公交运营补贴方案",),
        "water_group": ("水务环境集团污水处理提标改造方案",),
    },
    "vice_mayor_security": {
        "public_security": ("道路交通安全综合治理方案", "社会治安防控体系建设方案"),
        "justice": ("法治政府建设实施方案", "行政复议体制改革实施方案"),
        "emergency": ("安全生产治本攻坚三年行动方案", "防汛防风应急预案修订"),
        "market": ("食品安全城市创建工作方案", "质量强市建设实施意见"),
        "science": ("科技创新券管理办法", "新型研发机构认定和扶持办法"),
        "petitions": ("信访工作法治化实施方案",),
        "high_tech_zone": ("高新区集成电路产业园建设方案",),
        "economic_zone": ("经开区化工园区安全整治提升方案",),
    },
}

UNIT_LEADER = {unit: leader for leader, units in PORTFOLIOS.items() for unit in units}
# The units with demo handlers or heads: each is asked for an opinion on a topic in flight.
DEMO_UNITS = ("education", "housing", "development", "xiangzhou", "finance", "transport", "health")
# Units asked for their opinion on most topics (会前协调).
COORDINATORS = ("finance", "development", "justice", "natural_resources", "human_resources")

TOPIC_TITLES = ("关于{s}的请示", "关于提请审议{s}的请示", "关于{s}有关事项的请示")
IN_FLIGHT_TITLE = "关于{s}（征求意见稿）的请示"
SUMMARIES = (
    "经深入调研并广泛征求意见，{unit}拟定了{s}，现提请市政府审议。",
    "根据省有关工作部署，结合我市实际，{unit}研究起草了{s}，建议按程序提请审议。",
)
AGREE = ("同意。", "无意见。", "原则同意，建议进一步明确资金来源。", "同意，建议加强部门协同。")
DISAGREE = (
    "不同意。涉及的资金未纳入年度预算，建议另行研究。",
    "不同意。与现行规划存在冲突，建议调整后再报。",
)
LEGAL = ("经审查，该议题内容符合有关法律法规规定，程序合法。", "未发现与上位法相抵触的内容。")
LEGAL_AFTER_CHANGES = ("部分条款表述需调整，按审查意见修改后合法。",)
ILLEGAL = ("部分条款设定了行政许可事项，超越地方政府规章权限，请修改后重新提交。",)
DEFER_REASONS = ("会议认为需进一步征求各区意见，暂缓审议。", "相关资金安排尚未落实，缓议。")
WITHDRAW_REASONS = ("因上级政策调整，撤回该议题。", "该事项已并入其他议题一并研究，撤回。")
RETURN_MINUTES = ("议定事项第二项责任单位表述不准确，请修改。", "请补充完成时限。")
CANCEL_REASONS = ("因市领导临时公务安排，会议取消，另行通知。",)
LEAVES = (
    "出席省政府会议",
    "赴北京汇报工作",
    "带队外出招商",
    "参加省人大常委会会议",
    "下基层调研",
    "病假",
)
ACTIONS = (
    "抓紧完善方案，按程序报批后组织实施",
    "制定具体实施细则，明确时间表和责任人",
    "做好资金测算，纳入年度预算统筹安排",
    "加强统筹协调，按期推进各项工作",
    "做好政策解读和宣传引导工作",
    "开展专项督导，及时报告进展情况",
)
WORK_TOPICS = (
    "研究{s}工作",
    "协调推进{s}",
)
