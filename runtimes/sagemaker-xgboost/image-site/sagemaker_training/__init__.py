"""The sagemaker-xgboost images have no `sagemaker_training` (they run scripts through the older
sagemaker-containers), while the host environment sagebox runs them with has it. The image table puts
this folder first on the image's PYTHONPATH, so a script that imports it fails as it does on SageMaker
(seed 002's "No module named 'sagemaker_training'"). The runtime's own `train` steps around it."""
raise ModuleNotFoundError("No module named 'sagemaker_training'", name="sagemaker_training")
