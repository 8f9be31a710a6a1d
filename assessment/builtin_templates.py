"""The scoring templates the portal ships (SPEC §5), as data.

ANNEX2 is 附件2 of seed 003 exactly. KPI_004 is seed 004's scorecard corrected so that it adds
up: the seed gives 直播运营 25 points over indicators of 15 + 15, and 直播效果 25 over 10 + 10;
the categories are set to what their indicators give (30 and 20), which keeps the total at 100.
KPI_004_LITERAL is the seed's table as printed, which the portal refuses.
Targets of KPI_004 are a year's (period_months 12). Its short-video and follower indicators
name the platform they measure (抖音: the table's targets are the Douyin account's; 视频号's
plays are tracked beside them, not scored).
"""

ANNEX2 = {
    "name": "服务质量考核办法（附件2）",
    "total": "100",
    "period_months": 1,
    "categories": [
        {
            "name": "服务质量考核",
            "max": "50",
            "indicators": [
                {
                    "code": "quality",
                    "name": "支撑质量考核",
                    "kind": "manual",
                    "max": "50",
                    "rule": "本项分值根据客户对项目实际考核情况挂钩打分。",
                }
            ],
        },
        {
            "name": "支撑能力",
            "max": "20",
            "indicators": [
                {
                    "code": "capability",
                    "name": "支撑方根据阶段需求提供符合要求的支撑能力",
                    "kind": "deduction",
                    "max": "20",
                    "per_unit": "0.5",
                    "rule": "未能提供符合要求的支撑人员及能力，每出现一次扣0.5分，扣完为止。",
                }
            ],
        },
        {
            "name": "投诉事故",
            "max": "10",
            "indicators": [
                {
                    "code": "complaint",
                    "name": "对项目投诉事故考核管理",
                    "kind": "deduction",
                    "max": "10",
                    "per_unit": "1",
                    "rule": (
                        "造成支撑工作疏忽、进度滞后、流程欠缺等投诉，每出现一次扣1分，扣完为止。"
                    ),
                }
            ],
        },
        {
            "name": "安全考核",
            "max": "10",
            "indicators": [
                {
                    "code": "security",
                    "name": "对安全事件的考核管理",
                    "kind": "deduction",
                    "max": "10",
                    "per_unit": "2.5",
                    "rule": "出现生产安全、信息安全、虚假信息等问题，每出现一次扣2.5分，扣完为止。",
                }
            ],
        },
        {
            "name": "项目管理",
            "max": "10",
            "indicators": [
                {
                    "code": "management",
                    "name": "日常工作跟踪管理",
                    "kind": "deduction",
                    "max": "10",
                    "per_unit": "1",
                    "rule": "未开展工作日志、周报、月报等管理工作，每缺一项扣1分，扣完为止。",
                }
            ],
        },
    ],
}


def _kpi_004(live_operations_max, live_effect_max):
    return {
        "name": "安源区就业之家线上推广运营考核表（004）",
        "total": "100",
        "period_months": 12,
        "categories": [
            {
                "name": "短视频运营",
                "max": "30",
                "indicators": [
                    {
                        "code": "videos",
                        "name": "抖音短视频发布数量",
                        "kind": "shortfall",
                        "max": "15",
                        "per_unit": "0.08",
                        "target": "180",
                        "rule": "年度累计≥180条；每少1条扣0.08分，扣完为止",
                    },
                    {
                        "code": "views",
                        "name": "抖音短视频播放量",
                        "kind": "ratio",
                        "max": "15",
                        "target": "1200000",
                        "rule": "年度累计≥120万次；未完成按实际完成数占比计分",
                    },
                ],
            },
            {
                "name": "粉丝增长",
                "max": "20",
                "indicators": [
                    {
                        "code": "followers",
                        "name": "抖音粉丝累计增长数",
                        "kind": "ratio",
                        "max": "20",
                        "target": "12000",
                        "rule": "年度累计≥1.2万人；未完成按实际完成数占比计分",
                    }
                ],
            },
            {
                "name": "直播运营",
                "max": live_operations_max,
                "indicators": [
                    {
                        "code": "sessions",
                        "name": "直播场次",
                        "kind": "shortfall",
                        "max": "15",
                        "per_unit": "0.1",
                        "target": "144",
                        "rule": "年度累计≥144场；每少1场扣0.1分，扣完为止",
                    },
                    {
                        "code": "hours",
                        "name": "直播时长",
                        "kind": "shortfall",
                        "max": "15",
                        "per_unit": "0.5",
                        "target": "288",
                        "rule": "月度直播时长≥24小时；每少1小时扣0.5分，扣完为止",
                    },
                ],
            },
            {
                "name": "直播效果",
                "max": live_effect_max,
                "indicators": [
                    {
                        "code": "viewers_share",
                        "name": "单场观看人数",
                        "kind": "share",
                        "max": "10",
                        "rule": "每场直播观看≥800人次；未达标按达标场次占比计分",
                    },
                    {
                        "code": "viewers",
                        "name": "月度累计场观",
                        "kind": "ratio",
                        "max": "10",
                        "target": "280000",
                        "rule": "年度累计≥28万人次；未完成按实际完成数占比计分",
                    },
                ],
            },
            {
                "name": "加分项目",
                "max": "0",
                "is_bonus": True,
                "indicators": [
                    {
                        "code": "bonus_views",
                        "name": "超额完成抖音短视频播放量",
                        "kind": "bonus",
                        "max": "1",
                        "target": "1500000",
                        "rule": "年度累计播放量超过150万次",
                    },
                    {
                        "code": "bonus_followers",
                        "name": "超额完成抖音粉丝增长",
                        "kind": "bonus",
                        "max": "1",
                        "target": "15000",
                        "rule": "年度累计新增粉丝超过1.5万人",
                    },
                    {
                        "code": "bonus_viewers",
                        "name": "超额完成直播场观",
                        "kind": "bonus",
                        "max": "1",
                        "target": "350000",
                        "rule": "年度累计场观超过35万人次",
                    },
                    {
                        "code": "bonus_innovation",
                        "name": "创新服务项目",
                        "kind": "bonus",
                        "max": "2",
                        "rule": "推出创新性服务项目并取得显著成效，经认定加1-2分",
                    },
                    {
                        "code": "bonus_media",
                        "name": "媒体报道",
                        "kind": "bonus",
                        "max": "2",
                        "rule": "市级媒体上稿加1分，省级媒体上稿加2分",
                    },
                    {
                        "code": "bonus_honours",
                        "name": "荣誉表彰",
                        "kind": "bonus",
                        "max": "5",
                        "rule": "获得市级相关部门表彰加2分，获得省级表彰加5分",
                    },
                ],
            },
        ],
    }


KPI_004 = _kpi_004("30", "20")
KPI_004_LITERAL = _kpi_004("25", "25")
BUILTIN = (ANNEX2, KPI_004)
