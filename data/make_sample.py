"""Generate the bundled sample data set ``data/sample`` (units.csv, goals.csv, ledger.csv).

The sample is fictional but shaped like the real thing: the twelve working bodies (工作机构)
of the standing committee of the People's Congress of 河东市 (a made-up prefecture-level
city), assessed for 2022, 2023 and 2024 by the rulebook in ``kaohe/rulebook.yaml``. Every
item code occurs in every year, both roles occur for every item with role values, and the
rows sit on the rules' edges (thresholds such as 1000/2500 characters, 60 participants and
5 days, 100 participants and 2 days, meetings of 0.5/1/1.5/2 days; second readings with and
without major revision and by another unit; major-activity information published around
holidays and adjusted working days; leave past the 15-day allowance, also by a person who
changes unit in mid-2024; violations that cost a unit its eligibility).

Regenerate from the repository root, then check:

    .venv/bin/python data/make_sample.py
    .venv/bin/kaohe validate data/sample

The output is deterministic: one ``random.Random(SEED)`` drives every choice, working days
come from chinesecalendar (a kaohe dependency, no network), and the files are written
UTF-8 without BOM with ``\\n`` line ends; running the script twice gives byte-identical
files. Change the tables below, never the CSV files by hand.

Layout of this file: the units and their staff rosters; per-unit topics (reports, laws,
areas) and goals; how many rows of each item a unit of each kind logs per year (FREQ); the
scripted events of each year (meetings, regulations, receptions, trainings, major
activities, innovations, rules, violations, leave cases); then the row builders.
"""

from __future__ import annotations

import calendar
import csv
import datetime as dt
import random
from collections import Counter
from pathlib import Path

import chinese_calendar

SEED = 20240601
YEARS = (2022, 2023, 2024)
OUT = Path(__file__).resolve().parent / "sample"

LEDGER_COLUMNS = ("date", "unit", "item", "quantity", "role", "person", "days", "participants", "chars",
                  "missing_steps", "errors", "subject", "major_revision", "published", "points", "ref",
                  "note")

# ------------------------------------------------------------------------------------ units
BGT = "办公厅"
YJS = "研究室"
FGW = "法制工作委员会"
CJW = "财政经济工作委员会"
YSW = "预算工作委员会"
JKW = "教育科学文化卫生工作委员会"
CHW = "城乡建设环境保护工作委员会"
NYW = "农业农村工作委员会"
SJW = "社会建设工作委员会"
JSW = "监察和司法工作委员会"
RDW = "人事代表工作委员会"
MZW = "民族宗教侨务外事工作委员会"


def lines(text: str) -> list[str]:
    """The non-empty lines of a block of text, stripped (one entry per line in the tables)."""
    return [s.strip() for s in text.strip().splitlines() if s.strip()]


# unit, kind, staff (average headcount) 2022 / 2023 / 2024, roster.
# The first ⌊staff⌋ names of the roster are on duty in a year (the rest joined later or left).
UNITS = [
    (BGT, "office", ("18", "18", "18.5"),
     "王建国 李晓燕 张志强 刘海涛 陈静 杨帆 赵丽娟 黄磊 周婷 "
     "吴俊杰 徐敏 孙鹏 胡雪梅 朱明辉 高晓东 林娜 何文斌 郭亚楠"),
    (YJS, "research", ("6", "6", "5.5"), "马骏 罗晓琳 梁志刚 宋佳 郑宇航 谢文静"),
    (FGW, "legal", ("6", "6", "7"), "韩立新 唐雅琴 冯国栋 于海洋 董慧 萧振华 程思远"),
    (CJW, "committee", ("5", "5", "5"), "曹建平 袁芳 邓晓峰 许丽萍 傅强"),
    (YSW, "budget", ("4", "4", "4"), "沈玉兰 曾凡宇 彭涛 吕文华"),
    (JKW, "committee", ("4", "4", "3"), "苏红梅 卢志勇 蒋雯 蔡明远"),
    (CHW, "committee", ("4", "5", "5"), "贾卫东 丁秀英 魏晨 薛峰 叶婉清"),
    (NYW, "committee", ("3", "3", "3"), "阎振国 余春花 潘德胜"),
    (SJW, "committee", ("3", "3", "3"), "杜晓红 戴文 夏长青"),
    (JSW, "committee", ("4", "4", "4"), "钟正义 汪敏 田宏伟 任雅丽"),
    (RDW, "deputy", ("5", "5", "6"), "姜海燕 范永刚 方卫 石磊 姚丽 谭晓军"),
    (MZW, "committee", ("2", "2", "2"), "廖建华 邹静怡"),
]
UNIT_NAMES = [u[0] for u in UNITS]
KIND = {u[0]: u[1] for u in UNITS}
STAFF = {(u[0], y): u[2][i] for u in UNITS for i, y in enumerate(YEARS)}
ROSTER = {u[0]: u[3].split() for u in UNITS}

# 谢文静 moves from 研究室 to 办公厅 on 2024-07-01 (hence 研究室 5.5 and 办公厅 18.5 in 2024);
# her leave of the whole year counts toward one allowance (see LEAVE_CASES).
TRANSFER = ("谢文静", YJS, BGT, dt.date(2024, 7, 1))

# Each unit's areas of work (subjects add 工作), the laws it inspects and the reports the standing committee
# hears on its side (for subjects; {year} and {prev} are the year and the year before).
TOPICS = {
    BGT: dict(areas="机关建设 人大宣传 信访 会务保障 创建全国文明城市", laws="", reports=""),
    YJS: dict(areas="人大制度理论 全过程人民民主 县乡人大 人大监督", laws="",
              reports="市人大常委会关于加强县乡人大工作和建设情况的报告"),
    FGW: dict(areas="地方立法 规范性文件备案审查 基层立法联系点建设 地方性法规清理 法治政府建设",
              laws="《河东市城市绿化条例》 《河东市文明行为促进条例》 《中华人民共和国行政处罚法》",
              reports="市人民政府关于法治政府建设情况的报告"),
    CJW: dict(areas="优化营商环境 国有资产管理 民营经济发展 招商引资 重点项目建设 金融服务实体经济",
              laws="《中华人民共和国中小企业促进法》 《中华人民共和国统计法》 《河东市优化营商环境条例》",
              reports="""
                  市人民政府关于全市优化营商环境工作情况的报告
                  市人民政府关于{prev}年度国有资产管理情况的综合报告
                  市人民政府关于民营经济发展情况的报告
                  市人民政府关于{year}年上半年国民经济和社会发展计划执行情况的报告
                  市人民政府关于招商引资和重点项目建设情况的报告"""),
    YSW: dict(areas="预算执行 审计查出问题整改 政府债务管理 预算绩效管理 预算联网监督",
              laws="《中华人民共和国预算法》 《中华人民共和国审计法》",
              reports="""
                  市人民政府关于{year}年上半年预算执行情况的报告
                  市人民政府关于{prev}年市级决算的报告
                  市人民政府关于{prev}年度市级预算执行和其他财政收支的审计工作报告
                  市人民政府关于审计查出问题整改情况的报告
                  市人民政府关于政府债务管理情况的报告"""),
    JKW: dict(areas="义务教育均衡发展 公共卫生体系建设 文物保护利用 全民健身 职业教育 公共文化服务",
              laws="《中华人民共和国义务教育法》 《中华人民共和国文物保护法》 "
                   "《中华人民共和国职业教育法》 《中华人民共和国体育法》",
              reports="""
                  市人民政府关于义务教育均衡发展情况的报告
                  市人民政府关于公共卫生体系建设情况的报告
                  市人民政府关于文物保护利用工作情况的报告
                  市人民政府关于职业教育发展情况的报告
                  市人民政府关于公共文化服务体系建设情况的报告"""),
    CHW: dict(areas="大气污染防治 黄河流域生态保护 城市更新 老旧小区改造 生活垃圾分类 城市绿化",
              laws="《中华人民共和国大气污染防治法》 《中华人民共和国固体废物污染环境防治法》 "
                   "《中华人民共和国黄河保护法》 《河东市城市绿化条例》",
              reports="""
                  市人民政府关于{prev}年度环境状况和环境保护目标完成情况的报告
                  市人民政府关于城市更新工作情况的报告
                  市人民政府关于黄河流域生态保护工作情况的报告
                  市人民政府关于生活垃圾分类工作情况的报告"""),
    NYW: dict(areas="乡村振兴 高标准农田建设 农村人居环境整治 农村集体经济发展 果业高质量发展",
              laws="《中华人民共和国乡村振兴促进法》 《中华人民共和国农产品质量安全法》 "
                   "《中华人民共和国种子法》",
              reports="""
                  市人民政府关于全面推进乡村振兴工作情况的报告
                  市人民政府关于高标准农田建设情况的报告
                  市人民政府关于农村人居环境整治情况的报告
                  市人民政府关于粮食安全工作情况的报告"""),
    SJW: dict(areas="养老服务体系建设 就业促进 社会救助 安全生产 未成年人保护",
              laws="《中华人民共和国安全生产法》 《中华人民共和国就业促进法》 "
                   "《中华人民共和国未成年人保护法》",
              reports="""
                  市人民政府关于养老服务体系建设情况的报告
                  市人民政府关于就业促进工作情况的报告
                  市人民政府关于安全生产工作情况的报告
                  市人民政府关于社会救助工作情况的报告"""),
    JSW: dict(areas="法院执行 检察公益诉讼 公共法律服务体系建设 平安河东建设 八五普法",
              laws="《中华人民共和国法律援助法》 《中华人民共和国人民调解法》 "
                   "《中华人民共和国反有组织犯罪法》",
              reports="""
                  市中级人民法院关于执行工作情况的报告
                  市人民检察院关于公益诉讼检察工作情况的报告
                  市监察委员会关于整治群众身边腐败和作风问题工作情况的报告
                  市人民政府关于“八五”普法规划实施情况的中期报告"""),
    RDW: dict(areas="代表建议办理 代表联络站建设 代表履职管理 代表述职评议",
              laws="《中华人民共和国全国人民代表大会和地方各级人民代表大会代表法》",
              reports="市人民政府关于市七届人大一次会议以来代表建议批评和意见办理情况的报告"),
    MZW: dict(areas="宗教事务管理 侨务 民族团结进步创建 外事",
              laws="《宗教事务条例》 《中华人民共和国归侨侨眷权益保护法》",
              reports="""
                  市人民政府关于宗教工作情况的报告
                  市人民政府关于侨务工作情况的报告
                  市人民政府关于民族团结进步创建工作情况的报告"""),
}
TOPICS = {u: {k: v.split() for k, v in t.items()} for u, t in TOPICS.items()}

# Each unit's goals for the year are drawn (3–6) from its pool; a few are not completed.
GOALS = {u: lines(text) for u, text in {
    BGT: """
        高质量完成常委会会议、主任会议会务服务保障
        完成市人民代表大会会议筹备和会务工作
        推进机关数字化办公平台建设
        完成《河东人大》全年编辑出版任务
        信访事项按期办结率达到100%
        加强机关财务和资产管理，完成年度内部审计
        完成机关办公楼节能改造""",
    YJS: """
        起草常委会工作报告和主要领导讲话
        完成人大制度理论研究课题3项
        编发《调研参考》12期
        组织全市人大理论研讨会
        在省级以上刊物发表理论文章5篇""",
    FGW: """
        完成年度立法计划确定的法规审议项目
        规范性文件备案审查做到有件必备、有备必审、有错必纠
        编制下一年度立法计划
        开展地方性法规清理工作
        新建基层立法联系点5个""",
    CJW: """
        完成国民经济和社会发展计划执行情况审查
        开展优化营商环境条例执法检查
        完成国有资产管理情况报告审议
        开展民营经济发展专题调研
        组织代表视察重点项目建设""",
    YSW: """
        完成市级预算草案和决算草案初步审查
        推进预算联网监督系统建设
        完成审计查出问题整改情况跟踪监督
        开展政府债务管理专题调研
        开展部门预算绩效评价""",
    JKW: """
        开展义务教育法执法检查
        完成公共卫生体系建设专题调研
        推进历史文化名城保护立法调研
        组织代表视察全民健身设施建设""",
    CHW: """
        开展大气污染防治法执法检查
        组织开展河东环保世纪行活动
        开展黄河流域生态保护专题调研
        听取审议城市更新工作情况报告
        做好物业管理立法相关工作""",
    NYW: """
        开展乡村振兴促进法执法检查
        完成高标准农田建设专题调研
        组织代表视察农村人居环境整治
        监督农村生活垃圾治理工作""",
    SJW: """
        听取审议养老服务体系建设情况报告
        开展就业促进法执法调研
        推进养老服务立法调研
        开展社会救助工作专题调研""",
    JSW: """
        听取审议市中级人民法院执行工作报告
        开展检察公益诉讼工作专题调研
        做好涉法涉诉信访督办工作
        开展“八五”普法中期评估""",
    RDW: """
        依法规范完成常委会人事任免工作
        组织市人大代表履职能力培训2期
        代表建议办复率达到100%
        代表联络站实现乡镇全覆盖
        开展代表述职评议""",
    MZW: """
        开展宗教事务条例执法调研
        完成侨务工作专题调研
        做好外事接待和对外交流工作
        促进民族团结进步创建工作""",
}.items()}
GOALS_MISSED = (3, 4)  # goals not completed per year (drawn across all units)

# --------------------------------------------------------------------------- item frequencies
# Rows per year (lo, hi) each unit of a kind logs, by item; the builders below fill the
# columns. Items not listed here are scripted per year further down.
_COMMITTEE = {
    "work_report": (1, 2), "enforcement_inspection": (0, 1), "enforcement_research": (0, 1),
    "thematic_research": (1, 2), "deputy_inspection": (1, 1), "other_work_report": (1, 2),
    "other_list": (0, 1), "reception_provincial": (0, 2), "info_article": (2, 5),
    "news_report": (1, 3), "speech_draft": (1, 2), "publication_provincial": (0, 1),
    "publication_municipal": (0, 2), "study_visit": (0, 1), "leading_group": (0, 1),
}
FREQ = {
    "office": {
        "director_meeting": (16, 19), "party_meeting": (14, 18), "info_article": (14, 18),
        "journal_issue": (6, 6), "news_report": (4, 6), "speech_draft": (6, 8),
        "congress_service": (1, 2), "leading_group": (1, 1), "lecture": (1, 1), "other_list": (1, 2),
        "publication_municipal": (0, 2), "publication_provincial": (0, 1), "petition_letter": (4, 4),
        "petition_visit": (4, 4), "petition_resolved": (1, 3),
    },
    "research": {
        "speech_draft": (14, 18), "info_article": (4, 8), "news_report": (2, 4),
        "publication_national": (1, 1), "publication_provincial": (2, 3), "publication_municipal": (3, 5),
        "thematic_research": (2, 3), "lecture": (1, 2), "study_visit": (1, 1), "other_work_report": (0, 1),
    },
    "legal": {
        "normative_doc_registered": (2, 2), "normative_doc_reviewed": (2, 3),
        "normative_doc_corrected": (1, 2), "thematic_research": (1, 2), "enforcement_research": (1, 1),
        "other_work_report": (0, 1), "speech_draft": (1, 3), "info_article": (2, 4), "news_report": (1, 2),
        "publication_provincial": (0, 1), "lecture": (1, 1), "study_visit": (0, 1),
    },
    "committee": _COMMITTEE,
    "budget": _COMMITTEE | {"work_report": (2, 3), "personnel_motion": (1, 1),
                            "enforcement_inspection": (0, 0)},
    "deputy": {
        "personnel_motion": (6, 7), "other_list": (2, 3), "deputy_inspection": (1, 1),
        "work_report": (0, 1), "thematic_research": (1, 1), "info_article": (3, 6), "news_report": (1, 3),
        "speech_draft": (1, 2), "congress_service": (1, 2), "reception_provincial": (0, 1),
        "publication_municipal": (0, 1),
    },
}
# Units that log less (or more) than their kind.
UNIT_FREQ = {
    MZW: {"work_report": (1, 1), "thematic_research": (1, 1), "enforcement_inspection": (0, 0),
          "other_work_report": (0, 1), "leading_group": (0, 0), "reception_provincial": (0, 1),
          "info_article": (1, 3), "publication_municipal": (0, 1)},
    CJW: {"work_report": (2, 3), "thematic_research": (1, 3)},
    NYW: {"other_work_report": (1, 1), "publication_municipal": (0, 1), "reception_provincial": (0, 1)},
    SJW: {"other_work_report": (1, 1), "publication_municipal": (0, 1), "reception_provincial": (0, 1)},
    JSW: {"petition_letter": (1, 1)},  # 涉法涉诉来信
}

# ------------------------------------------------------------------------- scripted, per year
# 常委会会议 (organized by 办公厅): date, days, errors, what went wrong. Numbered across the term.
SC_MEETINGS = {
    2022: [("01-07", "0.5", 0, ""), ("02-24", "1", 0, ""), ("04-27", "1", 1, "会议材料印发延误"),
           ("06-28", "2", 0, ""), ("08-25", "1", 0, ""), ("09-27", "1", 0, ""),
           ("10-27", "2", 1, "表决器故障未及时处置"), ("12-27", "1.5", 0, "")],
    2023: [("02-23", "1", 0, ""), ("04-26", "2", 0, ""), ("06-28", "1", 0, ""),
           ("08-29", "2", 1, "会议通知送达不及时"), ("10-26", "1", 0, ""), ("11-28", "0.5", 0, ""),
           ("12-27", "1.5", 0, "")],
    2024: [("02-27", "1", 0, ""), ("04-25", "2", 0, ""), ("06-26", "1", 1, "议程文件印制错误"),
           ("08-28", "1.5", 0, ""), ("09-26", "1", 0, ""), ("10-30", "2", 0, ""), ("12-26", "1", 0, "")],
}
# 全市性大型会议: date, subject, days, [(unit, role, errors)].
CITYWIDE = {
    2022: [("01-04", "市七届人民代表大会第一次会议", "4",
            [(BGT, "organizer", 0), (RDW, "coordinator", 0), (YJS, "coordinator", 0)]),
           ("07-20", "全市人大工作会议", "1", [(BGT, "organizer", 0), (YJS, "coordinator", 0)])],
    2023: [("02-14", "市七届人民代表大会第二次会议", "3.5", [(BGT, "organizer", 1), (RDW, "coordinator", 0)]),
           ("05-18", "全市人大代表工作座谈会", "1", [(RDW, "organizer", 0), (BGT, "coordinator", 0)]),
           ("09-14", "全市人大预算审查监督工作推进会", "0.5", [(YSW, "organizer", 0)])],
    2024: [("01-16", "市七届人民代表大会第三次会议", "3",
            [(BGT, "organizer", 0), (RDW, "coordinator", 0), (YJS, "coordinator", 0)]),
           ("06-13", "全市县乡人大工作座谈会", "1", [(YJS, "organizer", 0), (BGT, "coordinator", 0)]),
           ("11-07", "全市人大财经工作座谈会", "1.5", [(CJW, "organizer", 0), (BGT, "coordinator", 1)])],
}
# Local regulations: (date, unit, item, subject, major revision). A second reading scores 0
# when the same unit did the first reading of the same subject and there was no major
# revision; a first reading by a committee and a second one by 法工委 both score.
FIRST, SECOND, CONGRESS = "regulation_first_reading", "regulation_second_reading", "regulation_to_congress"
REGULATIONS = [
    ("2022-01-05", FGW, CONGRESS, "《河东市人民代表大会议事规则（修正草案）》", None),
    ("2022-04-27", FGW, FIRST, "《河东市城市绿化条例（草案）》", None),
    ("2022-06-28", CHW, FIRST, "《河东市物业管理条例（草案）》", None),
    ("2022-08-25", FGW, SECOND, "《河东市城市绿化条例（草案）》", False),
    ("2022-10-27", FGW, SECOND, "《河东市物业管理条例（草案）》", True),
    ("2022-10-27", FGW, FIRST, "《河东市文明行为促进条例（草案）》", None),
    ("2023-02-14", FGW, CONGRESS, "《河东市制定地方性法规条例（修正草案）》", None),
    ("2023-02-23", FGW, SECOND, "《河东市文明行为促进条例（草案）》", True),
    ("2023-04-26", NYW, FIRST, "《河东市农村生活垃圾治理条例（草案）》", None),
    ("2023-06-28", FGW, FIRST, "《河东市黄河湿地保护条例（草案）》", None),
    ("2023-08-29", FGW, SECOND, "《河东市农村生活垃圾治理条例（草案）》", False),
    ("2023-10-26", FGW, SECOND, "《河东市黄河湿地保护条例（草案）》", False),
    ("2023-10-26", JKW, FIRST, "《河东市历史文化名城保护条例（草案）》", None),
    ("2024-01-16", FGW, CONGRESS, "《河东市人民代表大会代表议案处理办法（修订草案）》", None),
    ("2024-02-27", JKW, SECOND, "《河东市历史文化名城保护条例（草案）》", False),
    ("2024-04-25", FGW, FIRST, "《河东市电动自行车管理条例（草案）》", None),
    ("2024-06-26", SJW, FIRST, "《河东市养老服务条例（草案）》", None),
    ("2024-08-28", FGW, SECOND, "《河东市电动自行车管理条例（草案）》", True),
    ("2024-10-30", FGW, SECOND, "《河东市养老服务条例（草案）》", False),
]
# 满意度测评 and 专题询问 held on a committee's work report (same day, same subject).
VOTES = {2022: [CJW, CHW], 2023: [JKW, SJW], 2024: [CJW, NYW, JSW]}
INQUIRIES = {2022: NYW, 2023: CHW, 2024: JKW}
MAJOR_DECISIONS = [
    ("2022-06-28", CJW, "关于支持和保障河东市高质量转型发展的决定"),
    ("2022-12-27", CHW, "关于加强黄河流域生态保护的决定"),
    ("2023-06-28", JKW, "关于加强历史文化遗产保护传承的决定"),
    ("2024-04-25", NYW, "关于促进果业高质量发展的决定"),
    ("2024-10-30", SJW, "关于进一步加强安全生产工作的决议"),
]
# 接待全国人大和省人大副部级以上领导: the General Office organizes, the counterpart coordinates.
RECEPTIONS_NATIONAL = [
    ("2022-05-12", NYW, "接待省人大常委会副主任带队来我市开展乡村振兴促进法执法检查"),
    ("2023-04-20", CHW, "接待全国人大环资委副主任委员带队来我市开展黄河保护立法调研"),
    ("2023-09-07", JKW, "接待省人大常委会副主任带队来我市调研文物保护工作"),
    ("2024-05-23", FGW, "接待全国人大常委会法工委副主任带队调研基层立法联系点建设"),
    ("2024-08-15", CJW, "接待省人大常委会副主任带队来我市调研优化营商环境工作"),
]
# 组织研修学习活动: date, unit, subject, participants, days (5 points when ≥ 60 and ≥ 5 days).
STUDY_PROGRAMS = [
    ("2022-07-11", BGT, "机关干部赴浙江大学综合能力提升研修班", 60, "5"),
    ("2022-10-17", YJS, "全市人大研究工作业务培训班", 35, "3"),
    ("2023-05-15", BGT, "机关干部赴中国人民大学履职能力研修班", 59, "7"),
    ("2023-09-18", FGW, "全市立法和备案审查工作研修班", 62, "5"),
    ("2024-04-15", BGT, "机关干部赴井冈山干部学院党性教育研修班", 60, "4.5"),
    ("2024-10-14", BGT, "全市人大系统干部赴复旦大学专题研修班", 85, "6"),
]
# 组织代表培训活动 (by 人事代表工委): date, subject, participants, days, coordinating unit or None
# (5 / 2 points when ≥ 100 participants and ≥ 2 days, else 3 / 1).
DEPUTY_TRAININGS = [
    ("2022-03-21", "市七届人大代表履职能力培训班（第一期）", 100, "2", BGT),
    ("2022-09-19", "市七届人大代表履职能力培训班（第二期）", 99, "3", None),
    ("2023-03-20", "市人大代表依法履职专题培训班", 120, "1.5", BGT),
    ("2023-08-21", "市人大代表赴延安干部学院履职培训班", 150, "2.5", YJS),
    ("2024-03-25", "市人大代表履职能力提升培训班", 100, "2", BGT),
    ("2024-07-22", "基层人大代表联络站站长培训班", 80, "3", YJS),
]
# 重大活动信息编发: activity end date, hosting unit, subject, date published (None: never).
# The deadline is the first working day after the end, by the official calendar with 调休:
#   2022-01-29 and 2024-02-18 are weekend workdays (on time); 2022-10-08 is the Saturday
#   workday after 国庆 (on time); 2023-05-04 is the first workday after 劳动节 (on time, 05-05
#   late); after 2023-09-28 the day was Saturday 10-07 (10-09 late); after 2024-09-27 it was
#   Sunday 09-29 (09-30 late); after 2024-09-30 it is 10-08 (on time).
MAJOR_ACTIVITIES = [
    ("2022-01-28", RDW, "主任会议成员春节前走访慰问基层市人大代表", "2022-01-29"),
    ("2022-03-16", CJW, "主任会议成员带队视察全市重点项目建设", "2022-03-17"),
    ("2022-05-20", NYW, "主任会议成员带队开展乡村振兴促进法执法检查", "2022-05-24"),
    ("2022-06-29", CHW, "主任会议成员带队开展黄河流域生态保护调研", "2022-06-29"),
    ("2022-09-30", JKW, "主任会议成员带队视察全民健身设施建设", "2022-10-08"),
    ("2022-11-10", SJW, "主任会议成员带队开展养老服务体系建设调研", None),
    ("2022-12-08", JSW, "主任会议成员带队视察市中级人民法院执行工作", "2022-12-09"),
    ("2023-03-22", YSW, "主任会议成员调研预算联网监督系统建设", "2023-03-23"),
    ("2023-04-28", CHW, "主任会议成员带队开展大气污染防治法执法检查", "2023-05-04"),
    ("2023-04-28", MZW, "主任会议成员带队开展宗教事务条例执法调研", "2023-05-05"),
    ("2023-06-21", FGW, "主任会议成员到基层立法联系点调研", "2023-06-21"),
    ("2023-09-28", CJW, "主任会议成员带队视察全市优化营商环境工作", "2023-10-09"),
    ("2023-11-15", RDW, "主任会议成员带队视察代表联络站建设", None),
    ("2023-12-05", NYW, "主任会议成员带队开展高标准农田建设调研", "2023-12-06"),
    ("2024-02-09", RDW, "主任会议成员春节前走访慰问基层市人大代表", "2024-02-18"),
    ("2024-04-12", JKW, "主任会议成员带队开展义务教育法执法检查", "2024-04-15"),
    ("2024-05-30", SJW, "主任会议成员带队开展养老服务条例立法调研", "2024-06-03"),
    ("2024-07-10", CHW, "主任会议成员带队视察老旧小区改造工作", "2024-07-11"),
    ("2024-09-27", CJW, "主任会议成员带队开展优化营商环境条例执法检查", "2024-09-30"),
    ("2024-09-30", FGW, "主任会议成员带队开展电动自行车管理立法调研", "2024-10-08"),
    ("2024-11-20", JSW, "主任会议成员带队开展检察公益诉讼专题调研", None),
    ("2024-12-18", NYW, "主任会议成员带队视察农村人居环境整治工作", "2024-12-18"),
]
# 其他工作创新, as decided by the directors' meeting: date, unit, subject, points, ref.
INNOVATIONS = [
    ("2022-08-18", RDW, "推行代表联络站“履职积分”管理", "3", "主任会议纪要〔2022〕12号"),
    ("2022-11-17", FGW, "建立基层立法联系点工作制度", "2", "主任会议纪要〔2022〕18号"),
    ("2023-05-25", YSW, "建成预算联网监督系统并上线运行", "3.5", "主任会议纪要〔2023〕7号"),
    ("2023-10-19", BGT, "推行常委会会议无纸化办会", "2", "主任会议纪要〔2023〕15号"),
    ("2024-03-14", YJS, "创办《人大调研参考》", "1.5", "主任会议纪要〔2024〕3号"),
    ("2024-04-18", CHW, "开展“河东环保世纪行”融媒体宣传", "2.5", "主任会议纪要〔2024〕5号"),
    ("2024-09-19", BGT, "建成机关数字化办公平台", "3", "主任会议纪要〔2024〕11号"),
]
# Rules of the standing committee (passed at its meeting) and of the organ (directors' meeting).
RULES = [
    ("2022-04-27", FGW, "sc_rule_new", "《河东市人大常委会规范性文件备案审查办法》", "河人常发〔2022〕6号"),
    ("2022-06-28", BGT, "sc_rule_revision", "《河东市人大常委会议事规则》", "河人常发〔2022〕9号"),
    ("2022-03-10", BGT, "organ_rule_new", "《机关公务接待管理办法》", "河人办发〔2022〕3号"),
    ("2022-09-08", BGT, "organ_rule_revision", "《机关公文处理办法》", "河人办发〔2022〕11号"),
    ("2023-06-28", RDW, "sc_rule_new", "《河东市人大常委会代表联络站工作规则》", "河人常发〔2023〕7号"),
    ("2023-08-29", YSW, "sc_rule_revision", "《河东市人大常委会预算审查监督办法》", "河人常发〔2023〕10号"),
    ("2023-04-13", BGT, "organ_rule_new", "《机关差旅费管理办法》", "河人办发〔2023〕4号"),
    ("2023-11-09", YJS, "organ_rule_revision", "《机关调查研究工作规定》", "河人办发〔2023〕13号"),
    ("2024-08-28", CJW, "sc_rule_new", "《河东市人大常委会国有资产管理情况监督办法》", "河人常发〔2024〕8号"),
    ("2024-04-25", FGW, "sc_rule_revision", "《河东市人大常委会立法技术规范》", "河人常发〔2024〕5号"),
    ("2024-05-16", BGT, "organ_rule_new", "《机关数字化办公管理办法》", "河人办发〔2024〕6号"),
    ("2024-11-14", BGT, "organ_rule_revision", "《机关财务管理制度》", "河人办发〔2024〕15号"),
]
# Once-a-year management items of the General Office, and the errors logged against them.
MANAGEMENT_ERRORS = {
    "document_management": ["公文印发出现文字差错", "机要文件传阅超时", "档案归档延误"],
    "personnel_management": ["干部人事档案材料归档不及时", "工资变动审批表报送延误"],
    "finance_management": ["报销凭证不规范被内部审计指出", "固定资产登记不及时"],
}
MANAGEMENT_NAMES = {"document_management": "文件", "personnel_management": "人事",
                    "finance_management": "财务"}
# Violations (each costs the unit its eligibility for commendation that year):
# date, unit, item, person, subject, ref.
VIOLATIONS = [
    ("2022-08-11", NYW, "style_violation", "潘德胜", "违规公车私用，被市纪委监委通报", "河纪通〔2022〕9号"),
    ("2022-11-24", SJW, "discipline_violation", "夏长青", "违规收受礼金，被市纪委监委立案查处",
     "河纪案〔2022〕31号"),
    ("2023-03-09", CJW, "style_violation", "傅强", "违规接受管理服务对象宴请，被市纪委监委通报",
     "河纪通〔2023〕4号"),
    ("2023-10-12", CHW, "discipline_violation", "薛峰", "违规插手工程项目，被给予党内警告处分",
     "河纪案〔2023〕22号"),
    ("2024-06-06", MZW, "style_violation", "", "违规发放津贴补贴，被市纪委监委通报", "河纪通〔2024〕7号"),
    ("2024-09-12", YSW, "discipline_violation", "彭涛", "违规借用管理服务对象车辆，被市纪委监委立案查处",
     "河纪案〔2024〕18号"),
]
# Leave that reaches or passes the 15-day allowance: person, [(date, unit, days, note)].
LEAVE_CASES = {
    2022: [("陈静", [("02-14", BGT, "3", "事假"), ("05-09", BGT, "5", "病假"),      # 17.5 days
                    ("08-15", BGT, "4.5", "病假"), ("11-21", BGT, "5", "事假")]),
           ("余春花", [("03-07", NYW, "5", "病假"), ("06-13", NYW, "5", "病假"),    # 15 days exactly
                     ("10-24", NYW, "5", "事假")])],
    2023: [("宋佳", [("01-09", YJS, "6", "事假"), ("04-17", YJS, "5", "病假"),      # 17 days
                    ("09-11", YJS, "6", "病假")]),
           ("范永刚", [("05-22", RDW, "8", "病假"), ("11-13", RDW, "8", "病假")])],  # 16 days
    2024: [("谢文静", [("03-11", YJS, "4", "事假"), ("05-13", YJS, "6", "病假"),    # 18 days, in 办公厅
                     ("08-19", BGT, "5", "病假"), ("11-04", BGT, "3", "事假")]),  # from 07-01
           ("郭亚楠", [("01-22", BGT, "2", "事假"), ("04-08", BGT, "5", "病假"),    # 17.5 days
                     ("07-15", BGT, "6", "病假"), ("12-09", BGT, "4.5", "事假")])],
}
ABSENT_WITHOUT_LEAVE = [("2022-07-04", BGT, "孙鹏", "1"), ("2023-05-29", JSW, "田宏伟", "0.5"),
                        ("2024-03-18", YSW, "吕文华", "1")]

# --------------------------------------------------------------------------------- vocabulary
LECTURES = ["民法典", "习近平法治思想", "预算审查监督", "数字经济发展", "全过程人民民主", "保密知识",
            "总体国家安全观"]
VISIT_CITIES = ["苏州市", "杭州市", "成都市", "青岛市", "宁波市", "洛阳市", "西安市", "合肥市"]
SISTER_CITIES = ["洛阳市", "三门峡市", "渭南市", "临汾市", "晋城市", "焦作市"]
JOURNALS = {
    "publication_national": ["《中国人大》", "《人大研究》"],
    "publication_provincial": ["《人民之声》", "《人大论坛》"],
    "publication_municipal": ["《河东人大》", "《河东日报》理论版"],
}
ARTICLES = ["关于{area}的实践与思考", "推进{area}的几点建议", "以人大监督助推{area}", "{area}的调查与思考",
            "新时代{area}工作的探索"]
# speech_draft chars: 0 points up to 1000, 1 point above 1000, 2 points from 2500.
CHARS_EDGES = [1000, 1001, 2499, 2500, 3000]
CHARS = [600, 850, 1200, 1500, 1800, 2200, 2800, 3200, 3600, 4500, 5200, 6800, 8600, 12000]
SPEECHES = lines("""
    常委会主任在全市{area}工作推进会上的讲话
    常委会副主任在{area}工作座谈会上的讲话
    常委会主任在{area}专题调研座谈会上的讲话
    常委会党组理论学习中心组{area}专题发言材料""")
RESEARCH_SPEECHES = lines("""
    市人大常委会工作报告（{year}年）
    常委会主任在市委人大工作会议上的讲话
    常委会主任在常委会第{n}次会议闭幕时的讲话
    常委会主任在全市县乡人大工作座谈会上的讲话
    常委会副主任在全市人大信访工作会议上的讲话
    常委会党组向市委的{year}年工作情况报告
    常委会主任在主题教育读书班上的发言
    常委会主任署名文章《坚持和完善人民代表大会制度》
    常委会主任在{area}专题调研座谈会上的讲话
    常委会副主任在全市{area}工作推进会上的讲话
    常委会主任在常委会第{n}次会议上关于{area}工作的讲话
    常委会领导在全市人大系统{area}工作培训班上的辅导报告""")
OFFICE_SPEECHES = lines("""
    常委会主任在机关干部大会上的讲话
    常委会党组书记在机关党风廉政建设工作会议上的讲话
    常委会主任在全市人大信访工作会议上的讲话
    常委会主任在全市人大新闻宣传工作会议上的讲话
    常委会机关{year}年工作总结和下一年工作要点
    常委会主任在机关党建工作会议上的讲话""")
LEADING_GROUPS = {u: text.split() for u, text in {
    BGT: "市创建全国文明城市工作领导组 市信访工作联席会议",
    YJS: "市全面深化改革委员会",
    FGW: "市委全面依法治市委员会",
    CJW: "市优化营商环境工作领导组 市重点项目建设领导组",
    YSW: "市预算管理制度改革领导组",
    JKW: "市深化医药卫生体制改革领导小组 市文物安全工作领导组",
    CHW: "市黄河流域生态保护和高质量发展领导小组 市生态环境保护委员会",
    NYW: "市乡村振兴工作领导组 市高标准农田建设领导组",
    SJW: "市安全生产委员会 市老龄工作委员会",
    JSW: "市平安建设领导小组 市普法依法治理领导组",
    RDW: "市人大代表建议督办工作领导组",
    MZW: "市民族宗教工作领导小组",
}.items()}
PETITION_ISSUES = ["拖欠农民工工资问题", "老旧小区供暖问题", "征地补偿问题", "涉法涉诉信访问题",
                   "物业纠纷问题"]
PARTY_MEETINGS = ["常委会党组会议", "常委会党组理论学习中心组学习", "常委会主任办公会议"]
STUDY_SESSIONS = ["机关周五集中学习", "机关干部理论学习", "青年干部读书会"]
PARTY_SESSIONS = ["支部主题党日活动", "支部组织生活会", "“三会一课”支部党员大会"]


# ------------------------------------------------------------------------------ helpers
def cn(n: int) -> str:
    """1 → 一, 12 → 十二, 21 → 二十一 (meeting numbers)."""
    d = "零一二三四五六七八九"
    if n < 10:
        return d[n]
    tens, ones = divmod(n, 10)
    return (d[tens] if tens > 1 else "") + "十" + (d[ones] if ones else "")


def fmt(v) -> str:
    if v is None:
        return ""
    if isinstance(v, dt.date):
        return v.isoformat()
    return str(v)


def date_of(year: int, md: str) -> dt.date:
    """A date from ``MM-DD`` in the year, or from a full ``YYYY-MM-DD``."""
    return dt.date.fromisoformat(f"{year}-{md}") if len(md) == 5 else dt.date.fromisoformat(md)


class Year:
    """The rows of one year, with the year's random source and running numbers."""

    def __init__(self, year: int, rng: random.Random, numbers: Counter):
        self.year, self.rng, self.numbers = year, rng, numbers
        self.rows: list[dict] = []
        self.sc_dates: list[dt.date] = []  # the year's standing committee meetings
        self.sc_numbers: list[tuple[dt.date, int]] = []  # … and their numbers in the term

    def add(self, date: dt.date, unit: str, item: str, **cols) -> None:
        assert date.year == self.year, (date, item)
        row = dict.fromkeys(LEDGER_COLUMNS, "")
        row.update(date=date.isoformat(), unit=unit, item=item)
        for k, v in cols.items():
            assert k in row, k
            row[k] = fmt(v)
        self.rows.append(row)

    def day(self, first: int = 1, last: int = 12) -> dt.date:
        """A random working day in months first..last."""
        while True:
            m = self.rng.randint(first, last)
            d = dt.date(self.year, m, self.rng.randint(1, calendar.monthrange(self.year, m)[1]))
            if chinese_calendar.is_workday(d):
                return d

    def days(self, n: int, first: int = 1, last: int = 12) -> list[dt.date]:
        return sorted(self.day(first, last) for _ in range(n))

    def meetings(self, n: int) -> list[dt.date]:
        """n distinct standing committee meeting days (reports and motions are heard there)."""
        return sorted(self.rng.sample(self.sc_dates, min(n, len(self.sc_dates))))

    def next(self, key: str) -> int:
        self.numbers[key] += 1
        return self.numbers[key]

    def person(self, unit: str) -> str:
        return self.rng.choice(on_duty(unit, self.year))

    def area(self, unit: str) -> str:
        return self.rng.choice(TOPICS[unit]["areas"])

    def fill(self, text: str, unit: str, date: dt.date) -> str:
        """A subject template with the year, the unit's area and the last meeting's number."""
        n = max([no for d, no in self.sc_numbers if d <= date] or [self.sc_numbers[0][1]])
        return text.format(year=self.year, prev=self.year - 1, area=self.area(unit), n=cn(n))


def on_duty(unit: str, year: int) -> list[str]:
    """The unit's persons on duty all year (the transferred person is scripted apart)."""
    names = ROSTER[unit][: int(float(STAFF[unit, year]))]
    return [p for p in names if not (p == TRANSFER[0] and year >= TRANSFER[3].year)]


# ------------------------------------------------------------------- frequency builders
# Each builder logs n rows of its item for a unit in a year.
def b_director_meeting(g: Year, unit: str, n: int) -> None:
    slips = g.rng.sample(range(n), 1)
    for i, d in enumerate(g.days(n)):
        no = g.next("director")
        slip = i in slips and g.rng.random() < 0.7
        g.add(d, unit, "director_meeting", subject=f"市七届人大常委会第{cn(no)}次主任会议",
              errors=1 if slip else "", note="会议纪要印发延误" if slip else "")


def b_party_meeting(g, unit, n):
    for d in g.days(n):
        g.add(d, unit, "party_meeting", subject=g.rng.choice(PARTY_MEETINGS))


def b_info_article(g, unit, n):
    for d in g.days(n):
        if unit == BGT:
            no = g.next(f"info{g.year}")
            q = g.rng.choice([1, 1, 2, 2, 3])
            g.add(d, unit, "info_article", quantity=q, subject=f"《河东人大信息》{g.year}年第{no}期（{q}篇）")
        else:
            g.add(d, unit, "info_article", quantity=1, subject=f"{g.area(unit)}工作动态信息")


def b_journal_issue(g, unit, n):
    for i, month in enumerate(range(2, 13, 12 // n), start=1):
        d = g.day(month, month)
        g.add(d, unit, "journal_issue", subject=f"《河东人大》{g.year}年第{i}期")


def b_news_report(g, unit, n):
    for d in g.days(n, 2, 12):
        g.add(d, unit, "news_report", quantity=g.rng.choice([1, 1, 2, 3]),
              subject=f"《河东日报》刊发{g.area(unit)}相关报道", person=g.person(unit))


def b_speech_draft(g, unit, n):
    texts = {YJS: RESEARCH_SPEECHES, BGT: OFFICE_SPEECHES}.get(unit, SPEECHES)
    for d in g.days(n):
        g.add(d, unit, "speech_draft", chars=g.rng.choice(CHARS), person=g.person(unit),
              subject=g.fill(g.rng.choice(texts), unit, d))


def b_publication(item):
    def build(g, unit, n):
        for d in g.days(n, 2, 12):
            journal = g.rng.choice(JOURNALS[item])
            title = g.rng.choice(ARTICLES).format(area=g.area(unit))
            g.add(d, unit, item, person=g.person(unit),
                  subject=f"《{title}》（{journal}{g.year}年第{g.rng.randint(1, 12)}期）")
    return build


def b_congress_service(g, unit, n):
    subjects = [f"{g.year}年全国两会期间为我市全国人大代表提供服务", f"{g.year}年省人民代表大会会议会务服务"]
    for i, d in enumerate(g.days(n, 1, 3)):
        g.add(d, unit, "congress_service", quantity=g.rng.randint(2, 4), subject=subjects[i % 2],
              note="按人次计")


def b_leading_group(g, unit, n):
    for d in g.days(n, 1, 4):
        g.add(d, unit, "leading_group", subject=f"担任{g.rng.choice(LEADING_GROUPS[unit])}成员单位")


def b_lecture(g, unit, n):
    for d in g.days(n, 3, 11):
        g.add(d, unit, "lecture", subject=f"“{g.rng.choice(LECTURES)}”专题讲座")


def b_other_list(g, unit, n):
    if unit == RDW:
        texts = ["关于个别市人大代表代表资格终止的报告及代表名单",
                 "关于补选的市七届人大代表的代表资格审查报告",
                 "关于市人大代表调整情况的报告"]
    elif unit == BGT:
        texts = ["常委会会议列席人员名单", "常委会组成人员出席会议情况通报"]
    else:
        texts = [f"关于参加省人大{g.area(unit)}工作座谈会情况的汇报"]
    for d in g.days(n):
        g.add(d, unit, "other_list", subject=g.rng.choice(texts))


def b_petition(item):
    def build(g, unit, n):
        if item == "petition_resolved":
            for d in g.days(n):
                g.add(d, unit, item, subject="督促有关部门解决群众反映的" + g.rng.choice(PETITION_ISSUES))
            return
        span = 12 // n
        for i in range(n):
            last = (i + 1) * span
            d = dt.date(g.year, last, calendar.monthrange(g.year, last)[1])
            while not chinese_calendar.is_workday(d):
                d -= dt.timedelta(days=1)
            q = g.rng.randint(50, 80) if item == "petition_letter" else g.rng.randint(8, 20)
            if unit != BGT:
                q = g.rng.randint(50, 60)
            what = "来信" if item == "petition_letter" else "来访"
            period = f"{g.year}年" + (f"第{cn(i + 1)}季度" if n == 4 else "全年涉法涉诉")
            g.add(d, unit, item, quantity=q, subject=f"{period}群众{what}登记转办（{q}件）")
    return build


def b_normative(item):
    def build(g, unit, n):
        for i, d in enumerate(g.days(n, 3, 12)):
            if item == "normative_doc_registered":
                half = "上半年" if i == 0 else "下半年"
                g.add(d, unit, item, quantity=g.rng.randint(20, 60),
                      subject=f"{g.year}年{half}报送备案规范性文件登记、分送、归档")
            elif item == "normative_doc_reviewed":
                g.add(d, unit, item, quantity=g.rng.randint(2, 6),
                      subject="对报送备案的规范性文件进行主动审查")
            else:
                g.add(d, unit, item, quantity=1, subject="督促制定机关纠正与上位法相抵触的规范性文件",
                      ref=f"河人法工函〔{g.year}〕{g.rng.randint(1, 20)}号")
    return build


def b_work_report(g, unit, n):
    reports = TOPICS[unit]["reports"]
    for d, text in zip(g.meetings(n), g.rng.sample(reports, min(n, len(reports))), strict=False):
        missing = g.rng.choice([0, 0, 0, 0, 0, 1, 2])
        g.add(d, unit, "work_report", subject=text.format(year=g.year, prev=g.year - 1),
              missing_steps=missing or "", note="未形成审议意见研究处理情况报告" if missing else "")


def b_step_item(item, pattern):
    def build(g, unit, n):
        for d in g.days(n, 3, 11):
            laws = TOPICS[unit]["laws"]
            text = pattern.format(law=g.rng.choice(laws) if laws else "", area=g.area(unit))
            missing = g.rng.choice([0, 0, 0, 0, 1])
            g.add(d, unit, item, subject=text, missing_steps=missing or "",
                  note="未按要求形成调研报告" if missing else "")
    return build


def b_deputy_inspection(g, unit, n):
    for d in g.days(n, 3, 11):
        subject = f"组织市人大代表视察{g.area(unit)}工作"
        g.add(d, unit, "deputy_inspection", role="organizer", subject=subject)
        if unit != RDW and g.rng.random() < 0.6:
            g.add(d, RDW, "deputy_inspection", role="coordinator", subject=subject, note=f"协助{unit}组织")


def b_personnel_motion(g, unit, n):
    for d in g.meetings(n):
        if unit == YSW:
            g.add(d, unit, "personnel_motion", quantity=1,
                  subject=f"市人民政府关于提请审议{g.year}年市级预算调整方案的议案")
        else:
            g.add(d, unit, "personnel_motion", quantity=g.rng.randint(1, 3),
                  subject="提请常委会会议审议的人事任免事项")


def b_other_work_report(g, unit, n):
    for d in g.days(n, 2, 12):
        g.add(d, unit, "other_work_report", subject=f"向主任会议汇报{g.area(unit)}有关情况")


def b_reception_provincial(g, unit, n):
    for d in g.days(n, 3, 11):
        if g.rng.random() < 0.5:
            subject = f"接待省人大有关工作机构来我市调研{g.area(unit)}工作"
            g.add(d, unit, "reception_provincial", role="organizer", subject=subject)
        else:  # delegations of sister cities: 办公厅 arranges the visit
            subject = f"接待{g.rng.choice(SISTER_CITIES)}人大常委会考察组来我市考察{g.area(unit)}工作"
            g.add(d, unit, "reception_provincial", role="organizer", subject=subject)
            g.add(d, BGT, "reception_provincial", role="coordinator", subject=subject)


def b_study_visit(g, unit, n):
    for d in g.days(n, 4, 10):
        city = g.rng.choice(VISIT_CITIES)
        g.add(d, unit, "study_visit", subject=f"赴{city}考察学习{g.area(unit)}工作（附考察报告）")


BUILD = {
    "director_meeting": b_director_meeting, "party_meeting": b_party_meeting, "info_article": b_info_article,
    "journal_issue": b_journal_issue, "news_report": b_news_report, "speech_draft": b_speech_draft,
    "publication_national": b_publication("publication_national"),
    "publication_provincial": b_publication("publication_provincial"),
    "publication_municipal": b_publication("publication_municipal"),
    "congress_service": b_congress_service, "leading_group": b_leading_group, "lecture": b_lecture,
    "other_list": b_other_list, "petition_letter": b_petition("petition_letter"),
    "petition_visit": b_petition("petition_visit"), "petition_resolved": b_petition("petition_resolved"),
    "normative_doc_registered": b_normative("normative_doc_registered"),
    "normative_doc_reviewed": b_normative("normative_doc_reviewed"),
    "normative_doc_corrected": b_normative("normative_doc_corrected"),
    "work_report": b_work_report,
    "enforcement_inspection": b_step_item("enforcement_inspection", "{law}贯彻实施情况执法检查"),
    "enforcement_research": b_step_item("enforcement_research", "{law}实施情况执法调研"),
    "thematic_research": b_step_item("thematic_research", "关于{area}情况的专题调研"),
    "deputy_inspection": b_deputy_inspection, "personnel_motion": b_personnel_motion,
    "other_work_report": b_other_work_report, "reception_provincial": b_reception_provincial,
    "study_visit": b_study_visit,
}


# ---------------------------------------------------------------------- scripted builders
def scripted(g: Year) -> None:
    """The year's meetings, regulations, receptions, trainings and other listed events."""
    y = g.year

    def on(md: str) -> dt.date:
        d = date_of(y, md)
        assert chinese_calendar.is_workday(d), f"{d} is not a working day"
        return d

    for md, days, errors, what in SC_MEETINGS[y]:
        no = g.next("sc")
        g.sc_dates.append(on(md))
        g.sc_numbers.append((on(md), no))
        g.add(on(md), BGT, "sc_meeting", days=days, errors=errors or "", note=what,
              subject=f"市七届人大常委会第{cn(no)}次会议")
    for md, subject, days, units in CITYWIDE[y]:
        for unit, role, errors in units:
            g.add(on(md), unit, "citywide_meeting", role=role, days=days, errors=errors or "",
                  subject=subject, note="会场座次安排出现差错" if errors else "")
    for ds, unit, item, subject, major in REGULATIONS:
        if ds.startswith(str(y)):
            g.add(on(ds), unit, item, subject=subject,
                  major_revision="" if major is None else ("是" if major else "否"))
    for unit in VOTES[y] + [INQUIRIES[y]]:
        text = g.rng.choice(TOPICS[unit]["reports"]).format(year=y, prev=y - 1)
        d = g.rng.choice(g.sc_dates[1:])
        g.add(d, unit, "work_report", subject=text)
        if unit in VOTES[y]:
            g.add(d, unit, "satisfaction_vote", subject=text, note="常委会组成人员满意度测评")
        if unit == INQUIRIES[y]:
            g.add(d, unit, "special_inquiry", subject=text, note="常委会联组会议专题询问")
    for ds, unit, subject in MAJOR_DECISIONS:
        if ds.startswith(str(y)):
            g.add(on(ds), unit, "major_decision", subject=subject)
    for ds, unit, subject in RECEPTIONS_NATIONAL:
        if ds.startswith(str(y)):
            g.add(on(ds), BGT, "reception_national", role="organizer", subject=subject)
            g.add(on(ds), unit, "reception_national", role="coordinator", subject=subject)
    for ds, unit, subject, participants, days in STUDY_PROGRAMS:
        if ds.startswith(str(y)):
            g.add(on(ds), unit, "study_program", participants=participants, days=days, subject=subject)
    for ds, subject, participants, days, helper in DEPUTY_TRAININGS:
        if ds.startswith(str(y)):
            g.add(on(ds), RDW, "deputy_training", role="organizer", participants=participants, days=days,
                  subject=subject)
            if helper:
                g.add(on(ds), helper, "deputy_training", role="coordinator", participants=participants,
                      days=days, subject=subject)
    for ds, unit, subject, published in MAJOR_ACTIVITIES:
        if ds.startswith(str(y)):
            g.add(date_of(y, ds), unit, "major_activity", subject=subject, published=published,
                  note="" if published else "活动信息未编发")
    for ds, unit, subject, points, ref in INNOVATIONS:
        if ds.startswith(str(y)):
            g.add(on(ds), unit, "innovation", points=points, ref=ref, subject=subject)
    for ds, unit, item, subject, ref in RULES:
        if ds.startswith(str(y)):
            g.add(on(ds), unit, item, subject=subject, ref=ref)
    for item, slips in MANAGEMENT_ERRORS.items():
        g.add(g.day(1, 1), BGT, item, quantity=1 if item != "personnel_management" else "",
              subject=f"{y}年度{MANAGEMENT_NAMES[item]}管理工作")
        for what in g.rng.sample(slips, g.rng.randint(0, 2)):
            g.add(g.day(2, 12), BGT, item, errors=1, subject=what)
    # 研究室 drafts sit on the 1000 / 2500 character edges every year.
    for chars in CHARS_EDGES:
        d = g.day()
        g.add(d, YJS, "speech_draft", chars=chars, person=g.person(YJS),
              subject=g.fill(g.rng.choice(RESEARCH_SPEECHES), YJS, d))
    for ds, unit, item, person, subject, ref in VIOLATIONS:
        if ds.startswith(str(y)):
            g.add(on(ds), unit, item, person=person, subject=subject, ref=ref)


def common(g: Year) -> None:
    """Absences from study and party activities, leave, leave exempt, absence without leave."""
    y = g.year
    scripted_leave = [p for p, _ in LEAVE_CASES[y]]
    for unit in UNIT_NAMES:
        for p in on_duty(unit, y):
            for item, p_once, session in (("study_absence_private", 0.3, STUDY_SESSIONS),
                                          ("party_absence_private", 0.18, PARTY_SESSIONS)):
                k = (g.rng.random() < p_once) + (g.rng.random() < 0.05)
                for d in g.days(k):
                    g.add(d, unit, item, person=p, subject=g.rng.choice(session), note="因私请假")
            if p not in scripted_leave and g.rng.random() < 0.55:
                total = 0.0
                for d in g.days(g.rng.randint(1, 3)):
                    days = g.rng.choice([0.5, 1, 1, 2, 3, 5])
                    if total + days > 12:
                        break
                    total += days
                    g.add(d, unit, "leave", person=p, days=f"{days:g}", note=g.rng.choice(["事假", "病假"]))
    everyone = [(u, p) for u in UNIT_NAMES for p in on_duty(u, y)]
    for item, n in (("study_absence_unexcused", 2), ("party_absence_unexcused", 1)):
        sessions = STUDY_SESSIONS if item.startswith("study") else PARTY_SESSIONS
        for unit, p in g.rng.sample(everyone, n):
            g.add(g.day(), unit, item, person=p, subject=g.rng.choice(sessions), note="无故缺席")
    for unit, p in g.rng.sample(everyone, g.rng.randint(8, 11)):
        kinds = [("因病住院", g.rng.randint(7, 20)), ("正常休假（年休假）", g.rng.choice([5, 10])),
                 ("婚假", 10), ("陪护假", 5)]
        kind, days = g.rng.choice(kinds)
        g.add(g.day(), unit, "leave_exempt", person=p, days=days, note=kind)
    for p, rows in LEAVE_CASES[y]:
        for md, unit, days, note in rows:
            d = date_of(y, md)
            moved = p == TRANSFER[0] and d >= TRANSFER[3]
            g.add(d, unit, "leave", person=p, days=days,
                  note=note + ("；7月1日由研究室调入办公厅" if moved else ""))
    for ds, unit, p, days in ABSENT_WITHOUT_LEAVE:
        if ds.startswith(str(y)):
            g.add(date_of(y, ds), unit, "absent_without_leave", person=p, days=days, note="无故旷工")
    if y == TRANSFER[3].year:  # the transferred person's absences, in the unit of the day
        for md in ("02-23", "09-13"):
            d = date_of(y, md)
            g.add(d, TRANSFER[1] if d < TRANSFER[3] else TRANSFER[2], "study_absence_private",
                  person=TRANSFER[0], subject=STUDY_SESSIONS[0], note="因私请假")


def frequent(g: Year) -> None:
    for unit in UNIT_NAMES:
        freq = FREQ[KIND[unit]] | UNIT_FREQ.get(unit, {})
        for item, (lo, hi) in freq.items():
            n = g.rng.randint(lo, hi)
            if n:
                BUILD[item](g, unit, n)


# ---------------------------------------------------------------------------------- tables
def goals(rng: random.Random) -> list[dict]:
    rows = []
    for y in YEARS:
        year_rows = []
        for unit in UNIT_NAMES:
            pool = GOALS[unit]
            for goal in rng.sample(pool, rng.randint(3, min(6, len(pool)))):
                year_rows.append({"year": y, "unit": unit, "goal": goal, "completed": "是"})
        for r in rng.sample(year_rows, rng.randint(*GOALS_MISSED)):
            r["completed"] = "否"
        rows += year_rows
    return rows


def ledger(rng: random.Random) -> list[dict]:
    numbers: Counter = Counter()
    rows = []
    for y in YEARS:
        g = Year(y, rng, numbers)
        scripted(g)
        frequent(g)
        common(g)
        rows += sorted(g.rows, key=lambda r: r["date"])  # stable: same-day rows keep their order
    return rows


def check(rows: list[dict]) -> None:
    """Every item of the rulebook in every year, and both roles of every role item."""
    import yaml

    rulebook = Path(__file__).resolve().parent.parent / "kaohe" / "rulebook.yaml"
    items = yaml.safe_load(rulebook.read_text(encoding="utf-8"))["items"]
    missing = []
    for y in YEARS:
        seen = {(r["item"], r["role"]) for r in rows if r["date"].startswith(str(y))}
        for code, spec in items.items():
            roles = ["organizer", "coordinator"] if isinstance(spec.get("value"), dict) else [""]
            missing += [f"{y} {code} {role}" for role in roles if (code, role) not in seen]
    assert not missing, "no rows of: " + "; ".join(missing)


def write(path: Path, columns, rows) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=list(columns), lineterminator="\n")
        w.writeheader()
        w.writerows(rows)


def main() -> None:
    rng = random.Random(SEED)
    units = [{"year": y, "unit": u, "staff": STAFF[u, y]} for y in YEARS for u in UNIT_NAMES]
    goal_rows = goals(rng)
    ledger_rows = ledger(rng)
    check(ledger_rows)
    OUT.mkdir(parents=True, exist_ok=True)
    write(OUT / "units.csv", ("year", "unit", "staff"), units)
    write(OUT / "goals.csv", ("year", "unit", "goal", "completed"), goal_rows)
    write(OUT / "ledger.csv", LEDGER_COLUMNS, ledger_rows)
    for name, rows in (("units", units), ("goals", goal_rows), ("ledger", ledger_rows)):
        per_year = Counter(str(r.get("year") or r["date"][:4]) for r in rows)
        print(f"{name}: {len(rows)} rows ({', '.join(f'{y}: {n}' for y, n in sorted(per_year.items()))})")


if __name__ == "__main__":
    main()
