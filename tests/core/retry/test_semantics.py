"""Judging an answer: what counts as success, what stops the retries, and `Retry-After`."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from hookscope.core.retry import PRESETS, AttemptAnswer, Outcome, StopReason, judge
from hookscope.core.retry import parse_retry_after as parse
from hookscope.core.retry.policy import GENERIC_SEMANTICS

NOW = datetime(2026, 11, 27, 8, 0, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("status", "outcome"),
    [(200, "success"), (204, "success"), (299, "success"), (301, "failure"), (302, "failure"),
     (304, "failure"), (404, "failure"), (500, "failure"), (199, "failure")],
)  # fmt: skip
def test_only_2xx_is_success_and_redirects_fail(status: int, outcome: str) -> None:
    assert judge(GENERIC_SEMANTICS, AttemptAnswer(status)).outcome == outcome


def test_no_answer_fails_and_a_timeout_is_its_own_outcome() -> None:
    assert judge(GENERIC_SEMANTICS, AttemptAnswer.refused()).outcome is Outcome.FAILURE
    assert judge(GENERIC_SEMANTICS, AttemptAnswer.timeout(15)).outcome is Outcome.TIMEOUT


def test_410_stops_a_standard_webhooks_sender() -> None:
    verdict = judge(PRESETS["standard-webhooks"].semantics, AttemptAnswer(410))
    assert (verdict.outcome, verdict.stop) == (Outcome.FAILURE, StopReason.GONE)


def test_svix_abort_header_stops_whatever_its_case() -> None:
    svix = PRESETS["svix"].semantics
    answer = AttemptAnswer(500, (("Webhook-Delivery", " Abort-Message "),))
    assert judge(svix, answer).stop is StopReason.ABORTED
    assert judge(svix, AttemptAnswer(500, (("webhook-delivery", "retry"),))).stop is None
    assert (
        judge(svix, AttemptAnswer(410)).stop is None
    )  # 410 is Standard Webhooks' rule, not Svix's


def test_mailgun_never_retries_406() -> None:
    mailgun = PRESETS["mailgun"].semantics
    assert judge(mailgun, AttemptAnswer(406)).stop is StopReason.REJECTED
    assert judge(mailgun, AttemptAnswer(500)).stop is None


def test_slack_no_retry_header() -> None:
    slack = PRESETS["slack"].semantics
    assert (
        judge(slack, AttemptAnswer(500, (("X-Slack-No-Retry", "1"),))).stop is StopReason.NO_RETRY
    )


def test_sns_treats_client_errors_as_final_except_throttling() -> None:
    sns = PRESETS["aws-sns-default"].semantics
    assert judge(sns, AttemptAnswer(404)).stop is StopReason.CLIENT_ERROR
    assert judge(sns, AttemptAnswer(429)).stop is None
    assert judge(sns, AttemptAnswer(503)).stop is None


def test_a_success_ignores_stop_headers() -> None:
    answer = AttemptAnswer(200, (("webhook-delivery", "abort-message"),))
    assert judge(PRESETS["svix"].semantics, answer).outcome is Outcome.SUCCESS


def test_retry_after_seconds_is_read_when_honoured() -> None:
    answer = AttemptAnswer(503, (("retry-after", "120"),))
    assert judge(GENERIC_SEMANTICS, answer).retry_after_s == 120
    assert (
        judge(PRESETS["svix"].semantics, answer).retry_after_s is None
    )  # Svix documents no such rule


def test_retry_after_http_date_is_measured_from_the_answer() -> None:
    headers = (("Retry-After", "Fri, 27 Nov 2026 08:02:00 GMT"),)
    received = AttemptAnswer(503, headers, received_at=NOW)
    assert judge(GENERIC_SEMANTICS, received).retry_after_s == 120
    dated = AttemptAnswer(503, (*headers, ("Date", "Fri, 27 Nov 2026 08:01:30 GMT")))
    assert judge(GENERIC_SEMANTICS, dated).retry_after_s == 30
    assert judge(GENERIC_SEMANTICS, AttemptAnswer(503, headers)).retry_after_s is None


@pytest.mark.parametrize(
    ("value", "now", "expected"),
    [
        ("0", None, 0.0),
        (" 3600 ", None, 3600.0),
        ("-5", None, None),
        ("1.5", None, None),
        ("soon", NOW, None),
        ("Fri, 27 Nov 2026 07:00:00 GMT", NOW, 0.0),  # a date in the past: retry now
        ("Fri, 27 Nov 2026 09:00:00 GMT", NOW, 3600.0),
    ],
)
def test_parse_retry_after(value: str, now: datetime | None, expected: float | None) -> None:
    assert parse(value, now) == expected
