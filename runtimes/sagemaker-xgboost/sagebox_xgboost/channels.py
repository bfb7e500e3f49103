"""Channel validation of the XGBoost container (sagemaker_algorithm_toolkit/channel_validation.py and
algorithm_mode/channel_validation.py): `train` required, `validation` and `code` optional, anything else
extraneous; a channel without ContentType is libsvm.
"""
from .errors import UserError

CSV, LIBSVM, PARQUET, RECORDIO_PROTOBUF = "csv", "libsvm", "parquet", "recordio-protobuf"
VALID_CONTENT_TYPES = [CSV, LIBSVM, PARQUET, RECORDIO_PROTOBUF, "text/csv", "text/libsvm", "text/x-libsvm",
                       "application/x-parquet", "application/x-recordio-protobuf"]
VALID_PIPED_CONTENT_TYPES = [CSV, PARQUET, RECORDIO_PROTOBUF, "text/csv", "application/x-parquet",
                             "application/x-recordio-protobuf"]
DEFAULT_CONTENT_TYPE = "text/libsvm"


class Channel:
    def __init__(self, name, required, supported):
        self.name, self.required, self.supported = name, required, supported

    def validate(self, value):
        key = (value["ContentType"], value["TrainingInputMode"], value["S3DistributionType"])
        if key not in self.supported:
            raise UserError("Channel configuration for '{}' channel is not supported: {}".format(self.name, value))


def _data_channel(name, required):
    supported = set()
    for distribution in ("ShardedByS3Key", "FullyReplicated"):
        supported |= {(ct, "File", distribution) for ct in VALID_CONTENT_TYPES}
        supported |= {(ct, "Pipe", distribution) for ct in VALID_PIPED_CONTENT_TYPES}
    return Channel(name, required, supported)


CHANNELS = [
    _data_channel("train", True),
    _data_channel("validation", False),
    Channel("code", False, {("text/python", "File", "FullyReplicated")}),
]


def validate(user_channels):
    """The channels of inputdataconfig.json, each with its ContentType filled in."""
    for channel in CHANNELS:
        if channel.required and channel.name not in user_channels:
            raise UserError("Missing required channel: {}".format(channel.name))
    by_name = {channel.name: channel for channel in CHANNELS}
    validated = {}
    for name, value in user_channels.items():
        channel = by_name.get(name)
        if channel is None:
            raise UserError("Extraneous channel found: {}".format(name))
        if "ContentType" not in value:
            value["ContentType"] = DEFAULT_CONTENT_TYPE
        channel.validate(value)
        validated[name] = value
    return validated


def parse_content_type(value):
    """`csv`, `libsvm`, `parquet` or `recordio-protobuf` (data_utils.get_content_type)."""
    if value is None:
        return LIBSVM
    content_type, _, rest = value.lower().partition(";")
    content_type = content_type.strip()
    params = dict(p.strip().split("=", 1) for p in rest.split(";") if "=" in p)
    if content_type in (CSV, "text/csv"):
        if "label_size" in params and params["label_size"].strip('"') != "1":
            raise UserError("{} is not an accepted csv ContentType. "
                            "Optional parameter label_size must be equal to 1".format(value))
        return CSV
    if content_type in (LIBSVM, "text/libsvm", "text/x-libsvm"):
        return LIBSVM
    if content_type in (PARQUET, "application/x-parquet"):
        return PARQUET
    if content_type in (RECORDIO_PROTOBUF, "application/x-recordio-protobuf"):
        return RECORDIO_PROTOBUF
    raise UserError("{} is not an accepted ContentType: {}.".format(value, ", ".join(VALID_CONTENT_TYPES)))
