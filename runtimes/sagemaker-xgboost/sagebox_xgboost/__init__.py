"""sagebox's offline stand-in for the sagemaker-xgboost training image (see ../README.md)."""
