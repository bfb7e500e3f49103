import sagemaker
import boto3
import pandas as pd
from sagemaker.processing import ProcessingInput, ProcessingOutput, ScriptProcessor

# Initialize SageMaker session
sagemaker_session = sagemaker.Session()
# fill: placeholder role: get_execution_role() asks a SageMaker notebook for its role; a role ARN outside one
#| role = sagemaker.get_execution_role()
role = "arn:aws:iam::000000000000:role/SageMakerRole"
# end fill
bucket = sagemaker_session.default_bucket()
region = boto3.Session().region_name
