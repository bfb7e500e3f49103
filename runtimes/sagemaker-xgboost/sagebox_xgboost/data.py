"""Reading a channel's files as the XGBoost container does (sagemaker_xgboost_container/data_utils.py).

The container hands a folder of symlinks to xgb.DMatrix("<dir>?format=csv&label_column=0&delimiter=<d>"),
dmlc's text parser. That URI form is deprecated since xgboost 3.1, so the files are parsed here, keeping
what dmlc does with them (measured against xgboost 3.2's URI loader, see tests/runtimes):
- CSV: label in column 0, no header; every cell is read as the longest number its text starts with
  (" 1 " is 1, "1.5x" is 1.5); a feature cell with no number (a header's name, "abc", an empty cell,
  "nan") is missing, a label cell with none is 0. So a header row becomes a row of missing values, label 0.
- LibSVM: `<label>[:<weight>] <index>:<value> ...`, indices from 0 (column i is index i).
"""
import csv
import logging
import os
import re
import shutil
import tempfile

import numpy as np

from . import channels
from .errors import AlgorithmError, UserError

MAX_FOLDER_DEPTH = 3
_NUMBER_PREFIX = re.compile(
    r"\s*([+-]?(?:(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?|inf(?:inity)?|nan))", re.IGNORECASE)


def get_size(data_path):
    """Size of the channel's files; a hidden file anywhere under it fails the job (data_utils.get_size)."""
    if not os.path.exists(data_path):
        logging.info(f"Path {data_path} does not exist!")
        return 0
    if os.path.isfile(data_path):
        return os.path.getsize(data_path)
    total = 0
    for root, _dirs, files in os.walk(data_path):
        for name in files:
            if name.startswith("."):
                raise UserError("Hidden file found in the data path! Remove that before training.")
            total += os.path.getsize(os.path.join(root, name))
    return total


def _is_data_file(folder, name):
    if not os.path.isfile(os.path.join(folder, name)):
        return False
    if name.startswith(".") or name.startswith("_"):
        return False
    return not (".cache" in name and ("dtrain" in name or "dval" in name))


def _invalid_format(line, path, content_type):
    return UserError("First line '{}...' of file '{}' is not '{}' format. Please ensure the file is in '{}' "
                     "format.".format(line[:50], path.split("/")[-1], content_type, content_type))


def sniff_delimiter(sample_line):
    try:
        delimiter = csv.Sniffer().sniff(sample_line).delimiter
        logging.info("Determined delimiter of CSV input is '{}'".format(delimiter))
    except Exception as e:
        raise UserError("Could not determine delimiter on line {}:\n{}".format(sample_line[:50], e))
    return delimiter


def _libsvm_label_is_valid(label):
    parts = label.split(":")
    if len(parts) > 2:
        return False
    try:
        for part in parts:
            float(part)
    except ValueError:
        return False
    return True


def _libsvm_feature_count(line):
    """-1 when the line is not LIBSVM, else how many features it has (data_utils, quirks included:
    the container checks the first feature's shape for every feature)."""
    tokens = line.split(" ")
    if not _libsvm_label_is_valid(tokens[0]):
        logging.error("{} does not follow LIBSVM label format <label>(:<weight>).".format(tokens[0]))
        return -1
    count = 0
    for token in tokens[1:]:
        if ":" not in token or len(tokens[1].split(":")) != 2:
            return -1
        count += 1
    return count


def _validate_libsvm_file(path):
    with open(path, "r", errors="ignore") as f:
        for line in f:
            count = _libsvm_feature_count(line)
            if count > 1:
                return
            if count < 0:
                raise _invalid_format(line, path, "LIBSVM")
    logging.warning("File {} is not an invalid LIBSVM file but has no features. Accepting simple "
                    "validation.".format(path.split("/")[-1]))


def validate_data_file_path(data_path, content_type):
    """Check the first lines of the channel's files against the content type (validate_data_file_path)."""
    if not os.path.exists(data_path):
        raise UserError("{} is not a valid path!".format(data_path))
    if os.path.isfile(data_path):
        files = [data_path]
    else:
        # As the container: only the first folder without subfolders that os.walk meets is checked.
        folder = None
        for root, dirs, _files in os.walk(data_path):
            if not dirs:
                folder = root
                break
        files = [os.path.join(folder, name) for name in os.listdir(folder) if _is_data_file(folder, name)]
    for path in files:
        if content_type == channels.CSV:
            with open(path, "r", errors="ignore") as f:
                sniff_delimiter(f.readline())
        elif content_type == channels.LIBSVM:
            _validate_libsvm_file(path)


def _link_files(destination, data_path, depth):
    if depth > MAX_FOLDER_DEPTH:
        raise UserError(f"Folder depth exceed the limit: {MAX_FOLDER_DEPTH}.")
    if os.path.isfile(data_path):
        _link(data_path, destination, os.path.basename(data_path))
        return
    logging.info(f"Making smlinks from folder {data_path} to folder {destination}")
    for item in os.scandir(data_path):
        if item.is_file():
            _link(item.path, destination, item.name)
        elif item.is_dir():
            _link_files(destination, item.path, depth + 1)


def _link(path, destination, name):
    link = os.path.join(destination, name) + str(hash(path))
    logging.info(f"creating symlink between Path {path} and destination {link}")
    os.symlink(path, link)


def gather_files(data_path):
    """The container's folder of symlinks to every file up to three levels down (_get_file_mode_files_path)."""
    logging.info("File path {} of input files".format(data_path))
    files_path = os.path.join(tempfile.gettempdir(), "sagemaker_xgboost_input_data")
    shutil.rmtree(files_path, ignore_errors=True)
    os.mkdir(files_path)
    if not os.path.exists(data_path):
        logging.info("File path {} does not exist!".format(data_path))
        return None
    if not os.path.isdir(files_path):
        raise AlgorithmError(f"Unable to create symlinks as dest_path {files_path} is not a dir")
    try:
        _link_files(files_path, data_path, 1)
    except UserError as e:
        if e.message != f"Folder depth exceed the limit: {MAX_FOLDER_DEPTH}.":
            raise
        logging.warning(f"The depth of folder {data_path} exceed the limit {MAX_FOLDER_DEPTH}."
                        f" Files in deeper sub dirs won't be loaded."
                        f" Please adjust the folder structure accordingly.")
    return files_path


def _number_prefix(text):
    match = _NUMBER_PREFIX.match(text)
    return float(match.group(1)) if match else None


def _parse_csv_slowly(path, delimiter):
    """Cell by cell, for files with text cells or ragged rows: NaN where dmlc finds no number."""
    rows = []
    with open(path, "r", errors="ignore") as f:
        for line in f:
            line = line.rstrip("\r\n")
            if not line.strip():
                continue
            values = [_number_prefix(cell) for cell in line.split(delimiter)]
            rows.append([np.nan if v is None else v for v in values])
    width = max((len(r) for r in rows), default=0)
    table = np.full((len(rows), width), np.nan)
    for i, row in enumerate(rows):
        table[i, :len(row)] = row
    return table


def _parse_csv(path, delimiter):
    import pandas as pd
    if os.path.getsize(path) == 0:
        return np.empty((0, 0))
    try:
        # The fast path: every cell numeric or empty (empty cells are NaN, as dmlc's missing).
        return pd.read_csv(path, header=None, sep=delimiter, dtype=np.float64, engine="c",
                           skip_blank_lines=True).to_numpy()
    except (ValueError, pd.errors.ParserError):
        return _parse_csv_slowly(path, delimiter)


def _stack(tables):
    width = max((t.shape[1] for t in tables), default=0)
    padded = [np.pad(t, ((0, 0), (0, width - t.shape[1])), constant_values=np.nan) for t in tables]
    return np.vstack(padded) if padded else np.empty((0, 0))


def _data_files(files_path):
    return [os.path.join(files_path, name) for name in os.listdir(files_path)
            if os.path.isfile(os.path.join(files_path, name))]


def load_csv(files_path, csv_weights):
    import xgboost as xgb
    paths = _data_files(files_path)
    with open(paths[0]) as f:
        delimiter = sniff_delimiter(f.readline())
    try:
        table = _stack([_parse_csv(path, delimiter) for path in paths])
        if table.shape[0] == 0:
            return xgb.DMatrix(np.empty((0, 0)))
        label = np.nan_to_num(table[:, 0], nan=0.0)
        if csv_weights == 1:
            weight = np.nan_to_num(table[:, 1], nan=0.0)
            return xgb.DMatrix(table[:, 2:], label=label, weight=weight, missing=np.nan)
        return xgb.DMatrix(table[:, 1:], label=label, missing=np.nan)
    except Exception as e:
        raise UserError("Failed to load csv data with exception:\n{}".format(e))


def load_libsvm(files_path):
    import xgboost as xgb
    from scipy import sparse
    labels, weights, indptr, indices, values = [], [], [0], [], []
    has_weights = False
    try:
        for path in _data_files(files_path):
            with open(path, "r", errors="ignore") as f:
                for line in f:
                    tokens = line.split()
                    if not tokens:
                        continue
                    label, _, weight = tokens[0].partition(":")
                    labels.append(_number_prefix(label) or 0.0)
                    has_weights = has_weights or bool(weight)
                    weights.append(_number_prefix(weight) if weight else 1.0)
                    for token in tokens[1:]:
                        index, sep, value = token.partition(":")
                        if not sep or index == "qid":
                            continue
                        indices.append(int(index))
                        values.append(_number_prefix(value) or 0.0)
                    indptr.append(len(indices))
        width = max(indices) + 1 if indices else 0
        matrix = sparse.csr_matrix((values, indices, indptr), shape=(len(labels), width), dtype=np.float32)
        return xgb.DMatrix(matrix, label=labels, weight=weights if has_weights else None)
    except Exception as e:
        raise UserError("Failed to load libsvm data with exception:\n{}".format(e))


def get_dmatrix(data_path, content_type, csv_weights=0):
    files_path = gather_files(data_path)
    logging.info(f"files path: {files_path}")
    if files_path is None:
        return None
    if content_type == channels.CSV:
        dmatrix = load_csv(files_path, csv_weights)
    elif content_type == channels.LIBSVM:
        dmatrix = load_libsvm(files_path)
    else:
        dmatrix = _load_columnar(files_path, content_type)
    if dmatrix is not None and dmatrix.get_label().size == 0:
        raise UserError(
            "Got input data without labels. Please check the input data set. "
            "If training job is running on multiple instances, please switch "
            "to using single instance if number of records in the data set "
            "is less than number of workers (16 * number of instance) in the cluster.")
    return dmatrix


def _load_columnar(files_path, content_type):
    """Parquet: the first column is the label, as in the container; RecordIO-protobuf is not reproduced."""
    import xgboost as xgb
    if content_type == channels.PARQUET:
        try:
            import pandas as pd
            table = pd.concat([pd.read_parquet(p) for p in _data_files(files_path)]).to_numpy(dtype=np.float64)
            return xgb.DMatrix(table[:, 1:], label=table[:, 0], missing=np.nan)
        except Exception as e:
            raise UserError("Failed to load parquet data with exception:\n{}".format(e))
    raise UserError("Failed to load recordio-protobuf data with exception:\n"
                    "sagebox does not read RecordIO-protobuf training data")


def check_data_redundancy(train_path, validate_path):
    if not os.path.exists(train_path):
        raise UserError("training data's path is not existed")
    if not os.path.exists(validate_path):
        raise UserError("validation data's path is not existed")
    train_files = {f for f in os.listdir(train_path) if os.path.isfile(os.path.join(train_path, f))}
    validation_files = {f for f in os.listdir(validate_path) if os.path.isfile(os.path.join(validate_path, f))}
    for name in train_files & validation_files:
        size = os.path.getsize(os.path.join(validate_path, name))
        if os.path.getsize(os.path.join(train_path, name)) == size:
            logging.warning(
                f"Suspected identical files found. ({os.path.join(train_path, name)} and "
                f"{os.path.join(validate_path, name)}with same size {size} bytes)."
                f" Note: Duplicate data in the training set and validation set is usually"
                f" not intentional and can impair the validity of the model evaluation by"
                f" the validation score.")
