"""What the demo's hand-opened supervision items say (DOMAIN.md §6): the government work report's
targets broken into tasks, the year's livelihood projects, items assigned from above, online
appeals — each with its lead unit, co-units and responsible leader by portfolio (office/seed/
core.py, 分管) — and the words of progress reports, urgings, extensions and verifications."""

# 政府工作报告目标任务: (target, [(task title, lead unit, co-units, leader)]). Each task has the
# four quarterly milestones below, is due on December 31 and reports quarterly.
WORK_REPORT = (
    (
        "经济运行",
        (
            ("地区生产总值增长 6% 左右", "development", ("statistics",), "executive_vice_mayor"),
            ("固定资产投资增长 8% 以上", "development", ("finance",), "executive_vice_mayor"),
            ("规模以上工业增加值增长 7%", "industry", ("statistics",), "executive_vice_mayor"),
            (
                "社会消费品零售总额增长 5.5%",
                "commerce",
                ("statistics",),
                "executive_vice_mayor",
            ),
            ("外贸进出口总额稳中提质", "commerce", ("development",), "executive_vice_mayor"),
        ),
    ),
    (
        "财政金融",
        (
            ("一般公共预算收入增长 5%", "finance", ("statistics",), "executive_vice_mayor"),
            ("民生支出占一般公共预算支出 75% 以上", "finance", (), "executive_vice_mayor"),
            ("市属国有企业营业收入增长 8%", "state_assets", ("finance",), "executive_vice_mayor"),
            (
                "新增政府债券资金全部形成实物工作量",
                "finance",
                ("development",),
                "executive_vice_mayor",
            ),
        ),
    ),
    (
        "科技创新",
        (
            ("研发经费投入强度达到 3.6%", "science", ("statistics",), "vice_mayor_security"),
            ("净增高新技术企业 300 家", "science", ("high_tech_zone",), "vice_mayor_security"),
            ("新增省级以上创新平台 15 个", "science", ("industry",), "vice_mayor_security"),
            ("技术合同成交额突破 200 亿元", "science", (), "vice_mayor_security"),
        ),
    ),
    (
        "产业发展",
        (
            ("新增规模以上工业企业 150 家", "industry", ("statistics",), "executive_vice_mayor"),
            ("数字经济核心产业增加值增长 10%", "industry", ("data",), "executive_vice_mayor"),
            ("接待游客 5000 万人次", "culture", ("commerce",), "vice_mayor_social"),
            (
                "高标准农田建设 1.2 万亩",
                "agriculture",
                ("natural_resources",),
                "vice_mayor_construction",
            ),
            ("政务服务事项网上可办率达到 99%", "data", (), "executive_vice_mayor"),
        ),
    ),
    (
        "就业社保",
        (
            ("新增城镇就业 3 万人以上", "human_resources", ("finance",), "vice_mayor_social"),
            (
                "城镇调查失业率控制在 5.5% 以内",
                "human_resources",
                ("statistics",),
                "vice_mayor_social",
            ),
            ("基本养老保险参保率稳定在 95% 以上", "human_resources", (), "vice_mayor_social"),
            ("城乡低保标准提高 5%", "civil_affairs", ("finance",), "vice_mayor_social"),
        ),
    ),
    (
        "教育卫生",
        (
            ("新增公办中小学学位 2 万个", "education", ("natural_resources",), "vice_mayor_social"),
            ("学前教育公办园在园幼儿占比达到 55%", "education", (), "vice_mayor_social"),
            ("每千人口执业（助理）医师数达到 3.4 人", "health", (), "vice_mayor_social"),
            ("紧密型城市医疗集团全覆盖", "health", ("medical_insurance",), "vice_mayor_social"),
            ("基本医疗保险参保率稳定在 97% 以上", "medical_insurance", (), "vice_mayor_social"),
        ),
    ),
    (
        "城市建设",
        (
            ("改造城镇老旧小区 120 个", "housing", ("xiangzhou",), "vice_mayor_construction"),
            (
                "筹集保障性租赁住房 1 万套",
                "housing",
                ("natural_resources",),
                "vice_mayor_construction",
            ),
            ("新建改造城市道路 50 公里", "transport", ("housing",), "vice_mayor_construction"),
            ("公交分担率提高到 35%", "transport", ("transport_group",), "vice_mayor_construction"),
            ("改造供水管网 150 公里", "water", ("water_group",), "vice_mayor_construction"),
        ),
    ),
    (
        "生态环境",
        (
            (
                "空气质量优良天数比例达到 95%",
                "ecology",
                ("urban_management",),
                "vice_mayor_construction",
            ),
            ("地表水国考断面水质优良率 100%", "ecology", ("water",), "vice_mayor_construction"),
            ("生活垃圾回收利用率达到 40%", "urban_management", (), "vice_mayor_construction"),
            (
                "完成造林与生态修复 2 万亩",
                "natural_resources",
                ("agriculture",),
                "vice_mayor_construction",
            ),
        ),
    ),
    (
        "安全稳定",
        (
            ("生产安全事故起数和死亡人数双下降", "emergency", (), "vice_mayor_security"),
            ("刑事警情同比下降 10%", "public_security", (), "vice_mayor_security"),
            ("信访事项及时受理率达到 99%", "petitions", (), "vice_mayor_security"),
            ("食品安全评价性抽检合格率 98% 以上", "market", ("health",), "vice_mayor_security"),
        ),
    ),
)

QUARTERS = ("一季度", "上半年", "前三季度", "全年")
QUARTER_SHARES = (20, 45, 75, 100)
MILESTONE = "{period}完成年度目标的{share}%"
WORK_REPORT_REQUIREMENT = (
    "对照《{year}年市政府工作报告》“{target}”目标，{task}。请牵头单位制定推进计划，按季度于"
    "季末月25日前报送进展，年底前全面完成。"
)

# 为民办实事: (title, lead unit, co-units, leader, (month, day) due, milestones as (text, month,
# day)). Reports are monthly by the 25th.
LIVELIHOOD = (
    (
        "新建改扩建公办幼儿园 12 所",
        "education",
        ("natural_resources", "housing"),
        "vice_mayor_social",
        (8, 31),
        (("完成选址和立项", 3, 31), ("全部开工建设", 5, 31), ("竣工验收并开园招生", 8, 31)),
    ),
    (
        "新增中小学学位 1.5 万个",
        "education",
        ("development",),
        "vice_mayor_social",
        (9, 1),
        (("完成校舍建设计划", 4, 30), ("主体工程完工", 7, 15), ("秋季学期投入使用", 9, 1)),
    ),
    (
        "改造城镇老旧小区 60 个",
        "housing",
        ("xiangzhou", "doumen"),
        "vice_mayor_construction",
        (12, 31),
        (("完成改造方案审批", 4, 30), ("开工率达到 100%", 7, 31), ("完工率达到 70%", 10, 31)),
    ),
    (
        "既有住宅加装电梯 300 台",
        "housing",
        ("market",),
        "vice_mayor_construction",
        (12, 31),
        (("完成 100 台", 6, 30), ("完成 200 台", 9, 30)),
    ),
    (
        "新建社区长者饭堂 30 个",
        "civil_affairs",
        ("finance",),
        "vice_mayor_social",
        (10, 31),
        (("完成选址", 4, 30), ("建成 15 个", 7, 31)),
    ),
    (
        "新增养老床位 1000 张",
        "civil_affairs",
        ("health",),
        "vice_mayor_social",
        (12, 31),
        (("新增 400 张", 6, 30), ("新增 800 张", 9, 30)),
    ),
    (
        "建设社区卫生服务中心 8 个",
        "health",
        ("housing",),
        "vice_mayor_social",
        (12, 31),
        (("完成规划选址", 3, 31), ("全部开工", 6, 30), ("主体完工", 10, 31)),
    ),
    (
        "为 60 岁以上老年人免费接种流感疫苗",
        "health",
        ("finance",),
        "vice_mayor_social",
        (12, 31),
        (("完成疫苗采购", 8, 31), ("接种率达到 50%", 11, 30)),
    ),
    (
        "新建和改造公共停车位 1 万个",
        "transport",
        ("urban_management", "natural_resources"),
        "vice_mayor_construction",
        (12, 31),
        (("建成 3000 个", 6, 30), ("建成 7000 个", 9, 30)),
    ),
    (
        "优化调整公交线路 30 条",
        "transport",
        ("transport_group",),
        "vice_mayor_construction",
        (9, 30),
        (("完成线网优化方案", 4, 30), ("调整 15 条", 6, 30)),
    ),
    (
        "新建城市口袋公园 20 个",
        "urban_management",
        ("natural_resources",),
        "vice_mayor_construction",
        (11, 30),
        (("完成设计", 4, 30), ("建成 10 个", 8, 31)),
    ),
    (
        "改造农村供水管网 200 公里",
        "water",
        ("water_group", "doumen"),
        "vice_mayor_construction",
        (12, 31),
        (("完成 80 公里", 6, 30), ("完成 150 公里", 9, 30)),
    ),
    (
        "新建全民健身场地 50 处",
        "culture",
        ("urban_management",),
        "vice_mayor_social",
        (12, 31),
        (("建成 20 处", 6, 30), ("建成 40 处", 9, 30)),
    ),
    (
        "开展职业技能培训 5 万人次",
        "human_resources",
        ("education",),
        "vice_mayor_social",
        (12, 31),
        (("培训 2 万人次", 6, 30), ("培训 4 万人次", 9, 30)),
    ),
    (
        "建设退役军人服务站规范化提升点 40 个",
        "veterans",
        (),
        "vice_mayor_social",
        (10, 31),
        (("完成 20 个", 6, 30),),
    ),
)
LIVELIHOOD_REQUIREMENT = (
    "{year}年市十件民生实事之一：{title}。请牵头单位倒排工期、挂图作战，每月25日前报送进展，"
    "按期保质完成。"
)

# 上级交办: (title, lead unit, co-units, leader, source label, working days to complete).
HIGHER = (
    (
        "落实省政府关于稳住经济大盘督查反馈问题整改",
        "development",
        ("finance", "statistics"),
        "executive_vice_mayor",
        "省政府办公厅督查反馈意见",
        30,
    ),
    (
        "办理国务院“互联网+督查”平台转办的企业反映问题",
        "data",
        ("market",),
        "executive_vice_mayor",
        "国务院办公厅“互联网+督查”平台转办件",
        15,
    ),
    (
        "落实省安委会安全生产明查暗访发现问题整改",
        "emergency",
        ("housing", "transport"),
        "vice_mayor_security",
        "省安全生产委员会办公室督办函",
        30,
    ),
    (
        "做好中央生态环境保护督察交办信访件办理",
        "ecology",
        ("xiangzhou", "doumen", "jinwan"),
        "vice_mayor_construction",
        "中央第五生态环境保护督察组交办件",
        20,
    ),
    (
        "落实省政府关于义务教育“双减”工作专项督导意见",
        "education",
        (),
        "vice_mayor_social",
        "省人民政府教育督导委员会办公室督导意见",
        40,
    ),
    (
        "落实省审计厅审计发现问题整改",
        "audit",
        ("finance",),
        "executive_vice_mayor",
        "省审计厅审计报告",
        45,
    ),
    (
        "推进省“百县千镇万村高质量发展工程”年度任务",
        "agriculture",
        ("doumen", "jinwan"),
        "vice_mayor_construction",
        "省委农办、省农业农村厅督办通知",
        60,
    ),
    (
        "落实省政府关于城镇燃气安全专项整治的工作部署",
        "urban_management",
        ("emergency", "market"),
        "vice_mayor_construction",
        "省政府办公厅督办通知",
        30,
    ),
    (
        "办理省领导关于医保基金监管工作的批示",
        "medical_insurance",
        ("health",),
        "vice_mayor_social",
        "省政府办公厅批示件转办单",
        20,
    ),
    (
        "落实省政府关于防汛防台风工作的督查意见",
        "water",
        ("emergency",),
        "vice_mayor_construction",
        "省防汛防旱防风总指挥部督办通知",
        15,
    ),
    (
        "落实国务院大督查发现的营商环境问题整改",
        "market",
        ("data", "development"),
        "executive_vice_mayor",
        "国务院第十次大督查反馈问题清单",
        40,
    ),
    (
        "推进省“民生十件实事”珠海任务落实",
        "finance",
        ("civil_affairs", "education"),
        "executive_vice_mayor",
        "省政府办公厅督办函",
        45,
    ),
    (
        "落实省信访局交办重复信访积案化解",
        "petitions",
        ("xiangzhou",),
        "vice_mayor_security",
        "省信访局交办函",
        30,
    ),
    (
        "完成省政府下达的耕地保护和粮食安全责任制考核整改",
        "natural_resources",
        ("agriculture",),
        "vice_mayor_construction",
        "省政府耕地保护考核反馈意见",
        40,
    ),
    (
        "落实省人社厅关于根治欠薪冬季专项行动部署",
        "human_resources",
        ("housing", "justice"),
        "vice_mayor_social",
        "省根治拖欠农民工工资工作领导小组办公室督办函",
        20,
    ),
)
HIGHER_REQUIREMENT = "按照{label}要求，{title}。请牵头单位抓紧办理，按时限报送办理结果。"

# 网络诉求: (title, lead unit, leader, working days to answer).
APPEALS = (
    ("市民反映香洲区某小区夜间施工噪音扰民", "xiangzhou", "executive_vice_mayor", 5),
    ("群众反映拱北口岸周边出租车拒载议价", "transport", "vice_mayor_construction", 5),
    ("网民反映前山河部分河段水体发黑发臭", "water", "vice_mayor_construction", 10),
    ("家长反映某民办幼儿园违规收取费用", "education", "vice_mayor_social", 7),
    ("市民反映老旧小区加装电梯补贴迟迟未到位", "housing", "vice_mayor_construction", 10),
    ("网民反映某小区物业擅自提高停车收费", "housing", "vice_mayor_construction", 7),
    ("群众反映斗门区乡村道路路灯长期不亮", "doumen", "vice_mayor_construction", 7),
    ("网民反映社区卫生服务中心周末不开诊", "health", "vice_mayor_social", 7),
    ("市民反映公交站台无遮阳避雨设施", "transport", "vice_mayor_construction", 10),
    ("网民反映餐饮店油烟直排影响居民生活", "ecology", "vice_mayor_construction", 7),
    ("群众反映农民工工资被拖欠", "human_resources", "vice_mayor_social", 5),
    ("网民反映某路段积水严重影响通行", "urban_management", "vice_mayor_construction", 5),
    ("市民反映医保异地备案办理不便", "medical_insurance", "vice_mayor_social", 7),
    ("网民反映学校周边交通拥堵存在安全隐患", "public_security", "vice_mayor_security", 7),
    ("群众反映某商铺销售过期食品", "market", "vice_mayor_security", 5),
    ("网民反映金湾区某工业园区异味扰民", "ecology", "vice_mayor_construction", 10),
    ("市民反映共享单车乱停放占用人行道", "urban_management", "vice_mayor_construction", 5),
    ("网民反映住房公积金提取审核时间过长", "housing", "vice_mayor_construction", 7),
    ("群众反映村民自建房审批进度缓慢", "natural_resources", "vice_mayor_construction", 10),
    ("网民反映社区养老服务中心收费不透明", "civil_affairs", "vice_mayor_social", 7),
    ("市民反映小区供水水压不足", "water", "vice_mayor_construction", 5),
    ("网民反映政务服务大厅窗口排队时间过长", "data", "executive_vice_mayor", 5),
    ("群众反映菜市场周边占道经营", "urban_management", "vice_mayor_construction", 7),
    ("网民反映新建学校开学前未完成验收", "education", "vice_mayor_social", 10),
    ("市民反映高新区部分路段缺少交通信号灯", "high_tech_zone", "vice_mayor_security", 10),
    ("网民反映出租屋消防通道被堵塞", "emergency", "vice_mayor_security", 5),
    ("群众反映退役军人优待证办理进度慢", "veterans", "vice_mayor_social", 7),
    ("网民反映某工地渣土车沿路抛洒", "urban_management", "vice_mayor_construction", 5),
    ("市民反映景区节假日停车难", "culture", "vice_mayor_social", 10),
    ("网民反映燃气报装等待时间过长", "urban_management", "vice_mayor_construction", 7),
)
APPEAL_LABEL = "珠海市12345政务服务便民热线 工单 {number}"
APPEAL_REQUIREMENT = "{title}。请牵头单位{days}个工作日内核实处理，答复诉求人并报送办理结果。"

# The supervisor who follows each leader's portfolio (督查室 分工).
SUPERVISOR_OF_LEADER = {
    "mayor": "supervisor_chief",
    "executive_vice_mayor": "supervisor_chief",
    "secretary_general": "supervisor_chief",
    "vice_mayor_social": "supervisor_deputy",
    "vice_mayor_construction": "supervisor_deputy",
    "vice_mayor_security": "supervisor_clerk",
}

ASSIGN_MESSAGES = (
    "请按要求抓紧办理，按报送周期报送进展。",
    "请牵头单位会同配合单位制定工作方案，明确责任人和时间节点。",
    "请高度重视，按期办结。",
    "",
)
PROGRESS = (
    "已制定工作方案，明确责任分工和时间节点，各项工作有序推进。",
    "已召开专题协调会，协调解决推进中的难点问题，完成阶段性目标。",
    "牵头会同配合单位开展现场调研，形成初步意见，正在征求有关方面意见。",
    "相关资金已落实，项目按计划推进，完成进度符合序时要求。",
    "已完成前期工作，进入实施阶段，将加快推进确保按期完成。",
    "已建立周调度机制，逐项对账销号，目前推进顺利。",
    "针对存在问题已提出整改措施，正在逐项落实。",
)
COMPLETION = (
    "已按要求全部完成，相关佐证材料已上传，申请办结。",
    "各项工作已落实到位，经单位负责人审核，申请销号。",
    "已完成并答复诉求人，诉求人表示满意，申请办结。",
)
RETURN_OPINIONS = (
    "进展情况过于笼统，请补充具体数据后重新报送。",
    "请对照节点目标说明完成情况。",
)
CLOSE_OPINIONS = ("经核验，已按要求完成，同意销号。", "佐证材料齐全，同意销号。")
SEND_BACK_OPINIONS = (
    "佐证材料不足，请补充完成情况的证明材料后再申请办结。",
    "经实地核查，部分工作尚未完成，请继续办理。",
)
URGE_MESSAGES = (
    "该事项已逾期，请于3个工作日内报送办理情况。",
    "请加快推进，按时报送进展情况。",
    "市领导高度关注该事项，请抓紧办理并报告结果。",
)
EXTENSION_REASONS = (
    "受项目审批流程影响，需延期完成。",
    "涉及多个部门协调，部分事项尚需上级批复。",
    "受天气影响施工进度滞后，申请延期。",
)
REFUSE_OPINIONS = ("该事项时限不宜延后，请加大力度按原时限完成。",)
SUSPEND_REASONS = (
    "上级政策调整，该事项不再实施。",
    "该事项已并入其他督办事项统一推进。",
)
