#!/usr/bin/env python3
"""Preprocessing for the census example (a SageMaker processing job).

SageMaker contract: the raw data is mounted at /opt/ml/processing/input (census-income.csv, with a
header row); whatever this script writes under /opt/ml/processing/train and /opt/ml/processing/test
is uploaded to the job's outputs.

Feature engineering with one scikit-learn ColumnTransformer: age and weeks worked are binned
(one-hot bins), money amounts and employer size are standardised, and categories are one-hot
encoded. The rows are split 70/30 (stratified on the label) and written as headerless CSVs:
train_features.csv, train_labels.csv, test_features.csv, test_labels.csv.

With --xgboost (the pipeline-xgboost.yaml variant) it also writes what SageMaker's built-in XGBoost
algorithm reads: headerless CSVs with the label in the first column, the training rows split 80/20
into /opt/ml/processing/xgboost/train/train.csv and /opt/ml/processing/xgboost/validation/validation.csv.
"""
import argparse
import os
import sys

import numpy as np
import pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import KBinsDiscretizer, OneHotEncoder, StandardScaler

INPUT_DIR = "/opt/ml/processing/input"
TRAIN_DIR = "/opt/ml/processing/train"
TEST_DIR = "/opt/ml/processing/test"
XGBOOST_DIR = "/opt/ml/processing/xgboost"

BINNED = ["age", "weeks worked in year"]
SCALED = ["capital gains", "capital losses", "dividends from stocks", "num persons worked for employer"]
CATEGORICAL = ["education", "class of worker", "major industry code", "major occupation code", "marital stat", "sex"]
LABEL = "income"
POSITIVE = "50000+."


def read_input(directory):
    path = os.path.join(directory, "census-income.csv")
    if not os.path.exists(path):
        found = sorted(os.listdir(directory)) if os.path.isdir(directory) else []
        raise SystemExit("No census-income.csv in {} (found: {}). Upload the data set to the preprocessing input.".format(directory, ", ".join(found) or "nothing"))
    print("Reading {}".format(path))
    df = pd.read_csv(path, usecols=BINNED + SCALED + CATEGORICAL + [LABEL], skipinitialspace=True)
    df = df.dropna()
    return df.drop(columns=[LABEL]), (df[LABEL].str.strip() == POSITIVE).astype(int)


def feature_transformer():
    return ColumnTransformer(
        [
            ("bins", KBinsDiscretizer(n_bins=10, encode="onehot-dense", strategy="uniform"), BINNED),
            ("scaled", StandardScaler(), SCALED),
            ("onehot", OneHotEncoder(handle_unknown="ignore", sparse_output=False), CATEGORICAL),
        ],
        sparse_threshold=0,
    )


def write_csv(values, directory, name, fmt):
    """A headerless CSV (numpy's writer: several times faster than pandas' for float matrices)."""
    os.makedirs(directory, exist_ok=True)
    path = os.path.join(directory, name)
    np.savetxt(path, np.asarray(values), delimiter=",", fmt=fmt)
    print("Wrote {}".format(path))


def main(argv=None):
    parser = argparse.ArgumentParser()
    parser.add_argument("--train-test-split-ratio", type=float, default=0.3)
    parser.add_argument("--xgboost", action="store_true", help="also write label-first train/validation CSVs for the built-in XGBoost algorithm")
    args, _ = parser.parse_known_args(argv)

    features, labels = read_input(INPUT_DIR)
    print("Rows: {}, positive (50000+): {}".format(len(features), int(labels.sum())))
    x_train, x_test, y_train, y_test = train_test_split(
        features, labels, test_size=args.train_test_split_ratio, random_state=0, stratify=labels if labels.nunique() > 1 else None
    )
    transformer = feature_transformer()
    train_features = transformer.fit_transform(x_train)
    test_features = transformer.transform(x_test)
    print("Features: {} columns; train rows: {}, test rows: {}".format(train_features.shape[1], len(x_train), len(x_test)))

    write_csv(train_features, TRAIN_DIR, "train_features.csv", "%.6g")
    write_csv(y_train, TRAIN_DIR, "train_labels.csv", "%d")
    write_csv(test_features, TEST_DIR, "test_features.csv", "%.6g")
    write_csv(y_test, TEST_DIR, "test_labels.csv", "%d")
    if args.xgboost:
        write_label_first(train_features, np.asarray(y_train))
    return 0


def write_label_first(features, labels):
    """The built-in XGBoost algorithm's text/csv: label first, no header; 20% of the rows for validation."""
    x_fit, x_val, y_fit, y_val = train_test_split(
        features, labels, test_size=0.2, random_state=0, stratify=labels if len(set(labels.tolist())) > 1 else None
    )
    write_csv(np.column_stack([y_fit, x_fit]), os.path.join(XGBOOST_DIR, "train"), "train.csv", "%.6g")
    write_csv(np.column_stack([y_val, x_val]), os.path.join(XGBOOST_DIR, "validation"), "validation.csv", "%.6g")


if __name__ == "__main__":
    sys.exit(main())
