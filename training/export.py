"""Export a run to ONNX (fp32) and quantise it to int8 with ONNX Runtime's dynamic quantisation.

    python -m training.export --model artifacts/models/<run-id>
"""

from __future__ import annotations

import argparse
import sys
import warnings
from pathlib import Path

import torch
from transformers import AutoModelForSequenceClassification, AutoTokenizer


class _LogitsOnly(torch.nn.Module):
    def __init__(self, model):
        super().__init__()
        self.model = model

    def forward(self, input_ids, attention_mask):
        return self.model(input_ids=input_ids, attention_mask=attention_mask).logits


def export_onnx(model_dir: Path, out_dir: Path | None = None) -> tuple[Path, Path]:
    """Write `onnx/model.onnx` (fp32) and `onnx/model.int8.onnx` (dynamic int8, per-channel weights)."""
    from onnxruntime.quantization import QuantType, quantize_dynamic

    out_dir = out_dir or model_dir / "onnx"
    out_dir.mkdir(parents=True, exist_ok=True)
    model = AutoModelForSequenceClassification.from_pretrained(model_dir, local_files_only=True).eval()
    tokenizer = AutoTokenizer.from_pretrained(model_dir, local_files_only=True)
    sample = tokenizer(["Police arrested two men.", "A longer sample sentence for the exporter to trace."],
                       padding=True, return_tensors="pt")
    fp32, int8 = out_dir / "model.onnx", out_dir / "model.int8.onnx"
    axes = {"input_ids": {0: "batch", 1: "sequence"}, "attention_mask": {0: "batch", 1: "sequence"},
            "logits": {0: "batch"}}
    with warnings.catch_warnings():  # tracer notes about Python-side shape checks: harmless for BERT
        warnings.simplefilter("ignore")
        torch.onnx.export(_LogitsOnly(model), (sample["input_ids"], sample["attention_mask"]), str(fp32),
                          input_names=["input_ids", "attention_mask"], output_names=["logits"],
                          dynamic_axes=axes, opset_version=17, dynamo=False)
    quantize_dynamic(str(fp32), str(int8), weight_type=QuantType.QInt8, per_channel=True)
    return fp32, int8


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default="artifacts/models/latest")
    args = parser.parse_args(argv)
    model_dir = Path(args.model).resolve()
    if (model_dir / "onnx" / "model.int8.onnx").is_file():
        print(f"{model_dir}: already exported")
        return 0
    from training.train import reseal

    fp32, int8 = export_onnx(model_dir)
    reseal(model_dir)
    print(f"wrote {fp32} and {int8}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
