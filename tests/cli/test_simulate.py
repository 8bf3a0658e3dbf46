"""`hookscope simulate`: the JSON contract, the readable table, and bad input."""

from __future__ import annotations

import json
from typing import Any

import pytest

from hookscope.cli import main
from tests.helpers import run_cli


def simulate_json(capsys: pytest.CaptureFixture[str], *args: str) -> dict[str, Any]:
    assert main(["simulate", *args, "--json"]) == 0
    out = capsys.readouterr().out
    assert out.count("\n") == 1  # one JSON object on one line
    document: dict[str, Any] = json.loads(out)
    return document


def test_json_contract_fields(capsys: pytest.CaptureFixture[str]) -> None:
    document = simulate_json(capsys, "svix", "--fail-first", "3")
    assert {"policy", "attempts", "delivered", "delivered_at_s", "gave_up_at_s"} <= set(document)
    assert document["policy"]["name"] == "svix"
    assert document["policy"]["exact"] is True
    assert [
        {k: a[k] for k in ("n", "at_s", "delay_s", "outcome")} for a in document["attempts"]
    ] == [
        {"n": 1, "at_s": 0, "delay_s": 0, "outcome": "failure"},
        {"n": 2, "at_s": 5, "delay_s": 5, "outcome": "failure"},
        {"n": 3, "at_s": 305, "delay_s": 300, "outcome": "failure"},
        {"n": 4, "at_s": 2105, "delay_s": 1800, "outcome": "success"},
    ]
    assert (document["delivered"], document["delivered_at_s"], document["gave_up_at_s"]) == (
        True, 2105, None)  # fmt: skip
    assert "herd" not in document


def test_json_when_it_gives_up(capsys: pytest.CaptureFixture[str]) -> None:
    document = simulate_json(capsys, "zoom", "--timeout-first", "1", "--outage", "300:6000")
    assert [a["outcome"] for a in document["attempts"]] == ["timeout"] + ["failure"] * 3
    assert (document["delivered"], document["delivered_at_s"]) == (False, None)
    assert document["gave_up_at_s"] == 5103  # Zoom's 3 s timeout shifts every later attempt
    assert document["stop_reason"] == "exhausted"


def test_formula_policy_follows_the_contract(capsys: pytest.CaptureFixture[str]) -> None:
    document = simulate_json(
        capsys, "exponential", "--attempts", "6", "--base", "10", "--factor", "3",
        "--max-delay", "200", "--fail-first", "9",
    )  # fmt: skip
    assert [a["delay_s"] for a in document["attempts"]] == [0, 10, 30, 90, 200, 200]
    assert [a["at_s"] for a in document["attempts"]] == [0, 10, 40, 130, 330, 530]
    assert document["policy"]["attempts"] == 6


def test_timeouts_appear_as_such(capsys: pytest.CaptureFixture[str]) -> None:
    document = simulate_json(capsys, "zoom", "--timeout-first", "2")
    assert [(a["at_s"], a["outcome"]) for a in document["attempts"]] == [
        (0, "timeout"), (303, "timeout"), (1506, "success")]  # fmt: skip


def test_repeatable_outages_and_retry_after(capsys: pytest.CaptureFixture[str]) -> None:
    document = simulate_json(
        capsys, "standard-webhooks", "--outage", "0:1", "--outage", "100:200", "--fail-first", "3",
        "--fail-header", "Retry-After: 100",
    )  # fmt: skip
    # 0 refused; 5 answered 503 with Retry-After 100; 105 refused by the second outage (no
    # Retry-After from a receiver that is down), so the schedule's 30 min follow; then 200.
    assert [a["at_s"] for a in document["attempts"]] == [0, 5, 105, 1905]
    assert document["delivered_at_s"] == 1905


def test_410_stops(capsys: pytest.CaptureFixture[str]) -> None:
    document = simulate_json(
        capsys, "standard-webhooks", "--fail-first", "2", "--fail-status", "410"
    )
    assert (len(document["attempts"]), document["stop_reason"]) == (1, "gone")


def test_jitter_is_reproducible_with_a_seed(capsys: pytest.CaptureFixture[str]) -> None:
    args = ("exponential", "--jitter", "full", "--fail-first", "9", "--seed", "7")
    first, again = simulate_json(capsys, *args), simulate_json(capsys, *args)
    assert first == again
    assert first["seed"] == 7
    other = simulate_json(capsys, *args[:-1], "8")
    assert other["attempts"] != first["attempts"]


def test_without_a_seed_the_printed_seed_repeats_the_run(
    capsys: pytest.CaptureFixture[str],
) -> None:
    first = simulate_json(capsys, "svix", "--jitter", "equal", "--fail-first", "5")
    again = simulate_json(
        capsys, "svix", "--jitter", "equal", "--fail-first", "5", "--seed", str(first["seed"])
    )
    assert again["attempts"] == first["attempts"]


def test_events_add_herd_statistics(capsys: pytest.CaptureFixture[str]) -> None:
    document = simulate_json(capsys, "svix", "--outage", "0:3600", "--events", "300", "--seed", "1")
    herd = document["herd"]
    assert {"events", "delivered", "latency_p50_s", "latency_p99_s", "peak_attempts_per_s"} <= set(
        herd
    )
    assert (herd["events"], herd["delivered"], herd["peak_attempts_per_s"]) == (300, 300, 300)
    assert herd["latency_p50_s"] == herd["latency_p99_s"] == 9305
    assert sum(herd["load"]["counts"]) == 300
    assert sum(herd["load"]["refused"]) == 1200
    jittered = simulate_json(
        capsys, "svix", "--outage", "0:3600", "--events", "300", "--seed", "1", "--jitter", "full"
    )
    assert jittered["herd"]["peak_attempts_per_s"] < 30
    assert document["delivered"] is True  # the top-level fields still describe one event


def test_capacity_and_release_window(capsys: pytest.CaptureFixture[str]) -> None:
    document = simulate_json(
        capsys,
        "zoom",
        "--events",
        "100",
        "--capacity",
        "40",
        "--release-over",
        "0.5",
        "--seed",
        "2",
    )
    herd = document["herd"]
    assert (herd["capacity_per_s"], herd["release_over_s"]) == (40, 0.5)
    assert herd["delivered"] == 100
    assert herd["latency_p50_s"] == 300


def test_table_is_readable(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["simulate", "svix", "--outage", "0:200000"]) == 0
    out = capsys.readouterr().out
    assert "svix (exact): 8 attempts" in out
    assert "1d 03:35:05" in out
    assert "10:00:00" in out
    assert "gave up at 1d 03:35:05 after 8 attempts: every attempt failed" in out
    lines = out.splitlines()
    header = next(line for line in lines if line.lstrip().startswith("#"))
    assert header.split() == ["#", "at", "delay", "outcome", "answer"]


def test_table_labels_an_approximation(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["simulate", "stripe", "--fail-first", "2"]) == 0
    out = capsys.readouterr().out
    assert "stripe (APPROXIMATION)" in out
    assert "note      approximation: Stripe publishes no intervals" in out
    assert "delivered at 00:03:00 on attempt 3" in out


def test_table_for_a_herd(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["simulate", "zoom", "--fail-first", "1", "--events", "10"]) == 0
    out = capsys.readouterr().out
    assert "events    10 released together: 10 delivered, 0 gave up\nattempts  20\n" in out
    assert "latency   p50 00:05:00  p99 00:05:00" in out
    assert "peak      10 attempts/s at 00:00:00; retries 10/s at 00:05:00" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["nope"], "unknown policy 'nope'"),
        (["svix", "--base", "5"], "--base: only for exponential, linear and fixed"),
        (["exponential", "--attempts", "ten"], "--attempts: expected a whole number"),
        (["exponential", "--attempts", "0"], "attempts must be 1 to 1000"),
        (["exponential", "--factor", "0.5"], "factor must be at least 1"),
        (["exponential", "--jitter", "lots"], "unknown jitter 'lots'"),
        (["svix", "--outage", "30"], "an outage is START:END"),
        (["svix", "--outage", "30:10"], "0 <= START < END"),
        (["svix", "--fail-first", "-1"], "--fail-first: expected a number >= 0"),
        (["svix", "--fail-status", "42"], "an HTTP status is 100 to 599"),
        (["svix", "--fail-header", "Retry-After"], "--fail-header: expected 'Name: value'"),
        (["svix", "--events", "0"], "events must be 1 to"),
        (["svix", "--capacity", "5"], "add --events N"),
        (["svix", "--seed", "abc"], "--seed: expected a whole number"),
        (["svix", "--timeout", "-3"], "--timeout: expected seconds >= 0"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(
    capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    assert main(["simulate", *args]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith("hookscope: error: ")
    assert captured.err.count("\n") == 1
    assert message in captured.err


def test_bad_input_from_a_real_process() -> None:
    result = run_cli("simulate", "svix", "--outage", "x:y")
    assert result.returncode == 2
    assert result.stderr.decode().splitlines() == [
        "hookscope: error: an outage is START:END in seconds, got 'x:y'"
    ]
    assert b"Traceback" not in result.stderr
    assert result.stdout == b""


def test_a_real_process_prints_json() -> None:
    result = run_cli("simulate", "github", "--fail-first", "1", "--json")
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    assert (document["delivered"], document["gave_up_at_s"], len(document["attempts"])) == (
        False,
        0,
        1,
    )
