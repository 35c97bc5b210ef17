"""The retry policy of every HTTP step (src/{{package_name}}/retry.py), as plain functions."""

from __future__ import annotations

import pytest

from {{package_name}}.retry import (
    RetryPolicy,
    attempt_timeout,
    backoff_delay,
    call_with_retries,
    is_transient,
    retry_after_seconds,
)


def scripted(*outcomes):
    calls = []

    def send():
        calls.append(1)
        return outcomes[min(len(calls), len(outcomes)) - 1]

    return send, calls


def test_only_lost_responses_and_try_again_statuses_are_transient():
    assert is_transient(None)
    assert all(is_transient(s) for s in (408, 429, 500, 502, 503, 504))
    assert not any(is_transient(s) for s in (200, 400, 401, 403, 404, 422, 501))


def test_backoff_doubles_is_capped_and_jittered_within_half_to_full():
    policy = RetryPolicy(attempts=10, base_delay=1.0, max_delay=5.0)
    assert [backoff_delay(n, policy, rand=lambda: 1.0) for n in (1, 2, 3, 4)] == [
        1.0,
        2.0,
        4.0,
        5.0,
    ]
    assert backoff_delay(3, policy, rand=lambda: 0.0) == 2.0


def test_retry_after_in_seconds_or_as_an_http_date():
    assert retry_after_seconds({"Retry-After": "7"}) == 7.0
    assert (
        retry_after_seconds({"retry-after": "Wed, 21 Oct 2015 07:28:10 GMT"}, now=1445412480.0)
        == 10.0
    )
    assert retry_after_seconds({"Retry-After": "soon"}) is None
    assert retry_after_seconds({}) is None


def test_a_transient_failure_is_retried_until_it_succeeds():
    send, calls = scripted(
        {"success": False, "status_code": 503}, {"success": True, "status_code": 200}
    )
    waits = []
    outcome, attempts = call_with_retries(send, RetryPolicy(), sleep=waits.append, rand=lambda: 1.0)
    assert outcome["status_code"] == 200 and attempts == 2 and len(calls) == 2
    assert waits == [0.5]


def test_the_attempts_are_bounded():
    send, calls = scripted({"success": False, "status_code": None})
    waits = []
    outcome, attempts = call_with_retries(send, RetryPolicy(attempts=3), sleep=waits.append)
    assert attempts == 3 and len(calls) == 3 and len(waits) == 2
    assert outcome["success"] is False


def test_a_permanent_failure_is_not_retried():
    send, calls = scripted({"success": False, "status_code": 401})
    _, attempts = call_with_retries(send, RetryPolicy(), sleep=pytest.fail)
    assert attempts == 1 and len(calls) == 1


def test_retry_after_replaces_the_backoff_and_too_long_a_wait_ends_the_retries():
    waits = []
    send, _ = scripted(
        {"success": False, "status_code": 429, "headers": {"Retry-After": "2"}},
        {"success": True, "status_code": 200},
    )
    call_with_retries(send, RetryPolicy(), sleep=waits.append)
    assert waits == [2.0]
    send, calls = scripted(
        {"success": False, "status_code": 503, "headers": {"Retry-After": "600"}}
    )
    outcome, attempts = call_with_retries(send, RetryPolicy(max_delay=30), sleep=pytest.fail)
    assert attempts == 1 and "gave_up" in outcome


def test_a_policy_needs_at_least_one_attempt():
    with pytest.raises(ValueError, match="attempts"):
        RetryPolicy(attempts=0)


def test_the_budget_ends_the_retries_before_a_wait_would_pass_it():
    now = [0.0]

    def send():
        now[0] += 5.0  # every attempt times out after 5 s
        return {"success": False, "status_code": None}

    waits = []
    policy = RetryPolicy(attempts=10, base_delay=0.5, max_delay=5.0, deadline=10.0)
    outcome, attempts = call_with_retries(
        send,
        policy,
        sleep=lambda s: (waits.append(s), now.__setitem__(0, now[0] + s)),
        rand=lambda: 1.0,
        clock=lambda: now[0],
    )
    assert attempts == 2 and waits == [0.5]
    assert "retry budget of 10s spent" in outcome["gave_up"]


def test_an_attempt_gets_at_most_what_is_left_of_the_budget():
    policy = RetryPolicy(deadline=10.0)
    assert attempt_timeout(5, policy, elapsed=0.0) == 5
    assert attempt_timeout(5, policy, elapsed=7.5) == 2
    assert attempt_timeout(5, policy, elapsed=9.9) == 1  # never 0: requests refuses it
    assert attempt_timeout(5, RetryPolicy(deadline=None), elapsed=100.0) == 5
