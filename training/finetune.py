"""Fine-tune a transformer encoder for multi-label classification (BCE on multi-hot targets)."""

from __future__ import annotations

import copy
import importlib
import random
from pathlib import Path

import numpy as np
import torch
from datasets import Dataset
from torch.utils.data import DataLoader
from tqdm.auto import tqdm
from transformers import (AutoModelForSequenceClassification, AutoTokenizer, DataCollatorWithPadding,
                          get_linear_schedule_with_warmup)

from event_classifier.config import Config, ConfigError
from event_classifier.corpus import Example, label_matrix
from event_classifier.metrics import apply_thresholds, classification_metrics, tune_thresholds


def resolve_base(base: str) -> str:
    """A base-model reference as a loadable path: `package:<module>` asks the package for its folder."""
    if base.startswith("package:"):
        module_name = base.split(":", 1)[1]
        try:
            module = importlib.import_module(module_name)
        except ImportError:
            raise ConfigError(f"model.base: package module {module_name!r} is not installed") from None
        return str(module.get_model_path())
    return base


def seed_everything(seed: int) -> None:
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)


def load_base(config: Config):
    """Tokenizer and a freshly headed classification model from the configured base encoder."""
    base = resolve_base(config.model.base)
    labels = config.labels
    try:
        tokenizer = AutoTokenizer.from_pretrained(base, local_files_only=True)
        model = AutoModelForSequenceClassification.from_pretrained(
            base, num_labels=len(labels), problem_type="multi_label_classification",
            id2label=dict(enumerate(labels)), label2id={label: i for i, label in enumerate(labels)},
            local_files_only=True,
        )
    except OSError as exc:
        raise ConfigError(f"model.base: cannot load {base!r} from local files ({exc})") from None
    return tokenizer, model


def length_grouped_batches(lengths: list[int], batch_size: int, seed: int, epoch: int) -> list[list[int]]:
    """Shuffled batches of similar length (less padding, the main cost on CPU), in shuffled order."""
    rng = np.random.default_rng([seed, epoch])
    order = rng.permutation(len(lengths))
    window = batch_size * 32
    batches = []
    for start in range(0, len(order), window):
        chunk = sorted(order[start : start + window], key=lambda i: lengths[i])
        batches += [chunk[i : i + batch_size] for i in range(0, len(chunk), batch_size)]
    return [batches[i] for i in rng.permutation(len(batches))]


def _dataset(examples: list[Example], labels: list[str], tokenizer, config: Config) -> Dataset:
    targets, _ = label_matrix(examples, labels)
    dataset = Dataset.from_dict({"text": [ex.text for ex in examples], "labels": targets.tolist()})
    dataset = dataset.map(lambda batch: tokenizer(batch["text"], truncation=True, max_length=config.model.max_length),
                          batched=True, remove_columns=["text"])
    dataset.set_format("torch")
    return dataset


def _loader(dataset: Dataset, tokenizer, batches) -> DataLoader:
    return DataLoader(dataset, batch_sampler=batches, collate_fn=DataCollatorWithPadding(tokenizer))


@torch.inference_mode()
def _dev_scores(model, loader: DataLoader) -> np.ndarray:
    model.eval()
    out = [torch.sigmoid(model(**{k: v for k, v in batch.items() if k != "labels"}).logits) for batch in loader]
    return torch.cat(out).float().numpy()


def _parameter_groups(model, t) -> list[dict]:
    """The new head (pooler + classifier) may learn faster than the pre-trained encoder below it."""
    head = [p for n, p in model.named_parameters() if "pooler" in n or "classifier" in n]
    body = [p for n, p in model.named_parameters() if not ("pooler" in n or "classifier" in n)]
    return [{"params": body}, {"params": head, "lr": t.head_learning_rate or t.learning_rate}]


def fit(model, tokenizer, train: list[Example], dev: list[Example], config: Config, progress: bool = True) -> dict:
    """Train for the configured epochs; keep the weights of the epoch with the best dev macro-F1.

    Dev macro-F1 is measured with thresholds tuned on dev for that epoch, as the published model will be.
    Returns the training history; the model is left holding the best epoch's weights.
    """
    labels, t = config.labels, config.training
    seed_everything(t.seed)
    train_data = _dataset(train, labels, tokenizer, config)
    lengths = [len(ids) for ids in train_data["input_ids"]]
    n_batches = len(length_grouped_batches(lengths, t.batch_size, t.seed, 0))
    dev_data = _dataset(dev, labels, tokenizer, config)
    dev_loader = _loader(dev_data, tokenizer, [list(range(i, min(i + 64, len(dev)))) for i in range(0, len(dev), 64)])
    dev_targets, dev_known = label_matrix(dev, labels)
    optimizer = torch.optim.AdamW(_parameter_groups(model, t), lr=t.learning_rate, weight_decay=t.weight_decay)
    total = t.epochs * n_batches
    scheduler = get_linear_schedule_with_warmup(optimizer, int(t.warmup_ratio * total), total)
    history, best_f1, best_state = [], -1.0, None
    for epoch in range(1, t.epochs + 1):
        model.train()
        losses = []
        train_loader = _loader(train_data, tokenizer, length_grouped_batches(lengths, t.batch_size, t.seed, epoch))
        bar = tqdm(train_loader, desc=f"epoch {epoch}/{t.epochs}", disable=not progress, leave=False)
        for batch in bar:
            loss = model(**batch).loss
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimizer.step()
            scheduler.step()
            optimizer.zero_grad()
            losses.append(loss.item())
            bar.set_postfix(loss=f"{np.mean(losses[-20:]):.4f}")
        scores = _dev_scores(model, dev_loader)
        thresholds = tune_thresholds(scores, dev_targets, dev_known, labels)
        dev = classification_metrics(apply_thresholds(scores, thresholds, labels), dev_targets, dev_known, labels)
        record = {"epoch": epoch, "train_loss": float(np.mean(losses)), "dev_macro_f1": dev["macro"]["f1"]}
        history.append(record)
        if progress:
            print(f"epoch {epoch}: train loss {record['train_loss']:.4f}  dev macro-F1 {record['dev_macro_f1']:.4f}")
        if dev["macro"]["f1"] > best_f1:
            best_f1, best_state = dev["macro"]["f1"], copy.deepcopy(model.state_dict())
    model.load_state_dict(best_state)
    best_epoch = max(history, key=lambda r: r["dev_macro_f1"])["epoch"]
    return {"epochs": history, "best_epoch": best_epoch}


def save_base(model, tokenizer, directory: Path) -> None:
    """save_pretrained of model (safetensors) and tokenizer into a run directory."""
    model.save_pretrained(directory, safe_serialization=True)
    tokenizer.save_pretrained(directory)
