"""The interface is Chinese by default and every string has its translation."""

import re
from pathlib import Path

from django.conf import settings

PO = Path(settings.BASE_DIR) / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"


def entries():
    """(msgid, msgstr, flags) of the catalogue, multi-line strings joined."""
    text = PO.read_text(encoding="utf-8")
    for block in text.split("\n\n"):
        flags = " ".join(re.findall(r"^#, (.*)$", block, re.M))
        msgid = "".join(
            re.findall(r'^(?:msgid|msgid_plural)? ?"(.*)"$', block.split("msgstr")[0], re.M)
        )
        msgstr = (
            "".join(re.findall(r'"(.*)"$', block.split("msgstr", 1)[1], re.M))
            if "msgstr" in block
            else ""
        )
        if msgid:
            yield msgid, msgstr, flags


def test_every_string_is_translated_and_none_is_fuzzy():
    missing = [msgid for msgid, msgstr, flags in entries() if not msgstr or "fuzzy" in flags]
    assert missing == []
    assert len(list(entries())) > 500


PAGES = [
    "/",
    "/contracts/",
    "/contracts/{contract}/",
    "/contracts/{contract}/staff/",
    "/orders/",
    "/orders/{order}/",
    "/orders/{order}/worklog/",
    "/orders/{order}/worklog/2026-10/",
    "/orders/{order}/assessment/",
    "/orders/{order}/assessment/2026-10/",
    "/worklogs/",
    "/settlements/",
    "/settlements/{sheet}/",
    "/assessment-templates/",
    "/assessment-templates/1/",
    "/contracts/new/",
    "/orders/new/",
]
KPI_PAGES = [
    "/orders/{kpi_order}/",
    "/orders/{kpi_order}/kpi/",
    "/orders/{kpi_order}/kpi/2026-10/",
    "/orders/{kpi_order}/kpi/2026-11/",
    "/settlements/{milestone}/",
]
ENGLISH = re.compile(r"\b[A-Za-z]{2,}(?: [A-Za-z]{2,})+\b")


def visible_text(html: str) -> str:
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    html = re.sub(r"<option[^>]*>.*?</option>", " ", html, flags=re.S)  # data, not interface
    return re.sub(r"<[^>]+>", " ", html)


def test_pages_are_chinese_by_default_and_english_on_the_switch(db):
    from django.core.management import call_command
    from django.test import Client

    from contracts.models import FrameworkContract
    from core.models import User
    from orders.models import Order
    from settlement.models import SettlementSheet

    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    ids = {
        "contract": FrameworkContract.objects.get(code="MGYY-2026-003").pk,
        "order": Order.objects.get(number="MGYY-2026-003-001").pk,
        "sheet": SettlementSheet.objects.filter(contract__code="MGYY-2026-003")
        .order_by("month")
        .first()
        .pk,
        "kpi_order": Order.objects.get(contract__code="AYQ-2025-004").pk,
        "milestone": SettlementSheet.objects.filter(contract__code="AYQ-2025-004").first().pk,
    }
    for username, pages in (("caigou", PAGES), ("anyuan", KPI_PAGES), ("xinghe_pm", KPI_PAGES)):
        client = Client()
        client.force_login(User.objects.get(username=username))
        for page in pages:
            response = client.get(page.format(**ids))
            assert response.status_code == 200, page
            english = ENGLISH.findall(visible_text(response.content.decode()))
            assert english == [], (page, english)

    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert "Framework contracts" in client.get("/contracts/").content.decode()


def test_filter_labels_follow_the_language_whichever_touched_them_first(db):
    from django.utils import translation

    from contracts.filters import ContractFilter

    with translation.override("en"):
        assert str(ContractFilter().form.fields["settlement_mode"].label) == "Settlement mode"
    with translation.override("zh-hans"):
        assert str(ContractFilter().form.fields["settlement_mode"].label) == "结算方式"
