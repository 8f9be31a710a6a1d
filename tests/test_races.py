"""Every pair of money-touching actions that can meet, done at once: threads released together
at a barrier, each sending its request through the API as a user would, on the suite's database
(PostgreSQL in CI, the SQLite file of `make run` otherwise). Whatever the order the database
lets them through, no request answers 500, each answers 2xx or 409, the signed money never
rests on a reopened log or score, and the counters equal their recomputation
(`manage.py ledger_check`)."""

import itertools
import threading
from collections import Counter
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection

from assessment.models import Assessment
from assessment.services import assessment_confirm
from contracts.models import FrameworkContract
from contracts.services import contract_activate
from core.bank_accounts import bank_account_change_submit
from core.models import User
from demo.common import published_score
from orders.models import Order
from orders.services import order_create, order_issue
from settlement.models import SettlementSheet
from settlement.services import sheet_adjust, sheet_confirm, sheets_compute
from tests.factories import BuyerFactory, ContractFactory, UserFactory, rate_card
from tests.worklogs.conftest import member
from worklogs.lines import LineInput
from worklogs.models import WorkLog
from worklogs.services import (
    worklog_approve,
    worklog_open,
    worklog_save,
    worklog_submit,
)

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

OCTOBER = date(2026, 10, 1)
SERIALS = itertools.count(500)  # of the ID numbers of the people these tests hire
ANSWERS = {200, 201, 202, 409}
Status = SettlementSheet.Status


def race(*requests):
    """Sends each request (a function answering a response) from its own thread, all released
    at once; answers their status codes in the order given."""
    barrier = threading.Barrier(len(requests))
    codes = [None] * len(requests)

    def run(index, request):
        try:
            barrier.wait()
            codes[index] = request()
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=item) for item in enumerate(requests)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return codes


class Desk:
    """The people acting and the orders they act on, under one contract."""

    def __init__(self, contract, procurement, vendor_pm, api, planned="41.5"):
        self.contract, self.procurement, self.vendor_pm, self.api = (
            contract,
            procurement,
            vendor_pm,
            api,
        )
        self.planned = planned  # days planned on each order
        self.people = []
        self.orders = 0

    def post(self, user, path, data=None):
        """A request as `user` would send it: answers its status code (a 500 too)."""

        def send():
            client = self.api(user)
            client.raise_request_exception = False
            return client.post(f"/api/v1/{path}", data or {}, format="json").status_code

        return send

    def order(self):
        self.orders += 1
        order = order_create(
            contract=self.contract,
            name=f"订单{self.orders}",
            service_start=date(2026, 2, 1),
            service_end=date(2026, 12, 31),
            lines=[{"role": "产品/平台服务", "level": "高级", "planned_quantity": self.planned}],
        )
        return order_issue(order=order)

    def person(self):
        """A senior with days left in October (each takes 16 days of it at most)."""
        if not self.people or self.people[-1][1] + 4 > 16:
            self.people.append([member(self.contract, next(SERIALS)), 0])
        return self.people[-1]

    def evidence(self, order, days="4", quality="50"):
        """An approved log of `days` senior days and a confirmed score of 50 + `quality`."""
        person = self.person()
        person[1] += int(days)
        log = worklog_open(order=order, month=OCTOBER)
        worklog_save(log=log, lines=[LineInput(person[0].pk, Decimal(days), person[0].name)])
        worklog_approve(log=worklog_submit(log=log), actor=self.procurement)
        score = published_score(order, OCTOBER, quality, [], self.procurement)
        assessment_confirm(assessment=score, actor=self.vendor_pm)
        return log

    def draft(self, **evidence):
        """An order's October sheet, computed, a draft."""
        order = self.order()
        self.evidence(order, **evidence)
        sheets_compute(order_ids=[order.pk], month=OCTOBER)
        return SettlementSheet.objects.get(order=order)

    def confirmed(self, **evidence):
        """A sheet the vendor has confirmed: the buyer may sign it."""
        return sheet_confirm(sheet=self.draft(**evidence), actor=self.vendor_pm)

    def sign(self, sheet):
        return self.post(self.procurement, f"settlements/{sheet.pk}/confirm/")

    def confirm(self, sheet):
        return self.post(self.vendor_pm, f"settlements/{sheet.pk}/confirm/")


def active(buyer, vendor, ceiling="17627800.00"):
    contract = ContractFactory(buyer=buyer, vendor=vendor, ceiling_incl_tax=Decimal(ceiling))
    return contract_activate(contract=rate_card(contract))


@pytest.fixture
def desk(buyer, vendor, procurement, vendor_pm, api):
    return Desk(active(buyer, vendor), procurement, vendor_pm, api)


def assert_sound(codes):
    """Every answer 2xx or 409, and the counters equal their recomputation."""
    assert set(codes) <= ANSWERS, codes
    call_command("ledger_check")


def test_reopening_a_log_while_the_vendor_confirms_never_leaves_a_sheet_over_it(desk):
    """Issue 17 (1): 200 runs; before, 18 of 40 ended confirmed over a reopened log."""
    outcomes, codes = Counter(), []
    for _run in range(200):
        sheet = desk.draft()
        answered = race(
            desk.confirm(sheet),
            desk.post(desk.procurement, f"worklogs/{sheet.worklog_id}/reopen/", {"reason": "改"}),
        )
        codes += answered
        sheet.refresh_from_db()
        log = WorkLog.objects.get(pk=sheet.worklog_id)
        assert (sheet.status, log.status) in {
            (Status.VENDOR_CONFIRMED, WorkLog.Status.APPROVED),
            (Status.DRAFT, WorkLog.Status.RETURNED),
        }, answered
        assert sorted(answered) == [200, 409]
        outcomes[sheet.status] += 1
    assert_sound(codes)
    print(f"reopen log × confirm: {dict(outcomes)}")


def test_reopening_a_score_while_the_sheet_is_confirmed_and_signed(desk):
    """The vendor confirms and the buyer signs in one thread, procurement reopens the score in
    another: either the score is reopened and nothing is signed, or it stays confirmed under
    the signed sheet."""
    outcomes, codes = Counter(), []
    for _run in range(50):
        sheet = desk.draft()

        def confirm_then_sign(sheet=sheet):
            return (desk.confirm(sheet)(), desk.sign(sheet)())

        answered = race(
            confirm_then_sign,
            desk.post(
                desk.procurement, f"assessments/{sheet.assessment_id}/reopen/", {"reason": "改"}
            ),
        )
        codes += [*answered[0], answered[1]]
        sheet.refresh_from_db()
        score = Assessment.objects.get(pk=sheet.assessment_id)
        assert (sheet.status, score.status) in {
            (Status.SIGNED, Assessment.Status.CONFIRMED),
            (Status.DRAFT, Assessment.Status.DRAFT),
        }, answered
        outcomes[sheet.status] += 1
    assert_sound(codes)
    print(f"reopen score × sign: {dict(outcomes)}")


def test_eight_signers_at_once_fill_the_ceiling_exactly(buyer, vendor, procurement, vendor_pm, api):
    """Eight sheets of 16 days at 900.00 and score 100 (14,400.00 each) signed at once under a
    50,000.00 ceiling: three whole (43,200.00), one cut to 6,800.00, four cut to nothing; on
    SQLite none of the eight answers "database is locked"."""
    codes = []
    for _round in range(5):
        desk = Desk(active(buyer, vendor, "50000.00"), procurement, vendor_pm, api, planned="1")
        sheets = [desk.confirmed(days="16") for _n in range(8)]
        codes += race(*(desk.sign(sheet) for sheet in sheets))
        signed = SettlementSheet.objects.filter(contract=desk.contract, status=Status.SIGNED)
        assert sorted(sheet.payable_incl_tax for sheet in signed) == [Decimal("0.00")] * 4 + [
            Decimal("6800.00"),
            *[Decimal("14400.00")] * 3,
        ]
        desk.contract.refresh_from_db()
        assert desk.contract.settled_total == Decimal("50000.00")
    assert set(codes) == {200}
    assert_sound(codes)


def test_the_vendor_confirming_while_the_buyer_signs(desk):
    """The vendor confirms one sheet while the buyer signs another of the contract and tries
    the first: the deadlock of issue 17 (2)."""
    codes = []
    for _run in range(20):
        draft, ready = desk.draft(), desk.confirmed()
        answered = race(desk.confirm(draft), desk.sign(ready), desk.sign(draft))
        codes += answered
        assert answered[:2] == [200, 200]
        draft.refresh_from_db()
        assert draft.status == (Status.SIGNED if answered[2] == 200 else Status.VENDOR_CONFIRMED)
    assert_sound(codes)


def test_computing_the_month_while_the_buyer_signs(desk, eager):
    """The month computed in the request (no broker, as `make run` does) while two sheets are
    signed; the computation creates new sheets pointing at the contract the signers hold.
    Before: 17 of 30 requests answered 500 "deadlock detected"."""
    codes, created = [], 0
    for _run in range(50):
        ready = [desk.confirmed(), desk.confirmed()]
        new = desk.order()
        desk.evidence(new)
        answered = race(
            desk.post(
                desk.procurement,
                "settlements/compute/",
                {"month": "2026-10", "contract": desk.contract.pk},
            ),
            *(desk.sign(sheet) for sheet in ready),
        )
        codes += answered
        assert answered == [202, 200, 200]
        created += SettlementSheet.objects.filter(order=new, status=Status.DRAFT).count()
    assert created == 50
    assert_sound(codes)


def test_adjusting_while_signing(desk):
    """An adjustment taking 450.00 back is signed, another is drafted, and a month is signed,
    all at once on the contract."""
    codes = []
    for _run in range(20):
        signed = desk.confirmed()
        sheet_confirm(sheet=signed, actor=desk.procurement)
        adjustment = sheet_adjust(sheet=signed, amount_incl_tax=Decimal("-450.00"), reason="多计")
        sheet_confirm(sheet=adjustment, actor=desk.vendor_pm)
        ready = desk.confirmed()
        answered = race(
            desk.sign(adjustment),
            desk.post(
                desk.procurement,
                f"settlements/{signed.pk}/adjust/",
                {"amount_incl_tax": "-100.00", "reason": "再核"},
            ),
            desk.sign(ready),
        )
        codes += answered
        assert answered == [200, 200, 200]
    desk.contract.refresh_from_db()
    # Each run signs two months of 4 days at 900.00 (3,600.00 each) and takes 450.00 back:
    # 6,750.00 a run, 135,000.00 in 20.
    assert desk.contract.settled_total == Decimal("135000.00")
    assert_sound(codes)


def test_issuing_cancelling_and_terminating_while_signing(desk, buyer, vendor):
    """An order issued, another cancelled with its sheet being signed, and the contract's
    money moving at once; then the contract terminated while its last sheet is signed."""
    codes = []
    for _run in range(20):
        ready, draft_order = (
            desk.confirmed(),
            order_create(
                contract=desk.contract,
                name="待下达",
                service_start=date(2026, 2, 1),
                service_end=date(2026, 12, 31),
                lines=[{"role": "产品/平台服务", "level": "高级", "planned_quantity": "10"}],
            ),
        )
        other = desk.confirmed()
        answered = race(
            desk.sign(ready),
            desk.post(desk.procurement, f"orders/{draft_order.pk}/issue/"),
            desk.post(desk.procurement, f"orders/{other.order_id}/cancel/"),
            desk.sign(other),
        )
        codes += answered
        assert answered == [200, 200, 200, 200]
    for _run in range(10):
        contract = active(buyer, vendor)
        desk.contract, desk.people = contract, []
        ready = desk.confirmed()
        breach = {"kind": "breach", "clause": "11.2", "reason": "违约"}
        answered = race(
            desk.sign(ready),
            desk.post(desk.procurement, f"contracts/{contract.pk}/terminate/", breach),
        )
        codes += answered
        assert answered == [200, 201]
        contract.refresh_from_db()
        # Planned 41.5 days × 900.00 = 37,350.00; signed 4 × 900.00 = 3,600.00; the termination
        # releases the other 33,750.00 whichever came first: nothing stays committed.
        assert (contract.status, contract.settled_total, contract.committed_total) == (
            "terminated",
            Decimal("3600.00"),
            Decimal("0.00"),
        )
    assert_sound(codes)


def test_the_database_refuses_a_counter_past_the_ceiling(desk):
    """The last word is the database's: an UPDATE that breaks the ceiling is refused."""
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        FrameworkContract.objects.filter(pk=desk.contract.pk).update(
            settled_total=desk.contract.ceiling_incl_tax + Decimal("0.01")
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        FrameworkContract.objects.filter(pk=desk.contract.pk).update(committed_total=-1)
    with pytest.raises(IntegrityError), transaction.atomic():
        Order.objects.filter(pk=desk.order().pk).update(settled_total=-1)


def test_two_last_confirmations_and_a_withdrawal_of_a_new_bank_account(
    api, clock, vendor, vendor_pm, active_contract, procurement
):
    """Clause 4.6.3, past its ten days: both buyers' procurement confirm the vendor's new account
    while the vendor withdraws it. Whoever comes first, the change is withdrawn (the account
    stays) or applied exactly once (the withdrawal answers 409), never both."""
    second = BuyerFactory(name="第二采购方")
    contract_activate(contract=rate_card(ContractFactory(buyer=second, vendor=vendor)))
    other = UserFactory(username="b-caigou", role=User.Role.PROCUREMENT, organization=second)
    desk = Desk(active_contract, procurement, vendor_pm, api)
    outcomes = Counter()
    for run in range(10):
        clock(date(2026, 3, 2) + timedelta(days=20 * run))
        account = f"6222 0000 0000 {run:04d}"
        change = bank_account_change_submit(
            actor=vendor_pm, bank_name="建设银行", bank_account=account
        )
        clock(date(2026, 3, 2) + timedelta(days=20 * run + 11))
        path = f"bank-account-changes/{change.pk}/"
        codes = race(
            desk.post(procurement, f"{path}confirm/"),
            desk.post(other, f"{path}confirm/"),
            desk.post(vendor_pm, f"{path}withdraw/"),
        )
        change.refresh_from_db()
        vendor.refresh_from_db()
        outcomes[change.status] += 1
        assert set(codes) <= ANSWERS, codes
        if change.status == "applied":
            assert codes == [200, 200, 409] and vendor.bank_account == account
            assert vendor.history.filter(bank_account=account).count() == 1
        else:
            assert change.status == "withdrawn" and codes[2] == 200
            assert vendor.bank_account != account
    assert sum(outcomes.values()) == 10, outcomes


def test_two_reminder_runs_at_once_tell_each_step_once(
    buyer, vendor, procurement, vendor_pm, eager
):
    """Two beat processes by mistake, or a redelivered task: the day's reminders run twice at
    once. Neither fails on the once-per-step constraint (which would stop the rest of the
    day's reminders), and each user is told of each step once."""
    from notifications.models import Notification
    from notifications.reminders import send_reminders

    for _run in range(10):
        before = Notification.objects.count()
        contracts = [active(buyer, vendor) for _n in range(3)]
        today = max(contract.end_date for contract in contracts) - timedelta(days=20)
        made = race(*[lambda day=today: send_reminders(today=day)] * 2)
        assert None not in made, made  # None: that thread raised
        # What the two runs say they made is what was made: no step counted twice.
        assert sum(made) == Notification.objects.count() - before >= 6
        told = Counter(Notification.objects.values_list("user", "key"))
        assert set(told.values()) == {1}
