"""The words of the demo's 建议提案 (DOMAIN.md §7): subjects by category with the unit that leads
them and the units that may co-handle them, the proposers' delegations (代表团) and sectors
(界别), names and work units, and the sentences of contents, contacts, co-units' opinions and
replies. Unit keys are office.seed.core's."""

# 类别 → subjects: "对象 : 动词/动词/动词 : 主办 : 会办候选". A title is 关于{动词}{对象}的建议/提案.
TOPICS = {
    "教育": """
中心城区公办学位供给 : 增加/扩大/保障 : education : xiangzhou natural_resources
义务教育优质均衡发展 : 推进/加快/促进 : education : finance
学前教育普惠性资源 : 扩大/增加/完善 : education : finance
中小学课后服务 : 优化/完善/规范 : education : finance
中小学生心理健康教育 : 加强/完善/重视 : education : health
职业教育产教融合 : 深化/推进/加快 : education : industry human_resources
乡村教师队伍建设 : 加强/支持/推进 : education : doumen jinwan
校园周边交通秩序 : 整治/规范/改善 : education : public_security transport
中小学体育场地向社会开放 : 推动/推进/规范 : education : culture
特殊教育融合发展 : 推进/加强/促进 : education : civil_affairs
青少年近视防控 : 加强/做好/推进 : education : health
港澳子弟学校建设 : 支持/加快/推进 : education : xiangzhou
高校毕业生留珠就业 : 促进/支持/吸引 : human_resources : education
中小学食堂食品安全 : 加强/强化/保障 : education : market
智慧校园建设 : 加快/推进/推动 : education : data
中小学教师减负 : 切实推进/落实/推动 : education :
托育服务体系 : 完善/建设/健全 : health : education civil_affairs
劳动教育实践基地 : 建设/加强/拓展 : education : agriculture
""",
    "医疗卫生": """
基层医疗卫生服务能力 : 提升/加强/增强 : health : finance
紧密型医联体建设 : 推进/深化/加快 : health : medical_insurance
家庭医生签约服务 : 做实/优化/推进 : health : medical_insurance
西部城区优质医疗资源布局 : 优化/加快/完善 : health : doumen jinwan
院前急救网络 : 完善/加强/优化 : health :
精神卫生服务体系 : 健全/完善/加强 : health : civil_affairs public_security
中医药传承创新发展 : 促进/推动/支持 : health :
医保异地就医直接结算 : 优化/便利/推进 : medical_insurance : health
医疗卫生人才引进培养 : 加强/完善/加大 : health : human_resources
公立医院停车难问题 : 缓解/解决/破解 : health : transport urban_management
慢性病综合防控 : 加强/推进/完善 : health :
医养结合服务 : 推进/发展/深化 : health : civil_affairs
互联网医院建设 : 加快/推进/规范 : health : data medical_insurance
儿童医疗服务资源 : 扩大/增加/优化 : health :
长期护理保险制度 : 推行/探索/完善 : medical_insurance : health civil_affairs
社区卫生服务中心标准化建设 : 推进/加快/加强 : health : xiangzhou
琴澳跨境医疗合作 : 深化/推进/拓展 : health : medical_insurance
职业病防治 : 加强/强化/做好 : health : human_resources
""",
    "城市建设": """
老旧小区改造 : 加快推进/统筹推进/高质量推进 : housing : xiangzhou finance
既有住宅加装电梯 : 加快/推进/简化 : housing : natural_resources market
物业管理服务 : 规范/提升/加强 : housing : xiangzhou
城中村改造 : 有序推进/加快/稳步推进 : housing : natural_resources xiangzhou
保障性住房供给 : 增加/扩大/加快 : housing : natural_resources finance
城市内涝治理 : 加强/加快/系统推进 : water : housing urban_management
背街小巷环境整治 : 推进/开展/加强 : urban_management : xiangzhou
城市公园绿地建设 : 加快/优化/推进 : urban_management : natural_resources
历史文化街区保护更新 : 加强/推进/做好 : natural_resources : housing culture
地下管网改造 : 加快/推进/统筹 : housing : water
住宅小区充电桩建设 : 加快/推进/规范 : development : housing
建筑工地扬尘和噪声管理 : 加强/规范/强化 : housing : ecology
生活垃圾分类 : 深化/推进/完善 : urban_management : xiangzhou
城市照明设施 : 完善/优化/改造 : urban_management :
海绵城市建设 : 推进/加快/深化 : housing : water
农村自建房安全隐患排查 : 加强/开展/推进 : housing : doumen jinwan
共有产权住房 : 探索/推行/发展 : housing : natural_resources
城市更新项目审批 : 优化/简化/加快 : natural_resources : housing
""",
    "交通": """
城市轨道交通建设 : 加快/推进/谋划 : transport : development natural_resources
公交线网 : 优化/完善/调整 : transport :
中心城区停车难问题 : 缓解/破解/解决 : transport : public_security urban_management
校园周边交通安全 : 加强/保障/改善 : public_security : transport education
港珠澳大桥口岸交通接驳 : 优化/完善/提升 : transport : public_security
东西部城区快速通道 : 加快建设/规划建设/推进 : transport : natural_resources
慢行交通系统 : 完善/建设/优化 : transport : urban_management
电动自行车通行管理 : 规范/加强/完善 : public_security : transport
道路交通拥堵治理 : 加强/推进/开展 : public_security : transport
出租车和网约车服务 : 规范/提升/优化 : transport :
城乡客运一体化 : 推进/加快/促进 : transport : doumen
智慧交通建设 : 加快/推进/推动 : transport : public_security data
公交站台无障碍设施 : 完善/改造/加强 : transport : civil_affairs
海岛交通保障 : 改善/完善/加强 : transport :
货车通行管理 : 优化/规范/改善 : public_security : transport
道路积水点改造 : 加快/推进/实施 : transport : water
珠海机场综合交通枢纽 : 建设/完善/提升 : transport : development
公共自行车系统 : 完善/优化/恢复 : transport : urban_management
""",
    "生态环境": """
前山河流域水环境治理 : 加强/深化/推进 : water : ecology xiangzhou
近岸海域污染防治 : 加强/强化/推进 : ecology : agriculture
大气污染联防联控 : 加强/深化/完善 : ecology :
黑臭水体治理成效 : 巩固/提升/巩固提升 : water : ecology
工业园区环境监管 : 加强/强化/完善 : ecology : industry
餐饮油烟扰民问题 : 治理/整治/解决 : ecology : urban_management market
红树林保护修复 : 加强/推进/加快 : natural_resources : ecology
噪声污染防治 : 加强/强化/推进 : ecology : public_security
固体废物处置能力建设 : 提升/加强/完善 : ecology : urban_management
碳达峰碳中和工作 : 推进/推动/落实 : development : ecology
农村生活污水治理 : 加快/推进/完善 : water : agriculture doumen
饮用水水源地保护 : 加强/强化/做好 : water : ecology
生态环境损害赔偿制度 : 完善/健全/推进 : ecology : justice
海漂垃圾治理 : 加强/完善/推进 : ecology : urban_management
万里碧道建设 : 推进/加快/统筹 : water : natural_resources
新能源汽车推广应用 : 加快/推动/促进 : development : transport
""",
    "营商环境": """
中小企业融资难融资贵问题 : 缓解/破解/解决 : finance : development
政务服务“一网通办” : 深化/推进/优化 : data :
企业开办和注销便利化 : 推进/提升/深化 : market : data
民营经济高质量发展 : 支持/促进/推动 : development : industry
涉企政策兑现 : 加快/优化/规范 : development : finance
招商引资工作 : 加强/优化/创新 : commerce : development
跨境电商发展 : 推动/促进/支持 : commerce :
工业用地供给 : 保障/增加/优化 : natural_resources : industry
专精特新企业培育 : 加强/加大/推进 : industry : science
科技成果转化 : 促进/加快/推动 : science : industry
琴澳一体化营商环境建设 : 推进/优化/加快 : development : commerce
拖欠中小企业账款问题 : 清理/解决/防范 : industry : finance
首店经济和夜间经济 : 发展/促进/培育 : commerce : culture
人才住房保障 : 完善/加大/优化 : housing : human_resources
知识产权保护 : 加强/强化/完善 : market : science
社会信用体系建设 : 推进/加快/完善 : development : market
数字经济发展 : 推动/加快/促进 : industry : data
涉企行政检查 : 规范/减少/优化 : justice : market
""",
    "社会保障": """
居家社区养老服务 : 完善/发展/加强 : civil_affairs : health
灵活就业人员社会保险 : 完善/扩大/优化 : human_resources :
新就业形态劳动者权益保障 : 加强/完善/做好 : human_resources :
困难群众救助帮扶 : 加强/完善/健全 : civil_affairs : finance
残疾人就业 : 促进/支持/扩大 : civil_affairs : human_resources
退役军人服务保障 : 加强/完善/做好 : veterans : human_resources
农民工工资支付保障 : 加强/完善/健全 : human_resources : housing
社区嵌入式服务设施建设 : 推进/加快/完善 : civil_affairs : natural_resources
儿童友好城市建设 : 推进/加快/深化 : civil_affairs : education
养老机构服务质量 : 提升/加强/规范 : civil_affairs : market
长者饭堂建设 : 推广/推进/完善 : civil_affairs : xiangzhou
技能人才培养 : 加强/加快/完善 : human_resources : education
失能老人照护服务 : 加强/完善/做好 : civil_affairs : medical_insurance health
零工市场建设 : 推进/加快/规范 : human_resources :
婚姻家庭辅导服务 : 加强/完善/推广 : civil_affairs :
殡葬服务改革 : 深化/推进/规范 : civil_affairs : natural_resources
""",
    "文化旅游": """
全域旅游发展 : 推进/推动/加快 : culture :
海岛旅游开发 : 加快/推进/规范 : culture : natural_resources
公共文化服务体系 : 完善/健全/提升 : culture : finance
非物质文化遗产保护传承 : 加强/推进/做好 : culture :
全民健身设施建设 : 完善/加强/优化 : culture : urban_management
文旅消费新场景 : 打造/培育/拓展 : culture : commerce
城市书房建设 : 推进/加快/推广 : culture :
体育赛事经济 : 发展/培育/促进 : culture : commerce
红色文化资源保护利用 : 加强/推进/做好 : culture : veterans
文物保护工作 : 加强/强化/做好 : culture : natural_resources
澳珠旅游合作 : 深化/推进/拓展 : culture :
乡村旅游 : 发展/推进/提升 : culture : agriculture doumen
博物馆、美术馆建设 : 加快/推进/规划 : culture : natural_resources
旅游市场秩序 : 规范/整治/加强 : culture : market
""",
    "农业农村": """
乡村振兴示范带建设 : 推进/加快/高质量推进 : agriculture : doumen jinwan
高标准农田建设 : 加快/推进/加强 : agriculture : finance
海洋渔业转型升级 : 推动/加快/推进 : agriculture :
农村人居环境整治 : 深化/推进/持续推进 : agriculture : doumen
白蕉海鲈品牌建设 : 加强/推进/加快 : agriculture : market doumen
农村集体经济发展 : 壮大/发展/促进 : agriculture : doumen jinwan
农产品冷链物流体系 : 完善/发展/加快 : agriculture : commerce
农村公路提档升级 : 推进/加快/实施 : transport : agriculture doumen
新型农业经营主体 : 培育/扶持/发展 : agriculture :
农村供水保障 : 提升/加强/完善 : water : agriculture
渔民转产转业 : 支持/帮扶/推进 : agriculture : human_resources
农村宅基地管理 : 规范/完善/加强 : natural_resources : agriculture
""",
    "公共安全": """
燃气安全管理 : 加强/强化/完善 : urban_management : emergency market
电动自行车充电安全 : 加强/规范/强化 : emergency : housing
电信网络诈骗防范 : 加强/强化/深化 : public_security :
食品安全监管 : 加强/强化/完善 : market :
台风等自然灾害应急能力 : 提升/增强/加强 : emergency : water
高层建筑消防安全 : 加强/强化/做好 : emergency : housing
社区警务工作 : 加强/完善/推进 : public_security :
危险化学品安全监管 : 加强/强化/完善 : emergency :
应急避难场所建设 : 加快/推进/完善 : emergency : natural_resources
药品安全监管 : 加强/强化/完善 : market : health
矛盾纠纷多元化解机制 : 完善/健全/推进 : justice : petitions
校外培训机构安全管理 : 加强/规范/强化 : education : emergency market
经营性自建房安全管理 : 加强/强化/推进 : housing : emergency
公共法律服务体系 : 完善/健全/优化 : justice :
""",
}

# 议案: (title, category, lead, co-units).
BILLS = (
    ("关于制定《珠海市养老服务条例》的议案", "社会保障", "civil_affairs", ("justice",)),
    ("关于修订《珠海经济特区物业管理条例》的议案", "城市建设", "housing", ("justice",)),
)

# Per category: the situation, the problems and the measures a content and a reply speak of.
SITUATION = {
    "教育": "近年来，我市教育事业发展较快，但随着常住人口持续增长，",
    "医疗卫生": "近年来，我市医疗卫生服务体系不断完善，但与群众日益增长的健康需求相比，",
    "城市建设": "近年来，我市城市建设管理水平明显提升，但在精细化管理方面，",
    "交通": "近年来，我市交通基础设施建设加快推进，但随着机动车保有量快速增长，",
    "生态环境": "近年来，我市生态环境质量持续改善，但对照美丽珠海建设要求，",
    "营商环境": "近年来，我市持续优化营商环境，但市场主体反映，",
    "社会保障": "近年来，我市民生保障水平不断提高，但随着人口老龄化和就业形态变化，",
    "文化旅游": "近年来，我市文化旅游产业蓬勃发展，但对照国际化滨海旅游城市定位，",
    "农业农村": "近年来，我市乡村振兴取得积极成效，但农业农村发展仍存在短板，",
    "公共安全": "近年来，我市安全生产形势总体平稳，但风险隐患仍然存在，",
}
PROBLEMS = {
    "教育": ("学位供需矛盾突出", "优质教育资源分布不均", "教师编制和待遇保障不足"),
    "医疗卫生": ("基层服务能力偏弱", "优质资源集中在东部城区", "专业人才短缺"),
    "城市建设": ("统筹协调机制不健全", "资金筹措渠道单一", "居民意见难以统一"),
    "交通": ("路网结构不尽合理", "公共交通吸引力不强", "配套设施建设滞后"),
    "生态环境": ("部分区域问题反复", "监管执法力量不足", "长效机制尚未建立"),
    "营商环境": ("政策兑现周期较长", "办事流程仍较繁琐", "部门间信息共享不够"),
    "社会保障": ("服务供给总量不足", "保障政策覆盖不全", "基层服务力量薄弱"),
    "文化旅游": ("产品同质化明显", "配套服务不够完善", "品牌影响力不强"),
    "农业农村": ("基础设施薄弱", "产业链条较短", "人才支撑不足"),
    "公共安全": ("监管责任落实不到位", "群众安全意识有待提高", "应急处置能力有待提升"),
}
ASKS = (
    "加强统筹规划，将{o}纳入年度重点工作，明确责任单位和时间节点",
    "加大财政投入，拓宽资金渠道，保障{o}所需经费",
    "健全部门协同机制，定期研究解决{o}中的突出问题",
    "借鉴先进城市经验，结合我市实际出台具体实施办法",
    "加强宣传引导，调动社会各方面参与{o}的积极性",
)
MEASURES = {
    "教育": (
        "新建改扩建中小学校和幼儿园，新增公办学位",
        "推进集团化办学和教育共同体建设",
        "加强教师队伍建设，落实教师待遇保障",
    ),
    "医疗卫生": (
        "推进紧密型医联体建设，下沉优质医疗资源",
        "加强基层医疗卫生机构标准化建设",
        "实施卫生健康人才引进培养计划",
    ),
    "城市建设": (
        "制定年度实施计划并纳入民生实事",
        "建立市、区、街道三级协调机制",
        "通过政府补助、居民自筹、社会参与等方式筹措资金",
    ),
    "交通": ("优化调整相关线路和站点设置", "加快推进配套设施建设", "会同公安交警部门加强交通组织"),
    "生态环境": (
        "开展专项整治行动，加强执法检查",
        "推进相关治理工程建设",
        "建立常态化监测和长效管护机制",
    ),
    "营商环境": (
        "出台优化营商环境专项措施",
        "推行“免申即享”和“一件事一次办”",
        "建立企业诉求快速响应机制",
    ),
    "社会保障": (
        "完善相关保障政策，扩大覆盖范围",
        "加强基层服务阵地建设",
        "培育发展专业化服务队伍",
    ),
    "文化旅游": (
        "编制专项规划，策划推出精品线路",
        "完善旅游公共服务设施",
        "加强宣传推广和品牌建设",
    ),
    "农业农村": (
        "统筹涉农资金，加大项目支持力度",
        "推进农业产业链延链补链强链",
        "加强农村实用人才培养",
    ),
    "公共安全": ("开展安全隐患排查整治", "加强监管执法和部门联动", "加强宣传教育和应急演练"),
}
C_REASONS = (
    "土地、资金",
    "规划调整、用地指标",
    "上级政策、财政承受能力",
    "现有法规政策",
    "建设周期、资金",
)

# 人大代表团 and 政协界别 (DOMAIN.md §7 via issue 7).
DELEGATIONS = (
    ("香洲区代表团", 9),
    ("金湾区代表团", 4),
    ("斗门区代表团", 4),
    ("横琴代表团", 2),
    ("高新区代表团", 2),
    ("万山区代表团", 1),
    ("经济技术开发区代表团", 2),
    ("解放军代表团", 1),
)
SECTORS = (
    ("中共", 3),
    ("民革", 2),
    ("民盟", 3),
    ("民建", 3),
    ("民进", 3),
    ("农工党", 2),
    ("致公党", 2),
    ("九三学社", 2),
    ("台盟", 1),
    ("无党派人士", 2),
    ("共青团", 1),
    ("工会", 1),
    ("妇联", 1),
    ("工商联", 3),
    ("科技界", 2),
    ("教育界", 3),
    ("文艺界", 2),
    ("医药卫生界", 3),
    ("经济界", 3),
    ("农业界", 1),
    ("社会福利和社会保障界", 2),
    ("港澳人士", 2),
    ("特邀", 2),
)
# 集体提案 are signed by a party's or body's city committee.
COLLECTIVE = {
    "民革": "民革珠海市委会",
    "民盟": "民盟珠海市委会",
    "民建": "民建珠海市委会",
    "民进": "民进珠海市委会",
    "农工党": "农工党珠海市委会",
    "致公党": "致公党珠海市委会",
    "九三学社": "九三学社珠海市委会",
    "工商联": "珠海市工商联",
    "无党派人士": "市政协无党派人士界别",
}

SURNAMES = (
    "陈李黄张梁林刘吴罗杨何郑周谢郭许蔡曾邓冯钟彭卢苏潘叶赖朱余袁谭胡徐温莫廖邱江方杜麦古肖"
    "严关邹龙唐韩程欧阳"
)
GIVEN = (
    "伟建国志明海燕丽华敏静秀英军杰涛斌强磊洋勇艳娟芳霞玲红婷雪琳晓慧颖嘉俊浩宇振东文武"
    "丹凤冬梅春兰永红少雄锦荣家豪子健思远德明卫东绍辉伟光美玲玉珍宝珊淑仪国平惠民佩珊"
)

AFFILIATIONS_NPC = (
    "{d}{n}社区党委书记、居委会主任",
    "珠海{c}科技有限公司董事长",
    "珠海市第{k}中学校长",
    "珠海市人民医院{s}主任医师",
    "中山大学附属第五医院{s}主任",
    "斗门区{t}镇{v}村党委书记",
    "珠海{c}实业有限公司总经理",
    "广东{c}律师事务所主任",
    "珠海市{n}小学教师",
    "北京师范大学珠海校区教授",
    "珠海{c}集团有限公司工会主席",
    "金湾区{j}镇人民政府镇长",
    "珠海{c}电子有限公司技术员",
)
AFFILIATIONS_CPPCC = (
    "珠海{c}科技股份有限公司董事长",
    "暨南大学珠海校区教授",
    "珠海市中西医结合医院{s}主任",
    "珠海{c}投资有限公司总经理",
    "北京理工大学珠海学院副院长",
    "珠海市第{k}中学副校长",
    "广东{c}律师事务所合伙人",
    "珠海市妇幼保健院副院长",
    "珠海{c}文化传播有限公司总经理",
    "澳门{c}商会副会长",
    "珠海市{n}社会工作服务中心主任",
    "珠海城市职业技术学院教授",
    "珠海{c}生物医药有限公司研发总监",
)
COMPANY = (
    "华信",
    "恒通",
    "海泰",
    "南屏",
    "德润",
    "金鼎",
    "粤海",
    "博远",
    "星河",
    "嘉元",
    "宏达",
    "中瑞",
)
COMMUNITY = ("拱北", "吉大", "前山", "香湾", "湾仔", "翠香", "梅华", "狮山", "南屏", "唐家湾")
TOWNS = ("白蕉", "井岸", "乾务", "斗门", "莲洲")
JINWAN_TOWNS = ("红旗", "平沙", "三灶")
VILLAGES = ("南门", "上洲", "虾山", "大濠冲", "赤坎", "新环", "八甲", "小濠冲")
SPECIALTIES = ("心血管内科", "儿科", "急诊科", "骨科", "妇产科", "神经内科", "康复医学科")
STREETS = (
    "凤凰北路",
    "迎宾南路",
    "情侣中路",
    "人民东路",
    "九洲大道",
    "珠海大道",
    "井岸镇港霞路",
    "红旗镇藤山路",
    "金湾路",
    "港昌路",
)

CONTACT_STAFF = ("科长", "副科长", "处长", "副局长", "主任")
CONTACT_RESPONSES = (
    "{t}对办理工作表示认可。",
    "{t}对办理思路表示赞同，希望加快推进。",
    "双方就下一步工作达成共识。",
    "{t}希望定期通报办理进展。",
    "{t}建议进一步细化工作措施。",
)
CO_OPINIONS = (
    "我单位对该件无不同意见。结合职责，我单位将在{o}方面积极配合主办单位做好相关工作。",
    "经研究，我单位已将所提事项纳入年度工作计划，将按职责分工落实，请主办单位统筹答复。",
    "我单位已就{o}涉及的政策和资金情况提供书面材料，请主办单位在答复中一并说明。",
)
REASSIGN_REASONS = (
    "该件所提{o}事项主要属{u}职责范围，建议调整由{u}主办。",
    "经研究，该件涉及的{o}事项由{u}牵头负责，我单位无相关职能，申请调整。",
)
REJECT_OPINIONS = (
    "经研究，该件主要涉及你单位职责，仍由你单位主办，请加强与会办单位的沟通协调。",
    "根据职责分工和往年办理情况，该件仍由你单位主办，{u}会办。",
)
RETURN_OPINIONS = (
    "答复内容过于笼统，请补充具体措施和时间安排后重新提交。",
    "答复分类与办理实际不符，请核实后修改。",
    "请补充与代表委员沟通的情况，完善答复内容后再报。",
)
DISSATISFIED_REMARKS = (
    "答复未能解决实际问题，希望进一步研究落实。",
    "答复内容较为原则，缺少具体措施和时间表。",
    "问题已反映多年，希望承办单位拿出切实可行的解决办法。",
)
SECOND_REMARKS = (
    "重新办理后措施较为具体，希望抓好落实。",
    "",
    "感谢承办单位的努力，期待尽快见到成效。",
)
