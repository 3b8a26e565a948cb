"""Training data for the XGBoost 1.7-1 algorithm mode: channel validation, the content types it
reads, the first-line format checks, and the DMatrix built with XGBoost's own readers (CSV: label
in the first column, no header, delimiter sniffed from the first line; LIBSVM), as the container
does it: every file of the channel (sub-folders included) is linked into one folder that XGBoost
reads whole.

Written from the behaviour of aws/sagemaker-xgboost-container (branch 1.7-1, data_utils.py and
algorithm_mode/channel_validation.py); no container code is used. Parquet and RecordIO-protobuf
need pyarrow and mlio, which the local runtime does not have: a channel of those types fails with a
UserError that says so.
"""
import csv
import logging
import os
import shutil
import tempfile

from xgboost_hyperparameters import AlgorithmError, UserError

CSV, LIBSVM, PARQUET, RECORDIO_PROTOBUF = "csv", "libsvm", "parquet", "recordio-protobuf"
VALID_CONTENT_TYPES = [
    CSV, LIBSVM, PARQUET, RECORDIO_PROTOBUF, "text/csv", "text/libsvm", "text/x-libsvm",
    "application/x-parquet", "application/x-recordio-protobuf",
]
VALID_PIPED_CONTENT_TYPES = [CSV, PARQUET, RECORDIO_PROTOBUF, "text/csv", "application/x-parquet", "application/x-recordio-protobuf"]
MAX_FOLDER_DEPTH = 3


def parse_media_type(value):
    """'text/csv; label_size=1' -> ('text/csv', {'label_size': '1'}) (lower-cased, as the container reads it)."""
    parts = [p.strip() for p in value.lower().split(";")]
    params = {}
    for p in parts[1:]:
        if "=" in p:
            k, _, v = p.partition("=")
            params[k.strip()] = v.strip().strip('"')
    return parts[0], params


def content_type_of(configured):
    """The channel's ContentType as one of csv/libsvm/parquet/recordio-protobuf (None means libsvm)."""
    if configured is None:
        return LIBSVM
    media, params = parse_media_type(configured)
    if media in (CSV, "text/csv"):
        if params.get("label_size", "1") != "1":
            raise UserError(
                "{} is not an accepted csv ContentType. Optional parameter label_size must be equal to 1".format(configured)
            )
        return CSV
    if media in (LIBSVM, "text/libsvm", "text/x-libsvm"):
        return LIBSVM
    if media in (PARQUET, "application/x-parquet"):
        return PARQUET
    if media in (RECORDIO_PROTOBUF, "application/x-recordio-protobuf"):
        return RECORDIO_PROTOBUF
    raise UserError(
        "{} is not an accepted ContentType: {}.".format(configured, ", ".join(VALID_CONTENT_TYPES))
    )


# Channel -> required; the supported (content type, input mode, distribution) combinations.
CHANNELS = {"train": True, "validation": False, "code": False}


def _supported(channel, content_type, mode, distribution):
    if distribution not in ("ShardedByS3Key", "FullyReplicated"):
        return False
    if channel == "code":
        return content_type == "text/python" and mode == "File" and distribution == "FullyReplicated"
    if mode == "File":
        return content_type in VALID_CONTENT_TYPES
    if mode == "Pipe":
        return content_type in VALID_PIPED_CONTENT_TYPES
    return False


def validate_channels(data_config):
    for name, required in CHANNELS.items():
        if required and name not in data_config:
            raise UserError("Missing required channel: {}".format(name))
    validated = {}
    for name, value in data_config.items():
        if name not in CHANNELS:
            raise UserError("Extraneous channel found: {}".format(name))
        if "ContentType" not in value:
            value["ContentType"] = "text/libsvm"
        if not _supported(name, value["ContentType"], value.get("TrainingInputMode"), value.get("S3DistributionType")):
            raise UserError("Channel configuration for '{}' channel is not supported: {}".format(name, value))
        validated[name] = value
    return validated


def _is_data_file(folder, name):
    if not os.path.isfile(os.path.join(folder, name)):
        return False
    if name.startswith(".") or name.startswith("_"):
        return False
    return not (".cache" in name and ("dtrain" in name or "dval" in name))


def sniff_delimiter(line):
    try:
        delimiter = csv.Sniffer().sniff(line).delimiter
        logging.info("Determined delimiter of CSV input is '{}'".format(delimiter))
    except Exception as e:
        raise UserError("Could not determine delimiter on line {}:\n{}".format(line[:50], e))
    return delimiter


def _libsvm_label_ok(label):
    parts = label.split(":")
    if len(parts) > 2:
        return False
    try:
        for p in parts:
            float(p)
    except ValueError:
        return False
    return True


def _libsvm_features(line):
    """Number of index:value features on a LIBSVM line, or -1 when the line is not LIBSVM."""
    items = line.split(" ")
    if not _libsvm_label_ok(items[0]):
        logging.error("{} does not follow LIBSVM label format <label>(:<weight>).".format(items[0]))
        return -1
    count = 0
    for item in items[1:]:
        # As in the container: every item needs a colon, and the first feature is checked for index:value.
        if ":" not in item or len(items[1].split(":")) != 2:
            return -1
        count += 1
    return count


def _validate_libsvm(path):
    with open(path, "r", errors="ignore") as f:
        for line in f:
            n = _libsvm_features(line)
            if n > 1:
                return
            if n < 0:
                raise UserError(
                    "First line '{}...' of file '{}' is not 'LIBSVM' format. Please ensure the file is in 'LIBSVM' format.".format(
                        line[:50], path.split("/")[-1]
                    )
                )
    logging.warning("File {} is not an invalid LIBSVM file but has no features. Accepting simple validation.".format(path.split("/")[-1]))


def validate_data_path(path, content_type):
    """The container's first-line checks over the channel's files (the first leaf folder's)."""
    kind = content_type_of(content_type)
    if not os.path.exists(path):
        raise UserError("{} is not a valid path!".format(path))
    if os.path.isfile(path):
        files = [path]
    else:
        leaf = path
        for root, dirs, _ in os.walk(path):
            if dirs == []:
                leaf = root
                break
        files = [os.path.join(leaf, n) for n in sorted(os.listdir(leaf)) if _is_data_file(leaf, n)]
    for f in files:
        if kind == CSV:
            with open(f, "r", errors="ignore") as fh:
                sniff_delimiter(fh.readline())
        elif kind == LIBSVM:
            _validate_libsvm(f)


def data_size(path):
    """Bytes of data in the channel (0 when missing); a hidden file anywhere in it is a UserError."""
    if not os.path.exists(path):
        logging.info("Path {} does not exist!".format(path))
        return 0
    if os.path.isfile(path):
        return os.path.getsize(path)
    total = 0
    for root, _, files in os.walk(path):
        for name in files:
            if name.startswith("."):
                raise UserError("Hidden file found in the data path! Remove that before training.")
            total += os.path.getsize(os.path.join(root, name))
    return total


def _link_files(dest, source, depth):
    if depth > MAX_FOLDER_DEPTH:
        logging.warning(
            "The depth of folder {} exceed the limit {}. Files in deeper sub dirs won't be loaded."
            " Please adjust the folder structure accordingly.".format(source, MAX_FOLDER_DEPTH)
        )
        return
    if os.path.isfile(source):
        os.symlink(source, os.path.join(dest, "%s.%d" % (os.path.basename(source), len(os.listdir(dest)))))
        return
    for entry in sorted(os.scandir(source), key=lambda e: e.name):
        if entry.is_file():
            os.symlink(entry.path, os.path.join(dest, "%s.%d" % (entry.name, len(os.listdir(dest)))))
        elif entry.is_dir():
            _link_files(dest, entry.path, depth + 1)


def linked_folder(paths):
    """One temporary folder with a link to every data file of the given channel paths."""
    folder = tempfile.mkdtemp(prefix="sagemaker_xgboost_input_data")
    for p in paths:
        if not os.path.exists(p):
            raise AlgorithmError("Unable to create symlinks as {} or {} doesn't exist ".format(p, folder))
        _link_files(folder, p, 1)
    return folder


def load_dmatrix(paths, content_type, csv_weights=0):
    """XGBoost's DMatrix over the channel folder(s), read by XGBoost's own CSV/LIBSVM readers."""
    import xgboost as xgb

    kind = content_type_of(content_type)
    folder = linked_folder(paths)
    logging.info("files path: {}".format(folder))
    try:
        if kind == CSV:
            first = sorted(os.listdir(folder))
            sample = ""
            if first:
                with open(os.path.join(folder, first[0]), "r", errors="ignore") as f:
                    sample = f.readline()
            delimiter = sniff_delimiter(sample)
            uri = "{}?format=csv&label_column=0&delimiter={}".format(folder, delimiter)
            if csv_weights == 1:
                uri += "&weight_column=1"
            try:
                dmatrix = xgb.DMatrix(uri)
            except Exception as e:
                raise UserError("Failed to load csv data with exception:\n{}".format(e))
        elif kind == LIBSVM:
            try:
                dmatrix = xgb.DMatrix("{}?format=libsvm".format(folder))
            except Exception as e:
                raise UserError("Failed to load libsvm data with exception:\n{}".format(e))
        else:
            raise UserError(
                "Failed to load {} data with exception:\nthe local XGBoost runtime reads text/csv and text/libsvm only "
                "({} needs the image's {} library)".format(kind, kind, "pyarrow" if kind == PARQUET else "mlio")
            )
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    if dmatrix.get_label().size == 0:
        raise UserError(
            "Got input data without labels. Please check the input data set. "
            "If training job is running on multiple instances, please switch "
            "to using single instance if number of records in the data set "
            "is less than number of workers (16 * number of instance) in the cluster."
        )
    return dmatrix
