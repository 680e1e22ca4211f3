"""Every route, status and error path through TestClient (lifespan runs, the tiny model is real)."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from serving.app import create_app
from serving.settings import Settings
from tests.conftest import LABELS

ARTICLE = ("QUETTA: Security forces raided a hideout in Kech on Friday, officials said.\r\n"
           "Two suspects were arrested. “They confessed,” a spokesman claimed 😀. Lt. Col. Khan denied it.")


@pytest.fixture(scope="module")
def client(tiny_run):
    with TestClient(create_app(Settings(model_dir=str(tiny_run), backend="onnx", max_texts=4,
                                        max_text_chars=5000, max_sentences=50, max_body_bytes=20_000))) as c:
        yield c


@pytest.fixture(scope="module")
def secured(tiny_run):
    with TestClient(create_app(Settings(model_dir=str(tiny_run), api_keys=["s3cret", "other"]))) as c:
        yield c


def test_classify_returns_sentences_with_offsets_that_slice_the_input(client):
    response = client.post("/v1/classify", json={"texts": [ARTICLE, "Markets were calm."]})
    assert response.status_code == 200
    body = response.json()
    assert body["model"]["labels"] == LABELS and body["model"]["id"]
    first, second = body["results"]
    assert len(first["sentences"]) == 4 and len(second["sentences"]) == 1
    for sentence in first["sentences"]:
        assert ARTICLE[sentence["start"] : sentence["end"]] == sentence["text"]
        assert set(sentence["scores"]) == set(LABELS) and sentence["truncated"] is False
    assert first["scores"] == {l: max(s["scores"][l] for s in first["sentences"]) for l in LABELS}
    assert set(first["labels"]) == {l for s in first["sentences"] for l in s["labels"]}


def test_threshold_overrides_decide_the_labels(client):
    everything = client.post("/v1/classify", json={"texts": ["Police held two men."],
                                                   "thresholds": {l: 0.0 for l in LABELS}}).json()
    nothing = client.post("/v1/classify", json={"texts": ["Police held two men."],
                                                "thresholds": {l: 1.0 for l in LABELS}}).json()
    assert everything["results"][0]["labels"] == LABELS
    assert nothing["results"][0]["labels"] == []


def test_unsplit_text_is_one_unit(client):
    body = client.post("/v1/classify", json={"texts": ["One. Two. Three."], "split_sentences": False}).json()
    assert [s["text"] for s in body["results"][0]["sentences"]] == ["One. Two. Three."]


def test_long_sentence_is_truncated_and_flagged_not_refused(client):
    body = client.post("/v1/classify", json={"texts": ["word " * 300]}).json()
    assert body["results"][0]["sentences"][0]["truncated"] is True


def test_predict_is_tei_compatible_for_one_string_and_for_a_list(client):
    one = client.post("/predict", json={"inputs": "Police raided a house."}).json()
    assert [item["label"] for item in one] != [] and len(one) == len(LABELS)
    assert [item["score"] for item in one] == sorted((item["score"] for item in one), reverse=True)
    many = client.post("/predict", json={"inputs": ["a raid", "a death"]}).json()
    nested = client.post("/predict", json={"inputs": [["a raid"], ["a death"]]}).json()
    assert len(many) == 2 and many == nested


def test_predict_raw_scores_are_logits_and_truncate_false_refuses_long_input(client):
    raw = client.post("/predict", json={"inputs": "Police raided a house.", "raw_scores": True}).json()
    sig = client.post("/predict", json={"inputs": "Police raided a house."}).json()
    import math

    assert {i["label"]: round(1 / (1 + math.exp(-i["score"])), 5) for i in raw} == \
           {i["label"]: round(i["score"], 5) for i in sig}
    refused = client.post("/predict", json={"inputs": "word " * 300, "truncate": False})
    assert refused.status_code == 413 and refused.json()["error_type"] == "too_large"


def test_health_ready_info_and_metrics(client):
    assert client.get("/health").json() == {"status": "ok"}
    assert client.get("/ready").json()["status"] == "ready"
    info = client.get("/info").json()
    assert info["labels"] == LABELS and info["max_texts"] == 4 and info["backend"] == "onnx"
    client.post("/v1/classify", json={"texts": ["Police raided a house."]})
    metrics = client.get("/metrics").text
    assert 'ec_requests_total{route="/v1/classify",status="200"}' in metrics
    for name in ("ec_request_seconds", "ec_queue_seconds", "ec_tokenize_seconds", "ec_inference_seconds",
                 "ec_batch_sentences", "ec_sentences_classified_total", "ec_queue_sentences"):
        assert name in metrics


def test_openapi_lists_the_labels_by_name(client):
    schema = client.get("/openapi.json").json()
    assert schema["components"]["schemas"]["Label"]["enum"] == LABELS


@pytest.mark.parametrize("payload, status, kind, words", [
    ({"texts": []}, 422, "validation", "texts"),
    ({}, 422, "validation", "texts: Field required"),
    ({"texts": ["ok"], "extra": 1}, 422, "validation", "extra"),
    ({"texts": [""]}, 422, "validation", "texts.0"),
    ({"texts": ["   "]}, 422, "validation", "empty or only whitespace"),
    ({"texts": [None]}, 422, "validation", "texts.0"),
    ({"texts": "a string"}, 422, "validation", "texts"),
    ({"texts": ["ok"], "thresholds": {"raid": 1.5}}, 422, "validation", "thresholds.raid"),
    ({"texts": ["ok"], "thresholds": {"kidnap": 0.5}}, 422, "validation", "unknown label(s) ['kidnap']"),
    ({"texts": ["a"] * 5}, 413, "too_large", "limit is 4 (EC_MAX_TEXTS)"),
    ({"texts": ["x" * 5001]}, 413, "too_large", "EC_MAX_TEXT_CHARS"),
    ({"texts": ["Stop. " * 60]}, 413, "too_large", "EC_MAX_SENTENCES"),
])
def test_bad_classify_requests_get_a_clear_error(client, payload, status, kind, words):
    response = client.post("/v1/classify", json=payload)
    assert response.status_code == status
    assert response.json()["error_type"] == kind and words in response.json()["error"]


def test_malformed_json_and_oversized_body_are_refused(client):
    bad = client.post("/v1/classify", content=b"{not json", headers={"content-type": "application/json"})
    assert bad.status_code == 422 and bad.json()["error_type"] == "validation"
    big = client.post("/v1/classify", content=b"x" * 30_000, headers={"content-type": "application/json"})
    assert big.status_code == 413 and "EC_MAX_BODY_BYTES" in big.json()["error"]


def test_unknown_route_is_a_json_404(client):
    response = client.get("/nope")
    assert response.status_code == 404 and response.json()["error_type"] == "not_found"


def test_api_keys_guard_inference_but_not_health(secured):
    assert secured.post("/v1/classify", json={"texts": ["x"]}).status_code == 401
    wrong = secured.post("/predict", json={"inputs": "x"}, headers={"Authorization": "Bearer nope"})
    assert wrong.status_code == 401 and wrong.json()["error_type"] == "unauthorized"
    ok = secured.post("/predict", json={"inputs": "x"}, headers={"Authorization": "Bearer other"})
    assert ok.status_code == 200
    assert secured.get("/health").status_code == 200 and secured.get("/ready").status_code == 200
    assert secured.get("/metrics").status_code == 200
    assert secured.get("/docs").status_code == 401 and secured.get("/openapi.json").status_code == 401
    assert secured.get("/openapi.json", headers={"Authorization": "Bearer s3cret"}).status_code == 200


def test_docs_page_is_served_without_keys(client):
    assert client.get("/docs").status_code == 200 and "swagger" in client.get("/docs").text.lower()


def test_full_queue_answers_429_with_retry_after(tiny_run):
    with TestClient(create_app(Settings(model_dir=str(tiny_run), max_queue_sentences=1))) as c:
        response = c.post("/v1/classify", json={"texts": ["One. Two."]})
        assert response.status_code == 429 and response.json()["error_type"] == "overloaded"
        assert int(response.headers["retry-after"]) >= 1


def test_server_without_a_usable_model_is_alive_but_not_ready(tmp_path):
    with TestClient(create_app(Settings(model_dir=str(tmp_path / "missing")))) as c:
        assert c.get("/health").status_code == 200
        ready = c.get("/ready")
        assert ready.status_code == 503 and ready.json()["error_type"] == "not_ready"
        assert "no model directory" in ready.json()["error"]
        assert c.post("/v1/classify", json={"texts": ["x"]}).status_code == 503


def test_corrupted_weights_are_refused_at_start_up(tiny_run, tmp_path):
    import shutil

    copy = tmp_path / "run"
    shutil.copytree(tiny_run, copy)
    weights = copy / "onnx" / "model.int8.onnx"
    weights.write_bytes(weights.read_bytes()[:1000])
    with TestClient(create_app(Settings(model_dir=str(copy)))) as c:
        ready = c.get("/ready")
        assert ready.status_code == 503 and "checksum mismatch" in ready.json()["error"]
