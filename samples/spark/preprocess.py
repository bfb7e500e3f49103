"""An abalone-style Spark preprocessing script, as in the Feature Transformation with SageMaker Processing
example that seed 004 points to: reads a CSV from s3://, runs a pyspark.ml pipeline (StringIndexer,
OneHotEncoder, VectorAssembler), splits 80/20 and writes train/ and validation/ back to s3:// as CSV lines
(label first, as the built-in XGBoost takes them).

Arguments, as the seed passes them: s3_input_bucket B s3_input_key_prefix P s3_output_bucket B s3_output_key_prefix P
"""
import argparse

from pyspark.ml import Pipeline
from pyspark.ml.feature import OneHotEncoder, StringIndexer, VectorAssembler
from pyspark.sql import SparkSession
from pyspark.sql.types import DoubleType, StringType, StructField, StructType

SCHEMA = StructType([
    StructField("sex", StringType(), True),
    StructField("length", DoubleType(), True),
    StructField("diameter", DoubleType(), True),
    StructField("height", DoubleType(), True),
    StructField("whole_weight", DoubleType(), True),
    StructField("shucked_weight", DoubleType(), True),
    StructField("viscera_weight", DoubleType(), True),
    StructField("shell_weight", DoubleType(), True),
    StructField("rings", DoubleType(), True),
])


def csv_line(row):
    return ",".join([str(row[0])] + [str(x) for x in row[1].toArray()])


def main():
    parser = argparse.ArgumentParser(description="abalone preprocessing")
    for name in ("s3_input_bucket", "s3_input_key_prefix", "s3_output_bucket", "s3_output_key_prefix"):
        parser.add_argument(name)
        parser.add_argument(f"{name}_value")
    names = ["s3_input_bucket", "s3_input_key_prefix", "s3_output_bucket", "s3_output_key_prefix"]
    raw = parser.parse_args()
    args = {name: getattr(raw, f"{name}_value") for name in names}

    spark = SparkSession.builder.appName("PySparkAbalone").getOrCreate()
    # The seed's own setting: the old committer class, which writes through FileOutputCommitter.
    spark.sparkContext._jsc.hadoopConfiguration().set(
        "mapred.output.committer.class", "org.apache.hadoop.mapred.FileOutputCommitter")

    total = spark.read.csv(f"s3://{args['s3_input_bucket']}/{args['s3_input_key_prefix']}/abalone.csv",
                           header=False, schema=SCHEMA)
    indexer = StringIndexer(inputCol="sex", outputCol="indexed_sex")
    encoder = OneHotEncoder(inputCol="indexed_sex", outputCol="sex_vec")
    assembler = VectorAssembler(inputCols=["sex_vec", "length", "diameter", "height", "whole_weight",
                                           "shucked_weight", "viscera_weight", "shell_weight"], outputCol="features")
    model = Pipeline(stages=[indexer, encoder, assembler]).fit(total)
    transformed = model.transform(total)
    train, validation = transformed.randomSplit([0.8, 0.2], seed=42)

    out = f"s3://{args['s3_output_bucket']}/{args['s3_output_key_prefix']}"
    train.select("rings", "features").rdd.map(csv_line).saveAsTextFile(f"{out}/train")
    validation.select("rings", "features").rdd.map(csv_line).saveAsTextFile(f"{out}/validation")
    print(f"abalone: {train.count()} train rows, {validation.count()} validation rows written to {out}")
    spark.stop()


if __name__ == "__main__":
    main()
