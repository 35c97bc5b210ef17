"""ResilientHTTPNode against a local HTTP server: the retry policy of retry.py, for real."""

from __future__ import annotations

import pytest

from {{package_name}}.nodes import ResilientHTTPNode

from conftest import Reply

FAST = {"attempts": 4, "base_delay": 0.01, "max_delay": 1.0, "timeout": 2}


def call(url: str, **extra):
    return ResilientHTTPNode().execute(base_url=url, resource="records", **{**FAST, **extra})


def test_transient_errors_are_retried_until_the_call_succeeds(fake_server):
    server = fake_server([Reply(503), Reply(500), Reply(200, {"data": [{"id": 1}]})])
    result = call(server.url)
    assert result["ok"] is True and result["attempts"] == 3
    assert result["data"] == {"data": [{"id": 1}]}
    assert [r["path"] for r in server.requests] == ["/records"] * 3


def test_a_client_error_is_not_retried(fake_server):
    server = fake_server([Reply(404, {"error": "no such resource"})])
    result = call(server.url, fail_on_error=False)
    assert result["ok"] is False and result["status_code"] == 404
    assert len(server.requests) == 1


def test_a_retry_after_longer_than_the_cap_ends_the_retries(fake_server):
    server = fake_server([Reply(429, {}, {"Retry-After": "3600"})])
    result = call(server.url, fail_on_error=False)
    assert result["ok"] is False and len(server.requests) == 1
    assert "Retry-After" in result["error"]


def test_the_body_and_token_are_sent(fake_server):
    server = fake_server([Reply(201, {"id": "b-1"})])
    result = call(server.url, method="POST", data={"records": [1, 2]}, auth_token="t0k")
    assert result["ok"] and result["status_code"] == 201
    assert server.requests[0]["method"] == "POST"
    assert server.requests[0]["headers"]["Authorization"] == "Bearer t0k"
    assert '"records": [1, 2]' in server.requests[0]["body"]


def test_an_html_page_instead_of_json_fails_saying_the_source_returned_text(fake_server):
    server = fake_server([Reply(200, "<html>oops</html>", raw=True)])
    with pytest.raises(Exception, match=r"returned text \(not JSON\).*oops"):
        call(server.url)
    assert len(server.requests) == 1  # an answer, not a transient failure


def test_a_delivery_may_be_answered_with_text_when_json_is_not_expected(fake_server):
    server = fake_server([Reply(202, "queued", raw=True)])
    result = call(server.url, method="POST", data={"records": []}, expect_json=False)
    assert result["ok"] is True and result["status_code"] == 202
