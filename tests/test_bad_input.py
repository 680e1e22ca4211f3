"""The bad-input matrix: every case gets its documented status and a clear message, never a 5xx,
and the server answers normally right after each."""

from __future__ import annotations

import gzip
import json

import pytest
from fastapi.testclient import TestClient

from serving.app import create_app
from serving.settings import Settings

LONG = "word " * 400
MIXED = "پولیس نے छापा मारा and arrested two men in Karachi"


def body(obj) -> bytes:
    return json.dumps(obj).encode()


CASES = [
    # (id, route, raw body, content type, expected status)
    ("empty text", "/v1/classify", body({"texts": [""]}), None, 422),
    ("whitespace-only text", "/v1/classify", body({"texts": [" \n\t "]}), None, 422),
    ("empty list", "/v1/classify", body({"texts": []}), None, 422),
    ("missing texts", "/v1/classify", body({"split_sentences": True}), None, 422),
    ("texts is a number", "/v1/classify", body({"texts": 5}), None, 422),
    ("texts is null", "/v1/classify", body({"texts": None}), None, 422),
    ("a null text", "/v1/classify", body({"texts": ["ok", None]}), None, 422),
    ("a number as text", "/v1/classify", body({"texts": [42]}), None, 422),
    ("extra field", "/v1/classify", body({"texts": ["ok"], "lang": "en"}), None, 422),
    ("split_sentences is a list", "/v1/classify", body({"texts": ["ok"], "split_sentences": []}), None, 422),
    ("split_sentences is null", "/v1/classify", body({"texts": ["ok"], "split_sentences": None}), None, 422),
    ("threshold above 1", "/v1/classify", body({"texts": ["ok"], "thresholds": {"raid": 1.5}}), None, 422),
    ("threshold below 0", "/v1/classify", body({"texts": ["ok"], "thresholds": {"raid": -0.1}}), None, 422),
    ("threshold for unknown label", "/v1/classify", body({"texts": ["ok"], "thresholds": {"riot": 0.5}}), None, 422),
    ("thresholds not a mapping", "/v1/classify", body({"texts": ["ok"], "thresholds": [0.5]}), None, 422),
    ("100 MB body", "/v1/classify", b'{"texts": ["' + b"a" * 100_000_000 + b'"]}', None, 413),
    ("one 5 MB text", "/v1/classify", body({"texts": ["a" * 5_000_000]}), None, 413),
    ("10,000 texts", "/v1/classify", body({"texts": ["a"] * 10_000}), None, 413),
    ("10,000 one-character sentences", "/v1/classify", body({"texts": ["A! " * 10_000]}), None, 413),
    ("control characters and NUL", "/v1/classify", body({"texts": ["Police\x00 raided\x07 a\x1b house."]}), None, 200),
    ("invalid UTF-8 bytes", "/v1/classify", b'{"texts": ["\xff\xfe bad"]}', None, 422),
    ("lone surrogate", "/v1/classify", b'{"texts": ["bad \\ud800 text"]}', None, 422),
    ("emoji", "/v1/classify", body({"texts": ["Two killed 😢🔥 in blast 💥. Police 🚓 arrived."]}), None, 200),
    ("right-to-left script", "/v1/classify", body({"texts": ["قتل شخصان في انفجار. اعتقلت الشرطة ثلاثة."]}), None, 200),
    ("mixed Urdu, Hindi, English", "/v1/classify", body({"texts": [MIXED]}), None, 200),
    ("HTML", "/v1/classify", body({"texts": ["<p>Police <b>raided</b> a house.</p><script>x()</script>"]}), None, 200),
    ("markdown", "/v1/classify", body({"texts": ["# Raid\n\n* **Two** men [held](http://x)\n> quote"]}), None, 200),
    ("only punctuation", "/v1/classify", body({"texts": ["?!... ,;:—«»"]}), None, 200),
    ("one long sentence", "/v1/classify", body({"texts": [LONG]}), None, 200),
    ("Windows line endings", "/v1/classify", body({"texts": ["One.\r\nTwo.\r\n"]}), None, 200),
    ("malformed JSON", "/v1/classify", b'{"texts": [', None, 422),
    ("top-level array", "/v1/classify", body(["ok"]), None, 422),
    ("top-level string", "/v1/classify", body("ok"), None, 422),
    ("deeply nested JSON", "/v1/classify", b'{"texts": ' + b"[" * 5000 + b"]" * 5000 + b"}", None, 422),
    ("text/plain content type", "/v1/classify", b"Police raided a house.", "text/plain", 422),
    ("form content type", "/v1/classify", b"texts=a", "application/x-www-form-urlencoded", 422),
    ("gzip-compressed body", "/v1/classify", gzip.compress(b'{"texts":["' + b"a" * 10_000_000 + b'"]}'), None, 422),
    ("empty body", "/v1/classify", b"", None, 422),
    ("predict: empty string", "/predict", body({"inputs": ""}), None, 422),
    ("predict: empty list", "/predict", body({"inputs": []}), None, 422),
    ("predict: missing inputs", "/predict", body({"raw_scores": True}), None, 422),
    ("predict: null inputs", "/predict", body({"inputs": None}), None, 422),
    ("predict: number", "/predict", body({"inputs": 3}), None, 422),
    ("predict: sentence pair", "/predict", body({"inputs": [["a", "b"]]}), None, 422),
    ("predict: raw_scores not a bool", "/predict", body({"inputs": "ok", "raw_scores": "maybe"}), None, 422),
    ("predict: unknown field", "/predict", body({"inputs": "ok", "top_k": 2}), None, 422),
    ("predict: HF parameters accepted", "/predict", body({"inputs": "ok", "parameters": {"top_k": 2}}), None, 200),
    ("predict: too long with truncate false", "/predict", body({"inputs": LONG, "truncate": False}), None, 413),
    ("predict: 10,000 inputs", "/predict", body({"inputs": ["a"] * 10_000}), None, 413),
    ("predict: NUL byte", "/predict", body({"inputs": "a\x00b"}), None, 200),
    ("predict: lone surrogate", "/predict", b'{"inputs": "\\udc80"}', None, 422),
    ("predict: 100 MB body", "/predict", b'{"inputs": "' + b"a" * 100_000_000 + b'"}', None, 413),
]


@pytest.fixture(scope="module")
def client(tiny_run):
    with TestClient(create_app(Settings(model_dir=str(tiny_run))), raise_server_exceptions=False) as c:
        yield c


@pytest.mark.parametrize("name, route, raw, content_type, status", CASES, ids=[c[0] for c in CASES])
def test_bad_input_gets_its_documented_status_and_the_server_carries_on(client, name, route, raw, content_type, status):
    headers = {"content-type": content_type or "application/json"}
    if name == "gzip-compressed body":
        headers["content-encoding"] = "gzip"
    response = client.post(route, content=raw, headers=headers)
    assert response.status_code == status, response.text[:300]
    if status != 200:
        error = response.json()
        assert error["error_type"] in {"validation", "too_large"} and len(error["error"]) > 10
        assert "Traceback" not in error["error"]
    after = client.post("/v1/classify", json={"texts": ["Police raided a house."]})
    assert after.status_code == 200 and client.get("/health").status_code == 200


def test_wrong_method_is_a_json_error_not_a_crash(client):
    response = client.get("/v1/classify")
    assert response.status_code == 405 and "error" in response.json()


def test_the_matrix_covers_at_least_forty_cases_on_both_routes():
    routes = [case[1] for case in CASES]
    assert len(CASES) >= 40 and routes.count("/predict") >= 10 and routes.count("/v1/classify") >= 30
