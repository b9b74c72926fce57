"""Document details (schema version 4) as a client would type them, shared by the pack and round-trip tests."""

from __future__ import annotations

from ccl.profile import Profile

DETAILS = {
    "legal_representative": "李明",
    "service_targets": "受本地银行、保险企业委托，提供客户咨询和业务查询服务",
    "platform_vendor": "杭州云呼科技有限公司",
    "platform_model": "云呼CC-Cloud 5.2",
    "server_location": "中国电信西安高新数据中心（托管机柜B-12）",
    "network_topology": (
        "电信SIP中继经边界防火墙接入呼叫平台（ACD/IVR）；\n坐席终端通过内网交换机连接；录音服务器独立存储。"
    ),
    "voice_access": "中国电信西安分公司SIP中继，30路",
    "backup_method": "=每日异地备份（以等号开头，仍是文字）",
    "service_hours": "每日8:00—20:00",
    "complaint_handling": "客服热线和邮箱受理投诉，24小时内响应，5个工作日内答复处理结果",
    "security_officer": "刘洋（技术负责人）",
}


def with_details(profile: Profile, **changes: str | None) -> Profile:
    """``profile`` with every document detail filled in (``changes`` override single details)."""
    details = {**DETAILS, **changes}
    return profile.model_validate({**profile.model_dump(), "document_details": details})
