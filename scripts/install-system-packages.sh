#!/usr/bin/env bash
# Installs the Debian packages local runs need, when missing: the libraries of the SageMaker images
# that run locally (data/runtimes.json: scikit-learn 1.2.1 in Debian 12, as in the
# sagemaker-scikit-learn:1.2-1 image; XGBoost 1.7.4, as in sagemaker-xgboost:1.7-1) and
# bubblewrap for each job's private /opt/ml; pip and venv for a job's requirements.txt layer; Chromium for the web console's browser tests
# (playwright-core drives Debian's /usr/bin/chromium). Uses sudo when not run as root.
set -euo pipefail
PACKAGES=(python3-sklearn python3-pandas python3-joblib python3-xgboost python3-pip python3-venv bubblewrap chromium)
missing=()
for p in "${PACKAGES[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
[ "${#missing[@]}" -eq 0 ] && exit 0
as_root=()
[ "$(id -u)" -eq 0 ] || as_root=(sudo)
echo "installing ${missing[*]} ..." >&2
"${as_root[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${as_root[@]}" apt-get install -y -qq "${missing[@]}"
