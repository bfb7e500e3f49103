"""sagebox Spark runtime: smspark-submit and seed 004 submit over pyspark, local or standalone."""
