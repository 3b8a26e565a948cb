#!/usr/bin/env python3
"""Training for the census example (a SageMaker training job).

SageMaker contract: the "training" channel is at /opt/ml/input/data/training (train_features.csv,
train_labels.csv from preprocessing), hyperparameters are strings in
/opt/ml/input/config/hyperparameters.json, and whatever is in /opt/ml/model is packed into
model.tar.gz. On failure the reason goes to /opt/ml/output/failure, which SageMaker reports as the
job's FailureReason.

The model is a scikit-learn logistic regression, saved as /opt/ml/model/model.joblib. Only about
6% of the rows are positive ("50000+"), so the classes are weighted inversely to their frequency
(hyperparameter class_weight, default "balanced"): unweighted, the model predicts the positive class
for almost no one, which the pipeline's approval rules (recall, precision, roc_auc) reject. The
inference script is copied into /opt/ml/model/code as well, so the model archive can be served
on its own (SAGEMAKER_SUBMIT_DIRECTORY=/opt/ml/model/code).
"""
import json
import os
import shutil
import sys
import traceback

import joblib
import pandas as pd
from sklearn.linear_model import LogisticRegression

PREFIX = "/opt/ml"
TRAINING_DIR = os.path.join(PREFIX, "input", "data", "training")
CODE_DIR = os.path.join(PREFIX, "input", "data", "code")
HYPERPARAMETERS = os.path.join(PREFIX, "input", "config", "hyperparameters.json")
MODEL_DIR = os.path.join(PREFIX, "model")
FAILURE_FILE = os.path.join(PREFIX, "output", "failure")


def hyperparameters():
    if not os.path.exists(HYPERPARAMETERS):
        return {}
    with open(HYPERPARAMETERS) as f:
        return json.load(f)


def train():
    hp = hyperparameters()
    c = float(hp.get("C", "1.0"))
    max_iter = int(hp.get("max_iter", "1000"))
    # Newton-Cholesky (scikit-learn >= 1.2) converges in a few iterations when there are many more
    # rows than features, as here; lbfgs needs hundreds.
    solver = hp.get("solver", "newton-cholesky")
    class_weight = hp.get("class_weight", "balanced")
    class_weight = None if class_weight in ("", "none", "None") else class_weight
    x = pd.read_csv(os.path.join(TRAINING_DIR, "train_features.csv"), header=None)
    y = pd.read_csv(os.path.join(TRAINING_DIR, "train_labels.csv"), header=None).iloc[:, 0]
    print("Training logistic regression (C={}, solver={}, class_weight={}) on {} rows, {} features".format(c, solver, class_weight, x.shape[0], x.shape[1]))
    model = LogisticRegression(C=c, max_iter=max_iter, solver=solver, class_weight=class_weight)
    model.fit(x.values, y.values)
    print("train accuracy={:.4f};".format(model.score(x.values, y.values)))

    os.makedirs(MODEL_DIR, exist_ok=True)
    path = os.path.join(MODEL_DIR, "model.joblib")
    joblib.dump(model, path)
    print("Saved {}".format(path))
    inference = os.path.join(CODE_DIR, "inference.py")
    if os.path.exists(inference):
        os.makedirs(os.path.join(MODEL_DIR, "code"), exist_ok=True)
        shutil.copy(inference, os.path.join(MODEL_DIR, "code", "inference.py"))


def main():
    try:
        train()
    except Exception as e:
        os.makedirs(os.path.dirname(FAILURE_FILE), exist_ok=True)
        with open(FAILURE_FILE, "w") as f:
            f.write("{}: {}".format(type(e).__name__, e))
        traceback.print_exc()
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
