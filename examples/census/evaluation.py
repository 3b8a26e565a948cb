#!/usr/bin/env python3
"""Evaluation for the census example (a SageMaker processing job).

SageMaker contract: the training job's model.tar.gz is mounted at /opt/ml/processing/model, the
test split at /opt/ml/processing/test; what is written under /opt/ml/processing/evaluation is
uploaded to the job's output.

The model is the scikit-learn one train.py writes (model.joblib) or, in the pipeline-xgboost.yaml
variant, the built-in XGBoost algorithm's (xgboost-model, a booster whose predictions are
probabilities of "50000+"; the evaluation then runs on the XGBoost image).

Writes evaluation.json in SageMaker's model-quality format, which the pipeline's approval rules
read (accuracy, precision, recall, f1, roc_auc) and the model registry shows:
    {"binary_classification_metrics": {"accuracy": {"value": 0.94, "standard_deviation": "NaN"}, ...}}
"""
import json
import os
import sys
import tarfile
import tempfile

import joblib
import pandas as pd
from sklearn.metrics import accuracy_score, f1_score, precision_score, recall_score, roc_auc_score

MODEL_ARCHIVE = "/opt/ml/processing/model/model.tar.gz"
TEST_DIR = "/opt/ml/processing/test"
OUTPUT_DIR = "/opt/ml/processing/evaluation"


def extract_model(archive, into):
    """Extracts model.tar.gz, refusing members that would land outside `into`."""
    root = os.path.realpath(into)
    with tarfile.open(archive) as tar:
        for member in tar.getmembers():
            target = os.path.realpath(os.path.join(root, member.name))
            if not (target == root or target.startswith(root + os.sep)) or member.issym() or member.islnk():
                raise SystemExit("Refusing unsafe member {!r} in {}".format(member.name, archive))
        # Python versions with extraction filters check members again; older ones rely on the loop above.
        if hasattr(tarfile, "data_filter"):
            tar.extractall(root, filter="data")
        else:
            tar.extractall(root)
    if os.path.exists(os.path.join(root, "xgboost-model")):
        return XGBoostModel(os.path.join(root, "xgboost-model"))
    return joblib.load(os.path.join(root, "model.joblib"))


class XGBoostModel(object):
    """The built-in XGBoost algorithm's model with the two methods the evaluation uses."""

    def __init__(self, path):
        import xgboost as xgb

        self.xgb = xgb
        self.booster = xgb.Booster()
        self.booster.load_model(path)

    def predict_proba(self, x):
        import numpy as np

        p = self.booster.predict(self.xgb.DMatrix(x))
        return np.column_stack([1 - p, p])

    def predict(self, x):
        return (self.predict_proba(x)[:, 1] > 0.5).astype(int)


def main():
    with tempfile.TemporaryDirectory() as tmp:
        print("Extracting {}".format(MODEL_ARCHIVE))
        model = extract_model(MODEL_ARCHIVE, tmp)
    x = pd.read_csv(os.path.join(TEST_DIR, "test_features.csv"), header=None).values
    y = pd.read_csv(os.path.join(TEST_DIR, "test_labels.csv"), header=None).iloc[:, 0].values
    predicted = model.predict(x)
    probability = model.predict_proba(x)[:, 1]
    metrics = {
        "accuracy": accuracy_score(y, predicted),
        "precision": precision_score(y, predicted, zero_division=0),
        "recall": recall_score(y, predicted, zero_division=0),
        "f1": f1_score(y, predicted, zero_division=0),
        "roc_auc": roc_auc_score(y, probability) if len(set(y)) > 1 else float("nan"),
    }
    for name, value in metrics.items():
        print("{}: {:.4f}".format(name, value))
    report = {
        "binary_classification_metrics": {
            name: {"value": None if value != value else round(float(value), 6), "standard_deviation": "NaN"} for name, value in metrics.items()
        }
    }
    os.makedirs(OUTPUT_DIR, exist_ok=True)
    path = os.path.join(OUTPUT_DIR, "evaluation.json")
    with open(path, "w") as f:
        json.dump(report, f, indent=2)
    print("Wrote {}".format(path))
    return 0


if __name__ == "__main__":
    sys.exit(main())
