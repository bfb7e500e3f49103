from sagemaker_core.main.shapes import (
    AppSpecification,
    ProcessingResources,
    ProcessingInput,
    ProcessingClusterConfig,
    ProcessingOutput,
    ProcessingOutputConfig,
    ProcessingStoppingCondition,
    ProcessingS3Input,
    ProcessingS3Output
)
from sagemaker_core.main.resources import ProcessingJob
