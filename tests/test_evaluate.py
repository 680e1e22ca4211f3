"""`make evaluate`: any corpus-format file, labels_known honoured, a report written beside a baseline."""

from __future__ import annotations

import json

from training.evaluate import main as evaluate_main


def test_evaluate_prints_a_summary_and_writes_the_report(tiny_run, tmp_path, capsys):
    data = tmp_path / "news.jsonl"
    data.write_text(
        json.dumps({"text": "Police arrested three men.", "labels": ["arrest"],
                    "labels_known": ["raid", "casualty", "arrest", "allegation"]}) + "\n"
        + json.dumps({"text": "Two soldiers died in a blast.", "labels": ["casualty"], "labels_known": ["casualty"]}) + "\n"
    )
    assert evaluate_main(["--model", str(tiny_run), "--data", str(data), "--backend", "torch",
                          "--report-dir", str(tmp_path / "report")]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["examples"] == 2 and set(out["model_metrics"]["f1"]) == {"raid", "casualty", "arrest", "allegation"}
    assert "macro_f1" in out["baseline_metrics"]
    report = (tmp_path / "report" / "news.md").read_text()
    assert "| arrest |" in report and "tfidf F1" in report
    assert (tmp_path / "report" / "news_pr.png").stat().st_size > 1000


def test_evaluate_names_the_bad_line_of_a_broken_file(tiny_run, tmp_path, capsys):
    data = tmp_path / "broken.jsonl"
    data.write_text('{"text": "ok", "labels": []}\n{"text": "x", "labels": "arrest"}\n')
    assert evaluate_main(["--model", str(tiny_run), "--data", str(data), "--backend", "torch"]) == 2
    assert "broken.jsonl:2: 'labels' must be a list" in capsys.readouterr().err


def test_evaluate_refuses_a_missing_model_directory(tmp_path, capsys):
    data = tmp_path / "d.jsonl"
    data.write_text('{"text": "ok", "labels": []}\n')
    assert evaluate_main(["--model", str(tmp_path / "nope"), "--data", str(data)]) == 2
    assert "no model directory" in capsys.readouterr().err
