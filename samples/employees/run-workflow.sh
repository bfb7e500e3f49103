#!/usr/bin/env bash
# The steps of a CI workflow that runs the employees processing job, with the AWS CLI exactly as a
# GitHub Actions job would call it, against whatever AWS_ENDPOINT_URL names (`sagebox serve`).
#
#   AWS_ENDPOINT_URL=http://127.0.0.1:9000 samples/employees/run-workflow.sh
#
# Settings (environment, all optional):
#   BUCKET        bucket to create and use             (default employees-ci-<epoch seconds>)
#   JOB_NAME      ProcessingJobName                     (default employees-<UTC date-time>)
#   ROLE_ARN      the job's RoleArn                     (default arn:aws:iam::000000000000:role/SageMakerRole)
#   AS_OF         reference date for tenure, YYYY-MM-DD (default today, UTC)
#   ROWS, SEED    size and seed of the generated data   (default 1000, 42)
#   WORK_DIR      where data, the job request and the downloaded outputs go (default a new temp dir)
#   POLL_SECONDS  seconds between status polls (2); TIMEOUT_SECONDS: give up after (900)
#   PYTHON        python for the generator and checker (python3; both need only the standard library)
#
# Exits 0 only when the job Completed and the checker accepts all four outputs.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
: "${AWS_ENDPOINT_URL:?set AWS_ENDPOINT_URL to the server, e.g. http://127.0.0.1:9000}"
export AWS_ENDPOINT_URL
export AWS_ACCESS_KEY_ID="${AWS_ACCESS_KEY_ID:-test}" AWS_SECRET_ACCESS_KEY="${AWS_SECRET_ACCESS_KEY:-test}"
export AWS_DEFAULT_REGION="${AWS_DEFAULT_REGION:-us-east-1}"
BUCKET="${BUCKET:-employees-ci-$(date +%s)}"
JOB_NAME="${JOB_NAME:-employees-$(date -u +%Y%m%d-%H%M%S)}"
ROLE_ARN="${ROLE_ARN:-arn:aws:iam::000000000000:role/SageMakerRole}"
AS_OF="${AS_OF:-$(date -u +%F)}"
ROWS="${ROWS:-1000}"
SEED="${SEED:-42}"
WORK_DIR="${WORK_DIR:-$(mktemp -d -t employees-workflow.XXXXXX)}"
POLL_SECONDS="${POLL_SECONDS:-2}"
TIMEOUT_SECONDS="${TIMEOUT_SECONDS:-900}"
PYTHON="${PYTHON:-python3}"
OUTPUT_PREFIX="s3://$BUCKET/employees/output/$JOB_NAME"

step() { echo "==> $*"; }

step "Create bucket s3://$BUCKET"
aws s3 mb "s3://$BUCKET"

step "Generate $ROWS employees (seed $SEED)"
mkdir -p "$WORK_DIR/data"
"$PYTHON" "$HERE/generate_data.py" --rows "$ROWS" --seed "$SEED" --out "$WORK_DIR/data/mock_data.csv"

step "Render the job request"
sed -e "s|{{JOB_NAME}}|$JOB_NAME|g" \
    -e "s|{{BUCKET}}|$BUCKET|g" \
    -e "s|{{ROLE_ARN}}|$ROLE_ARN|g" \
    -e "s|{{AS_OF}}|$AS_OF|g" \
    "$HERE/job-config.json" > "$WORK_DIR/job-config.json"
if grep -n '{{' "$WORK_DIR/job-config.json"; then
  echo "unsubstituted placeholders left in $WORK_DIR/job-config.json" >&2
  exit 1
fi

# As in seed 001's workflow: the data under an input prefix (staged at /opt/ml/processing/input), the
# script as one object (staged at /opt/ml/processing/input/code, inside the data's folder).
step "Upload the data and the processing script"
aws s3 cp "$WORK_DIR/data/mock_data.csv" "s3://$BUCKET/employees/input/"
aws s3 cp "$HERE/process_employees.py" "s3://$BUCKET/employees/code/process_employees.py"

step "Create processing job $JOB_NAME"
aws sagemaker create-processing-job --cli-input-json "file://$WORK_DIR/job-config.json"

# The CLI waiter describes the job at once, then only every 60 s. Poll the status the way many
# workflows do, then let the waiter confirm: the job is terminal by then, so it returns after its
# first DescribeProcessingJob (and exits 255 for Failed).
step "Wait for $JOB_NAME"
deadline=$((SECONDS + TIMEOUT_SECONDS))
while :; do
  status="$(aws sagemaker describe-processing-job --processing-job-name "$JOB_NAME" \
              --query ProcessingJobStatus --output text)"
  echo "status: $status"
  case "$status" in
    Completed|Failed|Stopped) break ;;
  esac
  if (( SECONDS >= deadline )); then
    echo "timed out after ${TIMEOUT_SECONDS}s waiting for $JOB_NAME" >&2
    exit 1
  fi
  sleep "$POLL_SECONDS"
done
waited=0
aws sagemaker wait processing-job-completed-or-stopped --processing-job-name "$JOB_NAME" || waited=$?

step "Check the job status"
aws sagemaker describe-processing-job --processing-job-name "$JOB_NAME" \
  --query '{Status: ProcessingJobStatus, FailureReason: FailureReason, ExitMessage: ExitMessage, Started: ProcessingStartTime, Ended: ProcessingEndTime}' \
  --output table
if [[ "$status" != Completed || "$waited" != 0 ]]; then
  echo "job $JOB_NAME ended $status (waiter exit $waited); its log:" >&2
  aws logs filter-log-events --log-group-name /aws/sagemaker/ProcessingJobs \
    --log-stream-name-prefix "$JOB_NAME/" --query 'events[].message' --output text >&2 || true
  exit 1
fi

step "Download the outputs from $OUTPUT_PREFIX/"
rm -rf "$WORK_DIR/outputs"
aws s3 cp --recursive "$OUTPUT_PREFIX/" "$WORK_DIR/outputs/"

step "Check the outputs"
"$PYTHON" "$HERE/check_outputs.py" --raw "$WORK_DIR/data/mock_data.csv" --outputs "$WORK_DIR/outputs" --as-of "$AS_OF"
echo "Workflow succeeded: job $JOB_NAME, outputs in $WORK_DIR/outputs"
