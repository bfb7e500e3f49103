# Your Task: Upload preprocessing.py to S3
# Hint: Use your lab session's upload methods

# fill: TODO: Upload your script
#| code_s3_uri = # TODO: Upload your script
boto_session.client("s3").upload_file("preprocessing.py", bucket, f"{prefix}/code/preprocessing.py")
code_s3_uri = f"s3://{bucket}/{prefix}/code/preprocessing.py"
# end fill
print(f"Code uploaded to: {code_s3_uri}")
