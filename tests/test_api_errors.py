"""Every /api/ path answers its errors as JSON (service.md; issue 19, item 8): no credentials
401, a CSRF failure of a session call 403, an unknown path 404, a wrong method 405; never
Django's HTML pages."""

from __future__ import annotations

import json

import pytest

from tests.test_portal import api

JSON = "application/json"


def _api_paths(portal) -> list[tuple[str, tuple[str, ...]]]:
    """Every API route of urls.py with a real id, and the methods it takes."""
    from gcmtrack.portal import urls

    sid = portal.ids["jam"]
    paths = []
    for pattern in urls.urlpatterns:
        route = str(pattern.pattern)
        if not route.startswith("api/"):
            continue
        path = "/" + route.replace("<int:submission_id>", str(sid)).replace("<pid:process_id>", "CMC") \
            .replace("<int:cycle>", "2026")
        methods = {"me": ("GET",), "submissions": ("GET", "POST"), "validate": ("POST",), "review": ("POST",),
                   "narratives": ("POST",), "decisions": ("POST",), "statuses": ("POST",)}
        paths.append((path, methods.get(path.rsplit("/", 1)[1], ("GET",))))
    assert len(paths) == 13  # 9, and the 4 of narrative reviews
    return paths


def _is_json_error(response, status: int, code: str) -> None:
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"].startswith("application/json"), response.content[:300]
    assert response.json()["error"]["code"] == code


def test_no_credentials_is_a_json_401_on_every_path_and_method(portal):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    for path, methods in _api_paths(portal):
        for method in methods:
            response = getattr(client, method.lower())(path)
            _is_json_error(response, 401, "not-authenticated")
            assert response["WWW-Authenticate"].startswith("Bearer")


def test_a_session_call_without_its_csrf_token_is_a_json_403(portal):
    from django.test import Client

    signed_in = portal.client("jam@gov.jm")
    strict = Client(enforce_csrf_checks=True)
    strict.cookies = signed_in.cookies
    for path, methods in _api_paths(portal):
        if "POST" in methods:
            _is_json_error(strict.post(path, data="{}", content_type=JSON), 403, "csrf-failed")


def test_an_unknown_api_path_is_a_json_404(portal):
    for path in ("/api/", "/api/v1/nope", "/api/v2/me", "/api/v1/submissions/999999/nothing", "/api/v1/me/"):
        _is_json_error(api(portal, "jam@gov.jm", "get", path), 404, "not-found")
        _is_json_error(api(portal, None, "get", path), 404, "not-found")
    # the pages keep their HTML answer
    assert "text/html" in portal.client("jam@gov.jm").get("/no-such-page/")["Content-Type"]


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_a_wrong_method_is_a_json_405_with_allow(portal, method):
    for path, methods in _api_paths(portal):
        response = api(portal, "jam@gov.jm", method, path, data="{}", content_type=JSON)
        _is_json_error(response, 405, "method-not-allowed")
        assert set(methods) <= set(response["Allow"].split(", "))
    response = api(portal, "jam@gov.jm", "post", "/api/v1/me", data=json.dumps({}), content_type=JSON)
    _is_json_error(response, 405, "method-not-allowed")
